import type { FusedOps } from './ops.js';

/** Where one forward step's arrays are, for R rows (offsets in elements). Mutable: engines reuse one record for every step. */
export interface ForwardStep {
  /** Rows (sequences) in the step. */
  R: number;
  /** Hidden size. */
  H: number;
  /** Pre-activations `[R, ldg]`: W_ih·x + W_hh·h + biases (GRU: W_ih·x + b_ih only). Activations are written back. */
  z: number;
  /** GRU only: W_hh·h `[R, ldg]`; the cell adds b_hh in place and keeps it for the backward. */
  gh: number;
  /** GRU only: b_hh. */
  bhh: number;
  /** Leading dimension of `z` and `gh`. */
  ldg: number;
  /** State entering the step. */
  hPrev: number;
  /** LSTM only: c entering the step. */
  cPrev: number;
  /** h leaving the step (written). */
  h: number;
  /** LSTM only: c leaving the step (written). */
  c: number;
  /** LSTM only: tanh(c) leaving the step (written, kept for the backward). */
  tc: number;
  /** Leading dimension of the state arrays. */
  ld: number;
}

/**
 * Where one backward step's arrays are, for R cotangent rows. Saved forward arrays carry their own
 * row stride so the itemizer can broadcast one sequence's activations to all its rows (stride 0).
 */
export interface BackwardStep {
  /** Cotangent rows. */
  R: number;
  /** Hidden size. */
  H: number;
  /** Saved activations of the step (`z` after the forward), row stride `gs`. */
  act: number;
  /** GRU only: saved W_hh·h + b_hh, row stride `gs`. */
  gh: number;
  /** Row stride of `act` and `gh`. */
  gs: number;
  /** Saved h leaving the step (vanilla), row stride `ss`. */
  h: number;
  /** Saved h entering the step (GRU), row stride `ss`. */
  hPrev: number;
  /** LSTM only: saved c entering the step, row stride `ss`. */
  cPrev: number;
  /** LSTM only: saved tanh(c) leaving the step, row stride `ss`. */
  tc: number;
  /** Row stride of the saved state arrays. */
  ss: number;
  /** Cotangent on h leaving the step `[R, ldd]`. */
  dh: number;
  /** LSTM only: cotangent on c leaving the step. */
  dc: number;
  /** Leading dimension of `dh`, `dc`, `dhPrev`, `dcPrev`. */
  ldd: number;
  /** dL/d(W_hh's pre-activation) `[R, ldz]` (written). */
  dz: number;
  /** dL/d(W_ih's pre-activation) (written; equals `dz` except for GRU). */
  dgi: number;
  /** Leading dimension of `dz` and `dgi`. */
  ldz: number;
  /** Cotangent on h entering the step: the cell ADDS its direct (non-W_hh) path here. */
  dhPrev: number;
  /** LSTM only: cotangent on c entering the step (written; may alias `dc`). */
  dcPrev: number;
}

/**
 * The pointwise part of a built-in cell, for the fused engine. The engine does everything that
 * is the same for every cell (column gathers of W_ih, the W_hh products, the head, parameter
 * gradients, itemization); a cell says how many gate blocks it has and what happens between
 * the linear maps. Both linear maps are itemized slots (`weight_ih`+`bias_ih`, `weight_hh`+`bias_hh`).
 */
export interface FusedCell {
  /** The cell definition's name. */
  readonly name: string;
  /** Gate names of the G·H rows, in PyTorch order (vanilla: none, G = 1). */
  readonly gates?: readonly string[];
  /** State components (LSTM 2). */
  readonly states: number;
  /** True when W_hh·h + b_hh is kept apart from W_ih·x + b_ih (GRU). */
  readonly separateHidden: boolean;
  /**
   * True when {@link FusedCell.backward} adds a direct path into `dhPrev` (GRU: h_{t-1} also
   * enters through the update gate). Otherwise the W_hh product alone makes `dhPrev`, and the
   * itemizer writes it without zeroing it first.
   */
  readonly directHidden: boolean;
  /** Activations from pre-activations, and the new state. */
  forward(ops: FusedOps, s: ForwardStep): void;
  /** Cotangents on the pre-activations (and the direct path to the previous state). */
  backward(ops: FusedOps, s: BackwardStep): void;
}
