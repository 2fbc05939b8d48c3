import type { Batch, Reduction, State } from '../../src/core/engine.js';
import type { ParamStore } from '../../src/core/params.js';

/**
 * An independent float64 model for the numerics tests: the cells' equations written out as
 * plain loops (from the formulas in src/cells/*.ts' doc comments and DESIGN.md), a softmax
 * head, and gradients by central finite differences. It shares no code with the engines: no
 * tfjs, no kernels, no ItemizationBuilder, no reductions from src/.
 */

/** Parameters in float64, by name (row-major, the shapes of the ParamStore they came from). */
export type Params64 = Record<string, Float64Array>;

/** One cell's step in float64: `x` is the input token id, `state` the components (h first). */
export interface ReferenceCell {
  /** Number of state components. */
  readonly components: number;
  /** The next state. */
  step(P: Params64, x: number, state: readonly Float64Array[], H: number, V: number): Float64Array[];
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** rows × cols matrix (row-major) times a one-hot column (token x): the x-th column, plus a bias. */
function columnPlusBias(W: Float64Array, b: Float64Array, rows: number, cols: number, x: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = W[r * cols + x] + b[r];
  return out;
}

/** W h + b for a rows × H matrix. */
function matVecPlusBias(W: Float64Array, h: Float64Array, b: Float64Array, rows: number, H: number): Float64Array {
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = b[r];
    for (let c = 0; c < H; c++) s += W[r * H + c] * h[c];
    out[r] = s;
  }
  return out;
}

/** h' = tanh(W_ih x + b_ih + W_hh h + b_hh). */
export const referenceRnn: ReferenceCell = {
  components: 1,
  step(P, x, [h], H, V) {
    const a = columnPlusBias(P.weight_ih, P.bias_ih, H, V, x);
    const r = matVecPlusBias(P.weight_hh, h, P.bias_hh, H, H);
    return [a.map((v, i) => Math.tanh(v + r[i]))];
  },
};

/** PyTorch's LSTM, gate rows i, f, g, o: c' = σ(f) c + σ(i) tanh(g), h' = σ(o) tanh(c'). */
export const referenceLstm: ReferenceCell = {
  components: 2,
  step(P, x, [h, c], H, V) {
    const a = columnPlusBias(P.weight_ih, P.bias_ih, 4 * H, V, x);
    const r = matVecPlusBias(P.weight_hh, h, P.bias_hh, 4 * H, H);
    const z = a.map((v, i) => v + r[i]);
    const h2 = new Float64Array(H);
    const c2 = new Float64Array(H);
    for (let i = 0; i < H; i++) {
      c2[i] = sigmoid(z[H + i]) * c[i] + sigmoid(z[i]) * Math.tanh(z[2 * H + i]);
      h2[i] = sigmoid(z[3 * H + i]) * Math.tanh(c2[i]);
    }
    return [h2, c2];
  },
};

/** PyTorch's GRU, gate rows r, z, n: n = tanh(x_n + r (W_hn h + b_hn)), h' = (1 - z) n + z h. */
export const referenceGru: ReferenceCell = {
  components: 1,
  step(P, x, [h], H, V) {
    const a = columnPlusBias(P.weight_ih, P.bias_ih, 3 * H, V, x);
    const g = matVecPlusBias(P.weight_hh, h, P.bias_hh, 3 * H, H);
    const out = new Float64Array(H);
    for (let i = 0; i < H; i++) {
      const r = sigmoid(a[i] + g[i]);
      const z = sigmoid(a[H + i] + g[H + i]);
      const n = Math.tanh(a[2 * H + i] + r * g[2 * H + i]);
      out[i] = (1 - z) * n + z * h[i];
    }
    return [out];
  },
};

/** The reference cell for a built-in cell name. */
export const REFERENCE_CELLS: Record<string, ReferenceCell> = { rnn: referenceRnn, lstm: referenceLstm, gru: referenceGru };

