import * as nodeModule from 'node:module';

/**
 * Packages a plugin shares with the rnnbow that loads it. A plugin imports `rnnbow` for its types
 * and helpers, `@tensorflow/tfjs` for the ops of its step, and maybe `inversify` for a
 * ContainerModule; each must be the very copy the host runs (tensors, error classes and
 * ContainerModule instances do not cross copies), and a plugin folder next to a globally installed
 * CLI has no copy of its own at all.
 */
export const HOST_PACKAGES: readonly string[] = ['rnnbow', '@tensorflow/tfjs', '@tensorflow/tfjs-core', 'inversify'];

// Runs in Node's module-hooks thread. An import of a host package is resolved as if this module
// (part of the host) had made it, unless the importer lives in a node_modules folder and finds the
// package by itself: an installed plugin whose peer dependency resolves normally keeps that
// resolution, and nested copies inside other packages stay untouched.
const HOOK_SOURCE = `
let hostURL;
let packages = [];
export async function initialize(data) {
  hostURL = data.hostURL;
  packages = data.packages;
}
function isShared(specifier) {
  return packages.some((p) => specifier === p || specifier.startsWith(p + '/'));
}
export async function resolve(specifier, context, nextResolve) {
  if (!isShared(specifier) || !context.parentURL || !context.parentURL.startsWith('file:')) return nextResolve(specifier, context);
  if (context.parentURL.includes('/node_modules/')) {
    try {
      return await nextResolve(specifier, context);
    } catch (err) {
      if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }
  }
  return nextResolve(specifier, { ...context, parentURL: hostURL });
}
`;

let installed = false;

/**
 * Installs (once per process) a module resolution hook so that plugin code importing one of
 * {@link HOST_PACKAGES} gets the copy this rnnbow runs. Needs `module.register` (Node >= 20.6);
 * on older Node it does nothing and plugins resolve their imports the usual way.
 *
 * @returns whether the hook is active.
 */
export function shareHostPackages(): boolean {
  if (installed) return true;
  const register = (nodeModule as { register?: (specifier: string, options: { data: unknown }) => void }).register;
  if (typeof register !== 'function') return false;
  register(`data:text/javascript,${encodeURIComponent(HOOK_SOURCE)}`, { data: { hostURL: import.meta.url, packages: HOST_PACKAGES } });
  installed = true;
  return true;
}
