#!/usr/bin/env node
// Compiles the WebAssembly SIMD kernels (assembly/*.ts, AssemblyScript) into
// dist/wasm/rnnbow-kernels.wasm, which ships in the package. Part of `npm run build`, so
// `npm install`/`npm ci` (via `prepare`) build it too. Skips the compile when the output is
// newer than every source. The fused engine falls back to its JavaScript kernels, and says so
// in its name, when the file is missing.
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(root, 'assembly');
const outFile = join(root, 'dist', 'wasm', 'rnnbow-kernels.wasm');

function newestSource() {
  const files = readdirSync(sourceDir).filter((f) => f.endsWith('.ts')).map((f) => join(sourceDir, f));
  files.push(fileURLToPath(import.meta.url));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

function upToDate() {
  try {
    return statSync(outFile).mtimeMs > newestSource();
  } catch {
    return false;
  }
}

if (process.argv.includes('--force') || !upToDate()) {
  let asc;
  try {
    asc = (await import('assemblyscript/asc')).default;
  } catch {
    console.error('build-wasm: the AssemblyScript compiler is not installed (devDependency "assemblyscript"); run `npm install`.');
    process.exit(1);
  }
  mkdirSync(dirname(outFile), { recursive: true });
  const { error, stderr } = await asc.main(
    [
      join(sourceDir, 'index.ts'),
      '--outFile', outFile,
      '--optimizeLevel', '3',
      '--shrinkLevel', '0',
      '--runtime', 'stub',
      '--noAssert',
      '--use', 'abort=',
      '--enable', 'simd',
    ],
    {},
  );
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: wrote ${outFile} (${statSync(outFile).size} bytes)`);
}
