// rnnbow's WebAssembly SIMD kernels: entry point compiled by scripts/build-wasm.mjs.
// The contract of every export is documented on the FusedOps interface in
// src/core/engine/fused/ops.ts; pointers here are byte addresses into the exported memory.

export { gemmNT, gemmNN, gemmTN, colSum, scale } from './gemm';
export { gatherColumns, scatterColumns } from './gather';
export { softmax } from './softmax';
export { adagrad, adam } from './optimizers';
export { rnnForward, rnnBackward } from './rnn';
export { lstmForward, lstmBackward } from './lstm';
export { gruForward, gruBackward } from './gru';
export { rowBlockSums, sumSquares } from './stats';

/** First byte the host may use: past the module's static data, 16-byte aligned. */
export function heapStart(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