/** A float64 copy of a parameter store (the exact float32 values the engines see). */
export function toParams64(params: ParamStore): Params64 {
  return Object.fromEntries(Object.entries(params).map(([name, p]) => [name, Float64Array.from(p.data)]));
}

/** One sequence's tokens and initial state. */
export interface ReferenceSequence {
  /** Input token ids `[n]`. */
  readonly inputs: ArrayLike<number>;
  /** Target token ids `[n]`. */
  readonly targets: ArrayLike<number>;
  /** Initial state, one `[H]` array per component. */
  readonly state: readonly ArrayLike<number>[];
}

/** Sequence `b` of a batch with its slice of the batch's initial state. */
export function sequenceOf(batch: Batch, state: State, b: number, H: number): ReferenceSequence {
  const n = batch.length;
  return {
    inputs: batch.inputs.subarray(b * n, (b + 1) * n),
    targets: batch.targets.subarray(b * n, (b + 1) * n),
    state: state.map((s) => s.subarray(b * H, (b + 1) * H)),
  };
}

/** What {@link runSequence} returns. */
export interface SequenceRun {
  /** Cross-entropy per step. */
  losses: number[];
  /** Softmax probabilities per step. */
  probs: Float64Array[];
  /** Argmax of the logits per step (first index on ties). */
  predictions: number[];
  /** `states[j]` = state entering step j; `states[n]` = final state. */
  states: Float64Array[][];
}

/**
 * Forward over one sequence in float64. `paramsAt(j)` gives the parameters step j (and its loss's
 * head) uses: the same store for every step normally, a perturbed copy at one step to take the
 * derivative with respect to that step's copy of a weight (the itemized gradient G_{t,j}).
 */
export function runSequence(cell: ReferenceCell, paramsAt: (j: number) => Params64, seq: ReferenceSequence, H: number, V: number): SequenceRun {
  const n = seq.inputs.length;
  let state: Float64Array[] = seq.state.map((s) => Float64Array.from(s));
  const states = [state];
  const losses: number[] = [];
  const probs: Float64Array[] = [];
  const predictions: number[] = [];
  for (let j = 0; j < n; j++) {
    const P = paramsAt(j);
    state = cell.step(P, seq.inputs[j], state, H, V);
    states.push(state);
    const h = state[0];
    const logits = matVecPlusBias(P['out.weight'], h, P['out.bias'], V, H);
    let max = -Infinity;
    let arg = 0;
    for (let v = 0; v < V; v++) {
      if (logits[v] > max) {
        max = logits[v];
        arg = v;
      }
    }
    let z = 0;
    for (let v = 0; v < V; v++) z += Math.exp(logits[v] - max);
    const p = logits.map((l) => Math.exp(l - max) / z);
    probs.push(p);
    predictions.push(arg);
    losses.push(Math.log(z) + max - logits[seq.targets[j]]);
  }
  return { losses, probs, predictions, states };
}

/**
 * Step of the central differences. The float64 losses are of order 1, so each carries ~1e-16
 * rounding: divided by 2h that is ~1e-11, and the O(h²) truncation error is ~1e-10. The reference
 * derivatives are therefore good to ~1e-9 absolute, far below the float32 engines' own error.
 */
export const FD_STEP = 1e-5;

/**
 * The itemized gradients of one sequence by finite differences: `G[name][t][j]` = ∂L_t/∂θ⁽ʲ⁾,
 * the derivative of loss t with respect to the copy of parameter `name` used at step j only
 * (DESIGN.md: G_{t,j}; zero for j > t, which is not stored). Perturbing step j's copy moves every
 * loss t >= j at once, so one pair of forward passes per (j, element) gives a whole column.
 */
