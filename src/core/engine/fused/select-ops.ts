import { RnnbowError } from '../../errors.js';
import { createJsOps } from './js-ops.js';
import type { FusedOps } from './ops.js';
import { loadWasmOps, wasmUnavailableReason } from './wasm-ops.js';

/** Which kernel implementation a fused engine runs: `auto` prefers WebAssembly SIMD. */
export type FusedBackend = 'auto' | 'wasm' | 'js';

/**
 * Kernels for a new engine. `auto` takes WebAssembly SIMD when the compiled module is present
 * and this runtime accepts it, and the plain JavaScript kernels otherwise; `wasm` insists.
 */
export function selectOps(backend: FusedBackend): FusedOps {
  if (backend === 'js') return createJsOps();
  const wasm = loadWasmOps();
  if (wasm) return wasm;
  if (backend === 'wasm') {
    throw new RnnbowError(
      'BACKEND',
      `the WebAssembly SIMD kernels are not available: ${wasmUnavailableReason()}`,
      'run `npm run build` (it compiles assembly/ into dist/wasm), or use the JS kernels',
    );
  }
  return createJsOps();
}
