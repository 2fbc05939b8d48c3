/**
 * Parameters live in plain Float32Arrays owned by the trainer: the optimizer updates them in
 * place, checkpoints serialize them, and each engine (tfjs reference or fused kernel) reads them
 * without a copy it has to keep in sync.
 */

/**
 * How a parameter is initialised. `uniform` is PyTorch's U(-1/sqrt(H), 1/sqrt(H));
 * a {@link ConstantInit} fills it with one value.
 */
export type ParamInit = 'uniform' | 'zeros' | 'ones' | ConstantInit;

/** Every value the same: a forget-gate bias of 1, a leak that starts small. */
export interface ConstantInit {
  /** The value (finite). */
  readonly constant: number;
}

/** Declares one parameter of a cell (or of the output head). */
export interface ParamSpec {
  /** PyTorch-style name, e.g. `weight_hh`; also the checkpoint key. */
  readonly name: string;
  /** `[rows, cols]` for matrices, `[size]` for vectors. */
  readonly shape: readonly number[];
  /** Initialisation; defaults to `uniform`. */
  readonly init?: ParamInit;
  /**
   * Names of equal row blocks, in order, for gated cells (LSTM `['i','f','g','o']`): the engine
   * splits this parameter's itemized gradient per gate.
   */
  readonly gates?: readonly string[];
}

/** A parameter's values with its shape, row-major. */
export interface ParamTensor {
  /** `[rows, cols]` or `[size]`. */
  readonly shape: readonly number[];
  /** Row-major values. */
  readonly data: Float32Array;
}

/** Every parameter of a model by name. */
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
