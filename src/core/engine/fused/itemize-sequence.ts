import type { CellDims } from '../../cell.js';
import type { Batch, ItemizedParam, ItemizeRequest } from '../../engine.js';
import { RnnbowError } from '../../errors.js';
import { ItemizationBuilder, type ItemizedSlot, type StepSums } from '../itemization-builder.js';
import { reduceVector } from '../magnitude.js';
import type { BackwardStep, FusedCell } from './fused-cell.js';
import type { FusedLayout } from './layout.js';
import { type FusedOps, ROW_SUM, ROW_SUM_ABS, ROW_SUM_SQUARES } from './ops.js';

/** What {@link itemizeSequence} works with: the engine's kernels and the state of its last forward pass. */
export interface ItemizeContext {
  /** Kernels and memory. */
  readonly ops: FusedOps;
  /** The cell's pointwise part. */
  readonly cell: FusedCell;
  /** Where the forward pass left activations, states and p - onehot(y). */
  readonly layout: FusedLayout;
  /** A reusable backward-step record. */
  readonly step: BackwardStep;
  /** The two itemized slots (`weight_ih`, `weight_hh`). */
  readonly slots: readonly ItemizedSlot[];
  /** Model sizes. */
  readonly dims: CellDims;
}

/**
 * Itemizes one sequence of the batch whose forward pass (and softmax gradient) is in memory.
 *
 * One cotangent row per loss source, as in docs/concepts.md "Any cell": at step j the rows are
 * t = j .. j+k (row r ↔ t = j + r), plus, once truncation has dropped a loss, one residual row
 * that carries the sum of the dropped losses' cotangents so that the rows always add up to the
 * sequence's exact BPTT cotangent. All rows step back together through the cell's backward
 * kernel (with the sequence's activations broadcast) and one W_hh product, which writes the
 * next step's rows one row down; the new row 0 is the head's cotangent of loss j.
 *
 * With `gradient`, also leaves the sequence's own gradient (dL_b/dθ, unscaled), summed from the
 * rows, in the engine's gradient arrays: at B = 1 that is the training gradient. Without it the
 * gradient arrays are left as they were, which saves the weight products (a caller with B > 1
 * has its gradient from the plain backward) and, when the residual magnitudes are not asked
 * for either, the residual row. Returns the itemized parameters.
 */
