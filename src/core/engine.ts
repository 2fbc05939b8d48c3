import type { ParamStore } from './params.js';
import type { ClippingOptimizer, OptimizerKind } from '../train/optimizer.js';

/**
 * Magnitude reductions of one itemized gradient G_{t,j}. Each costs O(H) per item, never O(H²),
 * because G_{t,j} is an outer product δ uᵀ: `l2` is the Frobenius norm ‖δ‖·‖u‖ (the default),
 * `meanAbs` the mean absolute entry mean|δ|·mean|u|, `mean` the signed mean entry
 * mean(δ)·mean(u), which can be negative (bars stack absolute values, see {@link barHeights}).
 *
 * @category Gradient engine
 */
export type Reduction = 'l2' | 'meanAbs' | 'mean';

/**
 * All reductions, in the order `--help` lists them.
 *
 * @category Gradient engine
 */
export const REDUCTIONS: readonly Reduction[] = ['l2', 'meanAbs', 'mean'];

/**
 * Which engine to run: `auto` takes a cell's fused kernel when it has one and the tfjs reference
 * engine otherwise; `fused` insists on the kernel (a cell without one is refused); `tfjs` always
 * takes the reference engine.
 *
 * @category Gradient engine
 */
export type EnginePreference = 'auto' | 'fused' | 'tfjs';

/**
 * Every {@link EnginePreference}, for the config schema, `--engine` and `itemizeText` to check against.
 *
 * @category Gradient engine
 */
export const ENGINE_PREFERENCES: readonly EnginePreference[] = ['auto', 'fused', 'tfjs'];

/**
 * A minibatch of `batchSize` sequences of `length` steps, row-major by sequence: step t of
 * sequence b is at index `b * length + t`.
 *
 * @category Gradient engine
 */
export interface Batch {
  /** Sequences in the batch (B). */
  readonly batchSize: number;
  /** Steps per sequence (n). */
  readonly length: number;
  /** Input token ids, `[B * n]`. */
  readonly inputs: Int32Array;
  /** Target token ids (the next character: `targets[i]` follows `inputs[i]` in the text), `[B * n]`. */
  readonly targets: Int32Array;
}

/**
 * Recurrent state: one `[B * H]` array per state component of the cell, in the order of
 * {@link CellDefinition.state} (h first); unit i of sequence b is at `b * H + i`. See
 * {@link zeroState}.
 *
 * @category Gradient engine
 */
export type State = Float32Array[];

/**
 * What to itemize on a recorded batch, passed to {@link GradientEngine.train}. The trainer
 * builds it from a recorder's {@link RecordPlan} and the run's `recordSequence` and `reduction`.
 *
 * @category Gradient engine
 */
export interface ItemizeRequest {
  /**
   * Which sequence of the batch to itemize, 0..B-1 (the viewer shows one sequence, as the paper
   * does; itemizing all B would multiply the cost by B).
   */
  readonly sequence: number;
  /** Keep only distances d = t - j <= k (an integer >= 0); `null` keeps all (full itemization). */
  readonly k: number | null;
  /** How each G_{t,j} is summarised. */
  readonly reduction: Reduction;
  /** Also measure, at each step j, the gradient of the losses that truncation dropped. */
  readonly residual: boolean;
  /** Also return the full matrices G_{t,j} (small models only: O(n² H²) memory). */
  readonly full?: boolean;
  /**
   * Also return {@link ItemizedSequence.gradient}, the sequence's own gradient (default true).
   * It is a copy of every parameter per recorded batch (at the paper's sizes 5% of a fully
   * itemized B = 1 step); the trainer, which does not use it, turns it off.
   */
  readonly sequenceGradient?: boolean;
}

/**
 * The itemized gradient of one parameter, as the engine returns it; the trainer copies it into a
 * {@link RecordedParam}. Matrices are indexed by the loss step t and the distance d = t - j.
 *
 * @category Gradient engine
 */
