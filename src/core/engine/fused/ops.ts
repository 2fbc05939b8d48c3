/**
 * The primitive kernels a fused engine is built from. Two implementations share this contract:
 * plain JavaScript loops ({@link createJsOps}) and hand-written WebAssembly SIMD
 * ({@link loadWasmOps}). Every array lives in one flat memory (the ops' {@link KernelMemory}),
 * and every offset, length and leading dimension is counted in 4-byte elements, so the same
 * orchestration code drives either implementation.
 *
 * Padding contract: matrices whose rows are read four lanes at a time have a leading dimension
 * that is a multiple of 4 and zeros in the pad columns. Kernels that vectorise over a dimension
 * write whole groups of four; with zero pads in their inputs the pad columns of the output stay
 * zero. Call sites say which dimension is padded.
 */

/** One flat memory holding every array of an engine, viewed as floats and as ints. */
export interface KernelMemory {
  /** The whole memory as float32 (index = offset in elements). */
  readonly f32: Float32Array;
  /** The same bytes as int32 (token ids, predictions). */
  readonly i32: Int32Array;
  /** First element offset the caller may use (below it lives the kernel's own static data). */
  readonly base: number;
  /**
   * Makes the memory at least `elements` long. Growing replaces `f32`/`i32` with new views, so
   * callers re-read them after this returns. Existing contents are kept.
   */
  ensure(elements: number): void;
}

/** Softmax modes of {@link FusedOps.softmax}. */
export const SOFTMAX_GRADIENT = 0;
/** Replace the logits by the probabilities (sampling). */
export const SOFTMAX_PROBS = 1;

/** The primitive kernels (see the file comment for units and the padding contract). */
export interface FusedOps {
  /** `wasm-fma`, `wasm-simd` or `js`: shows up in the engine's name. */
  readonly kind: string;
  /** The memory every offset refers to. */
  readonly memory: KernelMemory;

