/**
 * Lets a worker thread run this directory's TypeScript sources directly, as the tests do (vitest
 * transforms the main thread's modules, but a worker thread is a plain Node isolate). When the
 * fused engine runs from compiled JavaScript (dist/, the package) none of this is used.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Module hooks (registered in the worker with `module.register`): a relative `./x.js` import
 * from a `.ts` file resolves to `./x.ts` when that exists, and `.ts` files are transpiled (types
 * stripped, nothing checked) with the project's own TypeScript compiler. Transpiled files are
 * cached in the temporary directory by a hash of their text, so only the first worker after an
 * edit pays for loading the compiler.
 */
const HOOKS = `
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
let typescriptUrl;
let ts;
const cacheDir = join(tmpdir(), 'rnnbow-worker-ts-cache');
export async function initialize(data) { typescriptUrl = data.typescript; }
export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent && parent.startsWith('file:') && parent.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const url = new URL(specifier.slice(0, -3) + '.ts', parent);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (!(url.startsWith('file:') && url.endsWith('.ts'))) return next(url, context);
  const fileName = fileURLToPath(url);
  const source = readFileSync(fileName, 'utf8');
  const cached = join(cacheDir, createHash('sha1').update(typescriptUrl + '\\0' + source).digest('hex') + '.js');
  if (existsSync(cached)) return { format: 'module', source: readFileSync(cached, 'utf8'), shortCircuit: true };
  ts ??= (await import(typescriptUrl)).default;
  const out = ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, sourceMap: false },
  }).outputText;
  try {
    mkdirSync(cacheDir, { recursive: true });
    const partial = cached + '.' + process.pid + '.' + Math.random().toString(36).slice(2);
    writeFileSync(partial, out);
    renameSync(partial, cached);
  } catch {}
  return { format: 'module', source: out, shortCircuit: true };
}
`;

/** Hooks a worker must register before importing `.ts` modules, or `null` when this module is compiled JavaScript. */
export function sourceModeHooks(): { url: string; data: { typescript: string } } | null {
  if (!import.meta.url.endsWith('.ts')) return null;
  const typescript = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;
  return { url: `data:text/javascript,${encodeURIComponent(HOOKS)}`, data: { typescript } };
}

/**
 * The URL of module `name` in the directory of `base` (default: this directory), as a worker
 * imports it (`.ts` when running from sources).
 */
export function siblingModule(name: string, base: string = import.meta.url): string {
  return new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, base).href;
}