export interface ItemizedParam {
  /** `byDistance[t][d]` = reduction of dL_t/dθ at step j = t - d, for d = 0..min(t, k). */
  readonly byDistance: number[][];
  /** The same split by gate row block (`{i: [...], f: [...]}`), for parameters that declare gates. */
  readonly gates?: Record<string, number[][]>;
  /** `residual[j]` = reduction of the part of the gradient at step j from losses t > j + k. */
  readonly residual?: number[];
  /** `full[t][d]` = G_{t,t-d} as a row-major array of the parameter's shape (when requested). */
  readonly full?: Float32Array[][];
}

/**
 * Itemized gradients of one sequence, {@link EngineResult.itemized}.
 *
 * @category Gradient engine
 */
export interface ItemizedSequence {
  /** Index of the sequence in its batch. */
  readonly sequence: number;
  /** The truncation used, `null` for full. */
  readonly k: number | null;
  /** The reduction used. */
  readonly reduction: Reduction;
  /** Per itemized parameter (those entering through `linear`/`elementwise`). */
  readonly params: Record<string, ItemizedParam>;
  /**
   * dL_b/dθ of this sequence alone (L_b = Σ_t L_{b,t}), every parameter: the invariant's right
   * side. Absent when the request set `sequenceGradient: false`.
   */
  readonly gradient?: ParamStore;
}

/**
 * What one pass over a batch produced.
 *
 * @category Gradient engine
 */
export interface EngineResult {
  /** Cross-entropy per step in nats, `[B * n]` (index `b * n + t`, as in {@link Batch}). */
  readonly losses: Float32Array;
  /** Argmax prediction per step, `[B * n]` (index `b * n + t`). */
  readonly predictions: Int32Array;
  /** State after the last step, to carry into the next batch of the same streams. */
  readonly finalState: State;
  /** Present when an itemization was requested. */
  readonly itemized?: ItemizedSequence;
}

/**
 * What {@link GradientEngine.predict} returns.
 *
 * @category Gradient engine
 */
export interface Prediction {
  /** Softmax probabilities of the next token, `[B * V]`. */
  probs: Float32Array;
  /** The state after the step. */
  state: State;
}

/**
 * Runs a model (cell + softmax output head) over batches. The training loss is
 * L = (1/B) Σ_b Σ_t L_{b,t}; `train` writes dL/dθ into `grads` (overwriting it).
 *
 * Two implementations ship: the reference {@link TfjsEngine}, which runs any cell's `step`, and
 * the fused kernels of the built-in cells. {@link createEngine} picks one; a plugin cell may
 * supply its own through {@link CellDefinition.kernel}. Parameters stay in the caller's
 * {@link ParamStore}; the engine only reads them (and, through its own optimizer, updates them).
 *
 * @category Gradient engine
 */
export interface GradientEngine {
  /** Short name for logs and benchmarks (`tfjs:wasm`, `fused:js`). */
  readonly name: string;
  /**
   * Forward, loss and full BPTT; optionally itemizes one sequence in the same pass. `grads` may
   * be null only after {@link GradientEngine.createOptimizer}: the gradient then stays with the
   * engine for that optimizer's next `clipAndUpdate(params, null, …)`.
   */
  train(params: ParamStore, batch: Batch, initialState: State, grads: ParamStore | null, itemize?: ItemizeRequest): EngineResult;
  /**
   * Optional: an optimizer that updates the parameters inside the engine (where its kernels
   * keep parameters and gradients), so neither is copied out and back in per batch. Engines
   * without one are used with a standalone optimizer and a gradient store.
   */
  createOptimizer?(kind: OptimizerKind, params: ParamStore, lr: number): ClippingOptimizer;
  /** Forward only (validation). */
  evaluate(params: ParamStore, batch: Batch, initialState: State): EngineResult;
  /** One step for B streams returning the softmax probabilities and the new state (sampling). */
  predict(params: ParamStore, tokens: Int32Array, state: State): Prediction;
  /** Frees whatever the engine holds (tensors, wasm memory). */
  dispose(): void;
}
