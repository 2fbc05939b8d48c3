/**
 * Parameters live in plain Float32Arrays owned by the trainer: the optimizer updates them in
 * place, checkpoints serialize them, and each engine (tfjs reference or fused kernel) reads them
 * without a copy it has to keep in sync.
 */

/**
 * How a parameter is initialised. `uniform` (the default) is PyTorch's U(-1/sqrt(H), 1/sqrt(H))
 * with H the hidden size; `zeros` and `ones` fill it; a {@link ConstantInit} fills it with one
 * value. See {@link initParams}.
 *
 * @category Cell plugins
 */
export type ParamInit = 'uniform' | 'zeros' | 'ones' | ConstantInit;

/**
 * Every value the same: a forget-gate bias of 1, a leak that starts small.
 *
 * @category Cell plugins
 */
export interface ConstantInit {
  /** The value (finite). */
  readonly constant: number;
}

/**
 * Declares one parameter of a cell (or of the output head), returned by
 * {@link CellDefinition.params}. A spec the load-time probe rejects (bad shape or init, a
 * duplicate or reserved name, gates that do not divide the rows) is a {@link CellShapeError}.
 *
 * @example The LSTM's recurrent weight: four gate blocks of H rows each
 * ```ts
 * import type { CellDims, ParamSpec } from 'rnnbow';
 *
 * const weightHh = ({ hiddenSize }: CellDims): ParamSpec =>
 *   ({ name: 'weight_hh', shape: [4 * hiddenSize, hiddenSize], gates: ['i', 'f', 'g', 'o'] });
 * ```
 *
 * @category Cell plugins
 */
export interface ParamSpec {
  /**
   * PyTorch-style name, e.g. `weight_hh`; also the checkpoint key and the key in records.
   * `out.weight` and `out.bias` are the output head's and cannot be used.
   */
  readonly name: string;
  /**
   * `[rows, cols]` for matrices, `[size]` for vectors, positive integers. A matrix used with
   * {@link CellContext.linear} is `[out, in]` (PyTorch's layout).
   */
  readonly shape: readonly number[];
  /** Initialisation; defaults to `uniform` (see {@link ParamInit}). */
  readonly init?: ParamInit;
  /**
   * Names of equal row blocks, in order, for gated cells (LSTM `['i','f','g','o']`): the engine
   * splits this parameter's itemized gradient per gate ({@link RecordedParam.gates}), so the
   * viewer can show which gate carries the gradient. The row count must divide evenly. The split
   * follows the weight of a helper call: a bias passed in the same call is split by the
   * weight's gates.
   */
  readonly gates?: readonly string[];
}

/**
 * A parameter's values with its shape, row-major: entry (r, c) of a `[rows, cols]` matrix is
 * `data[r * cols + c]`.
 *
 * @category Gradient engine
 */
export interface ParamTensor {
  /** `[rows, cols]` or `[size]`. */
  readonly shape: readonly number[];
  /** Row-major values. */
  readonly data: Float32Array;
}

/**
 * Every parameter of a model by name (the cell's and the output head's); also the shape of a
 * gradient. Made by {@link initParams} or read by {@link loadCheckpoint}.
 *
 * @category Gradient engine
 */
export type ParamStore = Record<string, ParamTensor>;

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A store of zeros with the same names and shapes as `like`. */
export function zerosLike(like: ParamStore): ParamStore {
  const out: ParamStore = {};
  for (const [name, p] of Object.entries(like)) out[name] = { shape: p.shape, data: new Float32Array(p.data.length) };
  return out;
}

/** Sets every value of `store` to zero, keeping the arrays (no allocation on the hot path). */
export function fillZero(store: ParamStore): void {
  for (const p of Object.values(store)) p.data.fill(0);
}

/** Deep copy. */
export function cloneParams(store: ParamStore): ParamStore {
  const out: ParamStore = {};
  for (const [name, p] of Object.entries(store)) out[name] = { shape: [...p.shape], data: new Float32Array(p.data) };
  return out;
}
