import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContainerModule } from 'inversify';
import { PluginError, RnnbowError } from './errors.js';
import { syntaxErrorLocation } from './syntax-error-location.js';
import { shareHostPackages } from './plugin-host-packages.js';
import { loadTfjs } from './tfjs.js';
import { isPlugin, type RnnbowPlugin } from './plugin.js';
import type { PartRegistry } from './registry.js';

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || path.isAbsolute(spec) || existsSync(spec);
}

/** The entry file an `exports` value names for `import` (conditions import, node, default, in that order). */
function exportsEntry(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports;
  if (Array.isArray(exports)) return exports.map(exportsEntry).find((e) => e !== undefined);
  if (typeof exports !== 'object' || exports === null) return undefined;
  const map = exports as Record<string, unknown>;
  if ('.' in map) return exportsEntry(map['.']);
  for (const condition of ['import', 'node', 'default']) {
    if (condition in map) {
      const found = exportsEntry(map[condition]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function readPackageJson(spec: string, file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PluginError(spec, `cannot read ${file}: ${(err as Error).message}`);
  }
}

/** The file a plugin folder's package.json points to, else its index.js / index.mjs. */
function resolveFolder(spec: string, dir: string): string {
  const pkgFile = path.join(dir, 'package.json');
  if (existsSync(pkgFile)) {
    const pkg = readPackageJson(spec, pkgFile);
    const fromExports = exportsEntry(pkg.exports);
    const entry = fromExports ?? (typeof pkg.main === 'string' ? pkg.main : undefined);
    if (entry !== undefined) {
      const file = path.resolve(dir, entry);
      const field = fromExports !== undefined ? '"exports"' : '"main"';
      if (!existsSync(file)) throw new PluginError(spec, `file not found: ${file} (named by ${field} in ${pkgFile})`, 'build the plugin, or fix the path in its package.json');
      return statSync(file).isDirectory() ? resolveFolder(spec, file) : file;
    }
  }
  for (const index of ['index.js', 'index.mjs']) if (existsSync(path.join(dir, index))) return path.join(dir, index);
  throw new PluginError(spec, `folder ${dir} has no package.json "exports" or "main" and no index.js`, 'add a package.json with "type": "module" and "main": "index.js"');
}

/** The folder of an installed package, looked up in the node_modules folders from `cwd` upwards. */
function findInstalledPackage(name: string, cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Whether `spec` is a bare package name (`name` or `@scope/name`), not a subpath within one. */
function isPackageName(spec: string): boolean {
  return /^(@[^/]+\/)?[^/@][^/]*$/.test(spec);
}

/**
 * Resolves a plugin specifier to the file to import: a file path, a folder (its package.json
 * `exports`/`main`, else index.js), or an installed package name (looked up from `cwd`).
 * A specifier that starts with `.`, `/` (or is otherwise a path) is a path relative to `cwd`.
 *
 * @throws {@link PluginError} when the file, folder or package is not found.
 *
 * @category Plugin loading
 */
export function resolvePlugin(spec: string, cwd = process.cwd()): string {
  if (looksLikePath(spec)) {
    const full = path.resolve(cwd, spec);
    if (!existsSync(full)) throw new PluginError(spec, `file not found: ${full}`, 'pass the path of a plugin file or folder (relative to the working directory), or an installed package name');
    return statSync(full).isDirectory() ? resolveFolder(spec, full) : full;
  }
  const installed = isPackageName(spec) ? findInstalledPackage(spec, cwd) : undefined;
  if (installed) return resolveFolder(spec, installed);
  try {
    return createRequire(path.join(cwd, 'noop.js')).resolve(spec);
  } catch {
    throw new PluginError(spec, `package not found from ${cwd}`, `npm install ${spec}, or pass a path to the plugin (starting with ./ or /)`);
  }
}

/** `at FILE:LINE`, or which module's imports hold the error when no file of the plugin has it. */
function locateSyntaxError(file: string): string {
  const where = syntaxErrorLocation(file);
  return where ? `at ${where}` : `in a module that ${path.basename(file)} imports`;
}

/** Why importing a plugin failed, in one line, with what to do about it. */
function describeLoadFailure(spec: string, file: string, err: unknown): PluginError {
  const e = err as NodeJS.ErrnoException;
  const message = e?.message ?? String(err);
  if (e?.code === 'ERR_MODULE_NOT_FOUND') {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
    return new PluginError(spec, `throws while loading: it imports ${missing ? `"${missing}", which is not installed` : 'a module that does not exist'} (${message})`, 'install the plugin\'s dependencies (npm install in its folder) or fix the import', { cause: err });
  }
  if (e instanceof SyntaxError) {
    const cjs = /outside a module|Unexpected token 'export'/.test(message);
    return new PluginError(
      spec,
      `throws while loading: syntax error ${locateSyntaxError(file)}: ${message}`,
      cjs ? 'plugins are ES modules: add "type": "module" to the plugin\'s package.json or name the file .mjs' : undefined,
      { cause: err },
    );
  }
  const name = e instanceof Error && e.name !== 'Error' ? `${e.name}: ` : '';
  return new PluginError(spec, `throws while loading ${file}: ${name}${message}`, undefined, { cause: err });
}

/**
 * Imports a plugin module and returns its registration: the default export (or an export named
 * `plugin`) made with `definePlugin({...})`, or an inversify ContainerModule. The plugin's own
 * imports of `rnnbow`, `@tensorflow/tfjs` and `inversify` resolve to the copies this process runs
 * (through a module resolution hook on Node >= 20.6), so a plugin folder needs no node_modules of
 * its own. It does not register anything: see {@link loadPlugins}.
 *
 * @throws {@link PluginError} when the plugin cannot be found, fails to import (with the file
 * and line of a syntax error), or exports no registration.
 *
 * @category Plugin loading
 */
export async function importPlugin(spec: string, cwd = process.cwd()): Promise<RnnbowPlugin | ContainerModule> {
  const file = resolvePlugin(spec, cwd);
  shareHostPackages();
  // A plugin may run tfjs ops as it loads; tfjs must be in production mode by then (loadTfjs).
  loadTfjs();
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    throw describeLoadFailure(spec, file, err);
  }
  const candidates = [mod.default, mod.plugin, (mod.default as Record<string, unknown> | undefined)?.default];
  const found = candidates.find((c) => isPlugin(c) || c instanceof ContainerModule);
  if (found) return found as RnnbowPlugin | ContainerModule;
  const exported = Object.keys(mod).map((k) => (k === 'default' ? `default (${describeValue(mod.default)})` : k));
  const foreignModule = candidates.some((c) => typeof c === 'object' && c !== null && c.constructor?.name === 'ContainerModule');
  throw new PluginError(
    spec,
    `exports no registration: expected a default export made with definePlugin({...}) or an inversify ContainerModule, found ${exported.length ? `exports ${exported.join(', ')}` : 'no exports'}`,
    foreignModule
      ? 'its ContainerModule comes from another copy of inversify; import inversify so that it resolves to the one rnnbow uses'
      : 'end the plugin with: export default definePlugin({ name: "...", cells: [...] })',
  );
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const kind = (value as { kind?: unknown }).kind;
    return kind !== undefined ? `an object with kind ${JSON.stringify(kind)}, not "rnnbow-plugin"` : `an object with keys ${Object.keys(value).join(', ') || '(none)'}`;
  }
  return `a ${typeof value}`;
}

/**
 * Loads each plugin specifier into `registry`, reporting the first failure by name and cause:
 * {@link importPlugin} then {@link PartRegistry.register} (or `registerModule`), in order.
 * Plugins before the failing one stay registered.
 *
 * @throws {@link PluginError} for a plugin that cannot be loaded, clashes with a registered name,
 * or has a cell that fails the load-time probe.
 *
 * @category Plugin loading
 */
export async function loadPlugins(registry: PartRegistry, specs: readonly string[], cwd = process.cwd()): Promise<void> {
  for (const spec of specs) {
    const registration = await importPlugin(spec, cwd);
    try {
      if (registration instanceof ContainerModule) registry.registerModule(registration, spec);
      else registry.register(registration, spec);
    } catch (err) {
      if (err instanceof RnnbowError) throw err;
      throw new PluginError(spec, `failed to register: ${(err as Error).message}`, undefined, { cause: err });
    }
  }
}