export function itemizeSequence(ctx: ItemizeContext, batch: Batch, req: ItemizeRequest, gradient: boolean): Record<string, ItemizedParam> {
  const { ops, cell, layout: L, step: s, slots } = ctx;
  const { B, n, Hp, Vp, ldg, GH } = L;
  const H = ctx.dims.hiddenSize;
  const V = ctx.dims.inputSize;
  const b = req.sequence;
  if (!Number.isInteger(b) || b < 0 || b >= B) {
    throw new RnnbowError('INPUT', `itemize: sequence ${b} is not in the batch (0..${B - 1})`);
  }
  if (req.k !== null && !(Number.isInteger(req.k) && req.k >= 0)) {
    throw new RnnbowError('INPUT', `itemize: k must be a non-negative integer or null, got ${JSON.stringify(req.k)}`);
  }
  const builder = new ItemizationBuilder(n, req.k, req.reduction, slots, req.residual, req.full ?? false);
  const K = builder.maxDistance;
  const lstm = cell.states === 2;
  const f = ops.memory.f32;
  const ids = ops.memory.i32;

  // The head's cotangent on h_j of loss j alone, for every step of this sequence.
  ops.gemmNN(n, H, V, L.logits + b * Vp, B * Vp, L.wout, Hp, L.local, Hp, false);

  // What the builder reads. Summaries only: per-row block sums from one kernel call per slot,
  // in memory laid out once (views made here, outside the loop). Full matrices: the dz rows.
  const full = req.full ?? false;
  const G = cell.gates?.length ?? 1;
  const sumMode = req.reduction === 'l2' ? ROW_SUM_SQUARES : req.reduction === 'meanAbs' ? ROW_SUM_ABS : ROW_SUM;
  const sumsIh = L.rowSums;
  const sumsHh = cell.separateHidden ? L.rowSums + L.rows * G : sumsIh;
  const step: StepSums = {
    j: 0,
    tCount: 0,
    residualRow: false,
    sums: { [slots[0].param]: f, [slots[1].param]: f },
    offsets: { [slots[0].param]: sumsIh, [slots[1].param]: sumsHh },
    inputFactors: { [slots[0].param]: reduceVector(oneHotOf(V), 0, V, req.reduction), [slots[1].param]: 0 },
  };
  const compact = ldg === GH;
  const dzIh = full && !compact ? new Float32Array(L.rows * GH) : null;
  const dzHh = full && !compact && cell.separateHidden ? new Float32Array(L.rows * GH) : dzIh;
  const oneHot = new Float32Array(full ? V : 0);
  const hPrev = new Float32Array(full ? H : 0);
  const dz: Record<string, Float32Array> = {};
  const inputs: Record<string, Float32Array> = { [slots[0].param]: oneHot, [slots[1].param]: hPrev };

  // The residual row keeps the rows' sum exact; only the gradient and the residual magnitudes need it.
  const keepResidual = gradient || req.residual;
  s.gs = 0;
  s.ss = 0;
  s.ldd = Hp;
  s.ldz = ldg;
  s.dz = L.rowDz;
  s.dgi = L.rowDgi;
  let cur = 0;
  let prevRows = 0;
  let residual = false;
  let lastToken = 0;
  for (let j = n - 1; j >= 0; j--) {
    const lamH = L.lamH[cur];
    const lamC = L.lamC[cur];
    const rowsT = Math.min(n - 1, j + K) - j + 1;
    // Row 0 is the new loss t = j; rows 1.. arrived from step j+1, one row down.
    f.copyWithin(lamH, L.local + j * Hp, L.local + (j + 1) * Hp);
    if (lstm) f.fill(0, lamC, lamC + Hp);
    if (keepResidual && prevRows > rowsT - 1) {
      // Loss j + k + 1 leaves the window: its row (index rowsT) becomes, or joins, the residual.
      if (residual) addRow(f, lamH + rowsT * Hp, lamH + (rowsT + 1) * Hp, H);
      if (residual && lstm) addRow(f, lamC + rowsT * Hp, lamC + (rowsT + 1) * Hp, H);
      residual = true;
    }
    const R = rowsT + (residual ? 1 : 0);
    const out = cur ^ 1;
    const nextH = L.lamH[out] + Hp;
    if (cell.directHidden) f.fill(0, nextH, nextH + R * Hp);

    const row = j * B + b;
    s.R = R;
    s.act = L.z + row * ldg;
    s.gh = L.gh + row * ldg;
    s.h = L.hs + (row + B) * Hp;
    s.hPrev = L.hs + row * Hp;
    s.cPrev = L.cs + row * Hp;
    s.tc = L.tc + row * Hp;
    s.dh = lamH;
    s.dc = lamC;
    s.dhPrev = nextH;
    s.dcPrev = L.lamC[out] + Hp;
    cell.backward(ops, s);
    if (j > 0) ops.gemmNN(R, H, GH, L.rowDz, ldg, L.whh, Hp, nextH, Hp, cell.directHidden);

    if (gradient) {
      // The sequence's own BPTT cotangent at step j is the sum of all its rows.
      ops.colSum(R, GH, L.rowDz, ldg, L.seqDz + j * ldg, false);
      if (cell.separateHidden) ops.colSum(R, GH, L.rowDgi, ldg, L.seqDgi + j * ldg, false);
    }

    if (full) {
      oneHot[lastToken] = 0;
      lastToken = ids[L.tokens + row];
      oneHot[lastToken] = 1;
      hPrev.set(f.subarray(s.hPrev, s.hPrev + H));
      dz[slots[0].param] = rowsOf(f, L.rowDgi, R, GH, ldg, dzIh);
      dz[slots[1].param] = cell.separateHidden ? rowsOf(f, L.rowDz, R, GH, ldg, dzHh) : dz[slots[0].param];
      builder.addStep({ j, tCount: rowsT, residualRow: residual && req.residual, dz, inputs });
    } else {
      ops.rowBlockSums(R, G, H, L.rowDgi, ldg, sumMode, sumsIh);
      if (cell.separateHidden) ops.rowBlockSums(R, G, H, L.rowDz, ldg, sumMode, sumsHh);
      step.j = j;
      step.tCount = rowsT;
      step.residualRow = residual && req.residual;
      step.inputFactors[slots[1].param] = reduceVector(f, s.hPrev, H, req.reduction);
      builder.addStepSums(step);
    }

    prevRows = rowsT;
    cur = out;
  }

  if (!gradient) return builder.result();
  // The sequence's gradient from its summed rows: weight products over its n steps.
  ops.gemmTN(GH, H, n, L.seqDz, ldg, L.hs + b * Hp, B * Hp, L.dwhh, Hp, false);
  ops.colSum(n, GH, L.seqDz, ldg, L.dbhh, false);
  f.fill(0, L.dwih, L.dwih + GH * V);
  ops.scatterColumns(n, L.tokens + b, B, L.seqDgi, ldg, GH, L.dwih, V);
  ops.colSum(n, GH, L.seqDgi, ldg, L.dbih, false);
  ops.gemmTN(V, H, n, L.logits + b * Vp, B * Vp, L.hs + (B + b) * Hp, B * Hp, L.dwout, Hp, false);
  ops.colSum(n, V, L.logits + b * Vp, B * Vp, L.dbout, false);
  return builder.result();
}

function addRow(f: Float32Array, into: number, from: number, H: number): void {
  for (let i = 0; i < H; i++) f[into + i] += f[from + i];
}

/** R rows of width w as one contiguous array: a view when the rows are unpadded, else a copy into `scratch`. */
function rowsOf(f: Float32Array, at: number, R: number, w: number, ld: number, scratch: Float32Array | null): Float32Array {
  if (!scratch) return f.subarray(at, at + R * w);
  for (let r = 0; r < R; r++) scratch.set(f.subarray(at + r * ld, at + r * ld + w), r * w);
  return scratch.subarray(0, R * w);
}

/** A one-hot vector of length V (the input u of W_ih: its reduction does not depend on the token). */
function oneHotOf(V: number): Float32Array {
  const u = new Float32Array(V);
  u[0] = 1;
  return u;
}
