import { RnnbowError } from '../../errors.js';
import { createJsOps } from './js-ops.js';
import type { FusedOps } from './ops.js';
import { loadWasmOps, type WasmVariant, wasmUnavailableReason } from './wasm-ops.js';

/**
 * Which kernel implementation a fused engine runs. `auto` takes the fastest that runs here:
 * the WebAssembly FMA build, else plain WebAssembly SIMD, else JavaScript. `wasm` is the same
 * but refuses to fall back to JavaScript; `wasm-fma` and `wasm-simd` insist on one build (the
 * tests run both); `js` is the plain JavaScript kernels.
 */
export type FusedBackend = 'auto' | 'wasm' | 'wasm-fma' | 'wasm-simd' | 'js';

function unavailable(what: string, reason: string): RnnbowError {
  return new RnnbowError(
    'BACKEND',
    `the ${what} kernels are not available: ${reason}`,
    'run `npm run build` (it compiles assembly/ into dist/wasm), or choose another fused backend',
  );
}

/** Kernels for a new engine (see {@link FusedBackend}). */
export function selectOps(backend: FusedBackend): FusedOps {
  if (backend === 'js') return createJsOps();
  const insisted = wasmVariantOf(backend);
  if (insisted) {
    const ops = loadWasmOps(insisted);
    if (!ops) throw unavailable(insisted === 'fma' ? 'WebAssembly FMA' : 'WebAssembly SIMD', wasmUnavailableReason(insisted));
    return ops;
  }
  const wasm = loadWasmOps('fma') ?? loadWasmOps('simd');
  if (wasm) return wasm;
  if (backend === 'wasm') throw unavailable('WebAssembly SIMD', wasmUnavailableReason('simd'));
  return createJsOps();
}

/** The WebAssembly build a backend insists on (null for `js` and the choosing backends). */
export function wasmVariantOf(backend: FusedBackend): WasmVariant | null {
  return backend === 'wasm-fma' ? 'fma' : backend === 'wasm-simd' ? 'simd' : null;
}

/** The backend that selects exactly these kernels again (what worker threads load). */
export function backendOf(ops: FusedOps): FusedBackend {
  if (ops.kind === 'wasm-fma') return 'wasm-fma';
  if (ops.kind === 'wasm-simd') return 'wasm-simd';
  return 'js';
}