export function itemizeByDifferences(cell: ReferenceCell, P: Params64, seq: ReferenceSequence, names: readonly string[], H: number, V: number): Record<string, Float64Array[][]> {
  const n = seq.inputs.length;
  const out: Record<string, Float64Array[][]> = {};
  for (const name of names) {
    const size = P[name].length;
    const G = Array.from({ length: n }, (_, t) => Array.from({ length: t + 1 }, () => new Float64Array(size)));
    const copy = Float64Array.from(P[name]);
    const perturbed: Params64 = { ...P, [name]: copy };
    for (let j = 0; j < n; j++) {
      const at = (s: number) => (s === j ? perturbed : P);
      for (let i = 0; i < size; i++) {
        const base = copy[i];
        copy[i] = base + FD_STEP;
        const plus = runSequence(cell, at, seq, H, V).losses;
        copy[i] = base - FD_STEP;
        const minus = runSequence(cell, at, seq, H, V).losses;
        copy[i] = base;
        for (let t = j; t < n; t++) G[t][j][i] = (plus[t] - minus[t]) / (2 * FD_STEP);
      }
    }
    out[name] = G;
  }
  return out;
}

/** Mean per-sequence summed loss of a batch, (1/B) Σ_b Σ_t L_{b,t}: the training loss. */
export function batchLoss(cell: ReferenceCell, P: Params64, batch: Batch, state: State, H: number, V: number): number {
  let sum = 0;
  for (let b = 0; b < batch.batchSize; b++) {
    for (const l of runSequence(cell, () => P, sequenceOf(batch, state, b, H), H, V).losses) sum += l;
  }
  return sum / batch.batchSize;
}

/** ∂(training loss)/∂θ for every parameter by central differences of {@link batchLoss}. */
export function batchGradientByDifferences(cell: ReferenceCell, P: Params64, batch: Batch, state: State, H: number, V: number): Params64 {
  const out: Params64 = {};
  for (const name of Object.keys(P)) {
    const copy = Float64Array.from(P[name]);
    const perturbed: Params64 = { ...P, [name]: copy };
    const g = new Float64Array(copy.length);
    for (let i = 0; i < copy.length; i++) {
      const base = copy[i];
      copy[i] = base + FD_STEP;
      const plus = batchLoss(cell, perturbed, batch, state, H, V);
      copy[i] = base - FD_STEP;
      const minus = batchLoss(cell, perturbed, batch, state, H, V);
      copy[i] = base;
      g[i] = (plus - minus) / (2 * FD_STEP);
    }
    out[name] = g;
  }
  return out;
}

/** A reduction of `values[offset .. offset + length)` by its definition (README, "What gets recorded"). */
export function reduceDirect(values: ArrayLike<number>, reduction: Reduction, offset = 0, length = values.length - offset): number {
  let acc = 0;
  for (let i = offset; i < offset + length; i++) {
    const v = values[i];
    acc += reduction === 'l2' ? v * v : reduction === 'meanAbs' ? Math.abs(v) : v;
  }
  return reduction === 'l2' ? Math.sqrt(acc) : acc / length;
}

/** Element-wise sum of equally long arrays in float64. */
export function sum64(arrays: readonly ArrayLike<number>[], size: number): Float64Array {
  const out = new Float64Array(size);
  for (const a of arrays) for (let i = 0; i < size; i++) out[i] += a[i];
  return out;
}

/**
 * What truncation at `k` drops at each step j, reduced: Σ over t > j + k of G_{t,j}, the number
 * a truncated recorder reports as `residual[j]`. `G[t][j]` is the itemized gradient of loss t at j.
 */
export function referenceResidual(G: readonly (readonly ArrayLike<number>[])[], k: number, reduction: Reduction): number[] {
  const n = G.length;
  return Array.from({ length: n }, (_, j) => {
    const dropped: ArrayLike<number>[] = [];
    for (let t = j + k + 1; t < n; t++) dropped.push(G[t][j]);
    return reduceDirect(sum64(dropped, G[j][j].length), reduction);
  });
}

/** max |a - b| over max(|b|) (0 for two zero arrays); NaN and length mismatches give Infinity. */
export function scaledError(a: ArrayLike<number>, b: ArrayLike<number>, scale?: number): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let max = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= diff)) diff = Number.isNaN(d) ? Infinity : d;
    max = Math.max(max, Math.abs(b[i]));
  }
  if (diff === 0) return 0;
  return diff / Math.max(scale ?? max, 1e-30);
}
