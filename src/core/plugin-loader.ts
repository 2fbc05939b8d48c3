import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ContainerModule } from 'inversify';
import { PluginError, RnnbowError } from './errors.js';
import { isPlugin, type RnnbowPlugin } from './plugin.js';
import type { PartRegistry } from './registry.js';

function looksLikePath(spec: string): boolean {
  return spec.startsWith('.') || spec.startsWith('/') || path.isAbsolute(spec) || existsSync(spec);
}

/** Resolves a plugin specifier (file, folder or package name) to a file to import. */
export function resolvePlugin(spec: string, cwd = process.cwd()): string {
  if (looksLikePath(spec)) {
    const full = path.resolve(cwd, spec);
    if (!existsSync(full)) throw new PluginError(spec, `file not found: ${full}`);
    if (!statSync(full).isDirectory()) return full;
    const pkgFile = path.join(full, 'package.json');
    if (existsSync(pkgFile)) {
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
      const main = (typeof pkg.exports === 'string' ? pkg.exports : pkg.exports?.['.']?.default ?? pkg.exports?.['.']) ?? pkg.main;
      if (typeof main === 'string') return path.join(full, main);
    }
    for (const index of ['index.js', 'index.mjs']) if (existsSync(path.join(full, index))) return path.join(full, index);
    throw new PluginError(spec, `folder ${full} has no package.json "main"/"exports" and no index.js`);
  }
  try {
    return createRequire(path.join(cwd, 'noop.js')).resolve(spec);
  } catch {
    throw new PluginError(spec, `package not found from ${cwd}`, `npm install ${spec}, or pass a path to the plugin`);
  }
}

/** Imports a plugin module and returns its registration (default export, `plugin`, or a ContainerModule). */
export async function importPlugin(spec: string, cwd = process.cwd()): Promise<RnnbowPlugin | ContainerModule> {
  const file = resolvePlugin(spec, cwd);
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    throw new PluginError(spec, `throws while loading: ${(err as Error).message}`, undefined, { cause: err });
  }
  const candidates = [mod.default, mod.plugin, (mod.default as Record<string, unknown> | undefined)?.default];
  const found = candidates.find((c) => isPlugin(c) || c instanceof ContainerModule);
  if (!found) {
    throw new PluginError(
      spec,
      `exports no registration (expected a default export made with definePlugin({...}) or an inversify ContainerModule; found ${Object.keys(mod).join(', ') || 'nothing'})`,
    );
  }
  return found as RnnbowPlugin | ContainerModule;
}

/** Loads each plugin specifier into `registry`, reporting the first failure by name and cause. */
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
