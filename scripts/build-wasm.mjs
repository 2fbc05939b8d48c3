#!/usr/bin/env node
// Compiles the WebAssembly SIMD kernels (assembly/*.ts, AssemblyScript) into
// dist/wasm/rnnbow-kernels.wasm, and the same kernels with fused multiply-add (relaxed SIMD)
// into dist/wasm/rnnbow-kernels-fma.wasm; both ship in the package and the engine picks one at
// run time (src/core/engine/fused/wasm-ops.ts). Part of `npm run build`, so
// `npm install`/`npm ci` (via `prepare`) build it too. Skips the compile when the output is
// newer than every source. The fused engine falls back to its JavaScript kernels, and says so
// in its name, when the file is missing. It also builds the bench's machine probe
// (assembly/bench/, into dist/bench/; not part of the package).
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const kernelDir = join(root, 'assembly');
const probeDir = join(kernelDir, 'bench');
const outDir = join(root, 'dist', 'wasm');
/** Each build: its entry, the folder of its sources, its file and the WebAssembly features it is compiled with. */
const builds = [
  { entry: join(kernelDir, 'index.ts'), sources: kernelDir, file: join(outDir, 'rnnbow-kernels.wasm'), features: ['simd'] },
  { entry: join(kernelDir, 'index.ts'), sources: kernelDir, file: join(outDir, 'rnnbow-kernels-fma.wasm'), features: ['simd', 'relaxed-simd'] },
  { entry: join(probeDir, 'machine-probe.ts'), sources: probeDir, file: join(root, 'dist', 'bench', 'machine-probe.wasm'), features: ['simd', 'relaxed-simd'] },
];

function newestSource(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
  files.push(fileURLToPath(import.meta.url));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

function upToDate({ file, sources }) {
  try {
    return statSync(file).mtimeMs > newestSource(sources);
  } catch {
    return false;
  }
}

const stale = builds.filter((b) => process.argv.includes('--force') || !upToDate(b));
if (stale.length > 0) {
  let asc;
  try {
    asc = (await import('assemblyscript/asc')).default;
  } catch {
    console.error('build-wasm: the AssemblyScript compiler is not installed (devDependency "assemblyscript"); run `npm install`.');
    process.exit(1);
  }
  for (const { entry, file, features } of stale) {
    mkdirSync(dirname(file), { recursive: true });
    const { error, stderr } = await asc.main(
      [
        entry,
        '--outFile', file,
        '--optimizeLevel', '3',
        '--shrinkLevel', '0',
        '--runtime', 'stub',
        '--noAssert',
        '--use', 'abort=',
        ...features.flatMap((f) => ['--enable', f]),
      ],
      {},
    );
    if (error) {
      console.error(stderr.toString());
      console.error(`build-wasm: ${error.message}`);
      process.exit(1);
    }
    console.log(`build-wasm: wrote ${file} (${statSync(file).size} bytes)`);
  }
}