  /**
   * C[m,n] (+)= Σ_k A[m,k]·B[n,k] for m < M, n < N (A times B transposed). Only the N real
   * columns are written. K is read four at a time: lda, ldb multiples of 4, pads zero.
   */
  gemmNT(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: boolean): void;
  /**
   * C[m,n] (+)= Σ_k A[m,k]·B[k,n] (plain product). Vectorised over n: writes roundUp4(N)
   * columns; ldb, ldc multiples of 4 and B's pad columns zero.
   */
  gemmNN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: boolean): void;
  /**
   * C[m,n] (+)= Σ_k A[k,m]·B[k,n] (A transposed times B: the weight-gradient product).
   * Vectorised over n like {@link FusedOps.gemmNN}.
   */
  gemmTN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, accumulate: boolean): void;
  /** out[n] (+)= Σ_m A[m,n] for n < roundUp4(N) (bias gradients). */
  colSum(M: number, N: number, a: number, lda: number, out: number, accumulate: boolean): void;
  /**
   * out[r,g] = W[g·ldw + tok[r·tokStride]] + bias[g] for g < G: the product of W with a one-hot
   * input, as a column gather. `tok` is an int32 offset.
   */
  gatherColumns(R: number, tok: number, tokStride: number, w: number, ldw: number, G: number, bias: number, out: number, ldo: number): void;
  /** W[g·ldw + tok[r·tokStride]] += dz[r,g]: the gradient of {@link FusedOps.gatherColumns}. */
  scatterColumns(R: number, tok: number, tokStride: number, dz: number, ldz: number, G: number, w: number, ldw: number): void;
  /**
   * Per row: logits += bias, then softmax. Mode {@link SOFTMAX_GRADIENT} writes p - onehot(target)
   * in place, the cross-entropy into `loss[r]` and the argmax into `pred[r]` (int32); mode
   * {@link SOFTMAX_PROBS} writes p and ignores targets, loss and pred.
   */
  softmax(R: number, V: number, logits: number, ld: number, bias: number, targets: number, loss: number, pred: number, mode: number): void;
  /** y[i] = s·x[i] for i < count (copy-out of gradients scaled by 1/B). */
  scale(count: number, x: number, y: number, s: number): void;
  /**
   * Adagrad over `count` values of the gradient times `gs` (the clipping factor, read as the
   * gradient is; the gradient array itself is left alone): mem += g², p -= lr·g/√(mem + eps).
   */
  adagrad(count: number, p: number, g: number, mem: number, lr: number, eps: number, gs: number): void;
  /**
   * Adam over `count` values of the gradient times `gs` (as {@link FusedOps.adagrad}):
   * m = b1·m + (1-b1)·g, v = b2·v + (1-b2)·g², p -= lr·(m/c1)/(√(v/c2) + eps), with c1, c2 the
   * bias corrections of this step.
   */
  adam(count: number, p: number, g: number, m: number, v: number, lr: number, b1: number, b2: number, c1: number, c2: number, eps: number, gs: number): void;
  /** Σ x² over `count` values (float32 partial sums of 1,024 values, added in float64): the squared gradient norm for clipping. */
  sumSquares(count: number, x: number): number;

  /** Vanilla forward: h[r,i] = tanh(z[r,i]) for i < H. */
  rnnForward(R: number, H: number, z: number, ldz: number, h: number, ldh: number): void;
  /**
   * Vanilla backward: dz[r,i] = dh[r,i]·(1 - h²). `hs` is the row stride of the saved h
   * (0 = one row shared by every cotangent row, as the itemizer uses it).
   */
  rnnBackward(R: number, H: number, h: number, hs: number, dh: number, ldd: number, dz: number, ldz: number): void;
  /**
   * LSTM forward, gate blocks i, f, g, o of width H in z (pre-activations in, activations out,
   * in place); c = f⊙cPrev + i⊙g, tc = tanh(c), h = o⊙tc. All state arrays share `ld`.
   */
  lstmForward(R: number, H: number, z: number, ldz: number, cPrev: number, c: number, tc: number, h: number, ld: number): void;
  /**
   * LSTM backward from dh, dc (cotangents on h and c leaving the step) to dz (pre-activations)
   * and dcPrev (written; may alias dc). Saved arrays use row strides `gs` (gates) and `ss`
   * (cPrev, tc); 0 broadcasts one row.
   */
  lstmBackward(R: number, H: number, gates: number, gs: number, cPrev: number, tc: number, ss: number, dh: number, dc: number, ldd: number, dz: number, ldz: number, dcPrev: number): void;
  /**
   * GRU forward: gi = W_ih x + b_ih and gh = W_hh h in; b_hh is added to gh in place (kept:
   * its n block is needed by the backward), r, z, n are written over gi's blocks, and
   * h = (1-z)⊙n + z⊙hPrev.
   */
  gruForward(R: number, H: number, gi: number, gh: number, ldg: number, bhh: number, hPrev: number, h: number, ld: number): void;
  /**
   * GRU backward: from dh to dgi and dgh (pre-activation cotangents of both linear maps) and
   * dhPrev += dh⊙z (the direct path; the caller adds dgh·W_hh). Saved arrays use row strides
   * `gs` (r,z,n and gh) and `ss` (hPrev); 0 broadcasts one row.
   */
  gruBackward(R: number, H: number, act: number, gh: number, gs: number, hPrev: number, ss: number, dh: number, ldd: number, dgi: number, dgh: number, ldz: number, dhPrev: number): void;

  /**
   * Row statistics for the itemizer: out[r·G + g] = Σ f(x) over the g-th block of W values of
   * row r of `src` (rows `ld` apart), with f = x² ({@link ROW_SUM_SQUARES}), |x|
   * ({@link ROW_SUM_ABS}) or x ({@link ROW_SUM}). Blocks need not be lane-aligned.
   */
  rowBlockSums(R: number, G: number, W: number, src: number, ld: number, mode: number, out: number): void;
}

/** {@link FusedOps.rowBlockSums} mode: sum of squares (for the l2 reduction). */
export const ROW_SUM_SQUARES = 0;
/** {@link FusedOps.rowBlockSums} mode: sum of absolute values (meanAbs). */
export const ROW_SUM_ABS = 1;
/** {@link FusedOps.rowBlockSums} mode: plain sum (mean). */
export const ROW_SUM = 2;

/** `x` rounded up to a multiple of 4 (the SIMD lane count). */
export function roundUp4(x: number): number {
  return (x + 3) & ~3;
}
