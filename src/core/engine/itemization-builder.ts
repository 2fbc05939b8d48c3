import type { ItemizedParam, Reduction } from '../engine.js';
import { hadamardMagnitude, reduceVector } from './magnitude.js';

/**
 * Static description of one itemized helper call of a cell step.
 *
 * @category Gradient engine
 */
export interface ItemizedSlot {
  /** `linear` or `elementwise`. */
  readonly kind: 'linear' | 'elementwise';
  /** Weight (or scale) parameter name. */
  readonly param: string;
  /** Bias parameter name, if the call had one. */
  readonly bias?: string;
  /** Width of z. */
  readonly outSize: number;
  /** Gate names splitting z's columns into equal blocks, if declared. */
  readonly gates?: readonly string[];
}

/** The cotangent rows of one backward step. Row i < tCount belongs to loss t = j + i. */
export interface StepRows {
  /** The step j. */
  readonly j: number;
  /** Rows for individual losses: t = j .. j + tCount - 1. */
  readonly tCount: number;
  /** When true, row `tCount` is the residual row (sum of losses beyond the window). */
  readonly residualRow: boolean;
  /** dL/dz per row, `[rows * outSize]`, per slot param name. */
  readonly dz: Record<string, Float32Array>;
  /** The input u of each slot at step j (for the itemized sequence), per slot param name. */
  readonly inputs: Record<string, Float32Array>;
}

/**
 * One backward step given as row sums instead of rows (engines that compute them in a kernel).
 * Only for `linear` slots and without full matrices: the magnitudes follow from the sums alone.
 */
export interface StepSums {
  /** The step j. */
  j: number;
  /** Rows for individual losses: t = j .. j + tCount - 1. */
  tCount: number;
  /** When true, row `tCount` is the residual row. */
  residualRow: boolean;
  /**
   * Per slot param name, `[rows * G]`: for row r and gate block g (G = the slot's gate count,
   * or 1), the sum over the block of dz² (reduction `l2`), |dz| (`meanAbs`) or dz (`mean`).
   */
  sums: Record<string, ArrayLike<number>>;
  /** Offset of row 0 in each slot's `sums` array. */
  offsets: Record<string, number>;
  /** Per slot param name: the reduction of the slot's input u at step j (see `reduceVector`). */
  inputFactors: Record<string, number>;
}

interface Series {
  byDistance: number[][];
  gates?: Record<string, number[][]>;
  residual?: number[];
  full?: Float32Array[][];
}

/** One linear slot's outputs, resolved once for {@link ItemizationBuilder.addStepSums}. */
interface SumPlan {
  param: string;
  G: number;
  width: number;
  blockWidth: number;
  weight: Series;
  bias: Series | undefined;
  /** `gates[g]` triangles of the weight, in the slot's gate order (empty without gates). */
  weightGates: number[][][];
  biasGates: number[][][] | undefined;
}

/**
 * Zeros held as doubles, to slice rows from. A row built from integer zeros is stored as small
 * integers, and V8 copies it into new double storage at its first magnitude; sliced from here
 * it is double storage from the start. Building and filling the four triangles of a fully
 * itemized vanilla sequence took 26 µs the first way and 11 µs this way.
 */
const doubleZeros: number[] = [0.5];
doubleZeros[0] = 0;

/** `length` zeros in double storage (see {@link doubleZeros}). */
function zeros(length: number): number[] {
  while (doubleZeros.length < length) doubleZeros.push(0);
  return doubleZeros.slice(0, length);
}

/** Row t holds distances 0..min(t, kCap), zeros. */
function triangle(n: number, kCap: number): number[][] {
  const rows = new Array<number[]>(n);
  for (let t = 0; t < n; t++) rows[t] = zeros(Math.min(t, kCap) + 1);
  return rows;
}

/**
 * Turns per-step cotangent rows into {@link ItemizedParam}s. Shared by every engine so the
 * reductions, gate splits, residuals and full matrices mean the same thing everywhere.
 */
export class ItemizationBuilder {
  private readonly series = new Map<string, Series>();
  private readonly kCap: number;
  private plans: SumPlan[] | null = null;

  constructor(
    n: number,
    k: number | null,
    private readonly reduction: Reduction,
    private readonly slots: readonly ItemizedSlot[],
    private readonly residual: boolean,
    private readonly full: boolean,
  ) {
    this.kCap = k === null ? n - 1 : Math.min(k, n - 1);
    for (const slot of slots) {
      for (const name of slot.bias ? [slot.param, slot.bias] : [slot.param]) {
        const s: Series = { byDistance: triangle(n, this.kCap) };
        if (slot.gates) s.gates = Object.fromEntries(slot.gates.map((g) => [g, triangle(n, this.kCap)]));
        if (residual) s.residual = zeros(n);
        if (full) s.full = Array.from({ length: n }, (_, t) => new Array<Float32Array>(Math.min(t, this.kCap) + 1));
        this.series.set(name, s);
      }
    }
  }

  /** Largest distance kept. */
  get maxDistance(): number {
    return this.kCap;
  }

  /** Records the magnitudes of one backward step. */
  addStep(rows: StepRows): void {
    const rowCount = rows.tCount + (rows.residualRow ? 1 : 0);
    const red = this.reduction;
    // Row statistics of each distinct dz array, computed once: engines may hand the same dz to
    // several slots (z = W_ih x + W_hh h shares dz), and weight, bias and gates all reuse them.
    const rowStats = new Map<Float32Array, { whole: Float64Array; blocks?: Float64Array }>();
    for (const slot of this.slots) {
      const dz = rows.dz[slot.param];
      const u = rows.inputs[slot.param];
      const width = slot.outSize;
      const blocks = slot.gates?.length ?? 0;
      const blockWidth = blocks ? width / blocks : 0;
      let stats = rowStats.get(dz);
      if (!stats || (blocks && !stats.blocks)) {
        const whole = stats?.whole ?? new Float64Array(rowCount);
        if (!stats) for (let r = 0; r < rowCount; r++) whole[r] = reduceVector(dz, r * width, width, red);
        let blockStats: Float64Array | undefined;
        if (blocks) {
          blockStats = new Float64Array(rowCount * blocks);
          for (let r = 0; r < rowCount; r++)
            for (let g = 0; g < blocks; g++) blockStats[r * blocks + g] = reduceVector(dz, r * width + g * blockWidth, blockWidth, red);
        }
        stats = { whole, blocks: blockStats };
        rowStats.set(dz, stats);
      }
      const uFactor = slot.kind === 'linear' ? reduceVector(u, 0, u.length, red) : 0;
      const weight = this.series.get(slot.param)!;
      const bias = slot.bias ? this.series.get(slot.bias)! : undefined;
      for (let r = 0; r < rowCount; r++) {
        const off = r * width;
        const weightMag = slot.kind === 'linear' ? stats.whole[r] * uFactor : hadamardMagnitude(dz, off, u, 0, width, red);
        const t = this.put(weight, bias, rows.j, r, rows.tCount, weightMag, stats.whole[r]);
        if (t < 0) continue;
        for (let g = 0; g < blocks; g++) {
          const blockMag = stats.blocks![r * blocks + g];
          const weightGate =
            slot.kind === 'linear' ? blockMag * uFactor : hadamardMagnitude(dz, off + g * blockWidth, u, g * blockWidth, blockWidth, red);
          this.putGate(weight, bias, slot.gates![g], t, r, weightGate, blockMag);
        }
        if (this.full) {
          weight.full![t][r] = this.fullMatrix(slot, dz, off, width, u);
          if (bias) bias.full![t][r] = dz.slice(off, off + width);
        }
      }
    }
  }

  /**
   * Records one backward step from its row sums ({@link StepSums}): the same magnitudes as
   * {@link ItemizationBuilder.addStep} on the rows those sums came from, up to rounding.
   */
  addStepSums(rows: StepSums): void {
    if (this.full) throw new Error('ItemizationBuilder.addStepSums: full matrices need the rows (use addStep)');
    const { j, tCount } = rows;
    const rowCount = tCount + (rows.residualRow ? 1 : 0);
    const l2 = this.reduction === 'l2';
    // A fully itemized sequence calls this n times with up to n rows per slot: plain array
    // walks here, with every series looked up once per call (it was 5% of such a batch).
    for (const plan of this.sumPlans()) {
      const sums = rows.sums[plan.param];
      const at = rows.offsets[plan.param] ?? 0;
      const uFactor = rows.inputFactors[plan.param];
      const { G, width, blockWidth, weight, bias, weightGates, biasGates } = plan;
      for (let r = 0; r < rowCount; r++) {
        const o = at + r * G;
        let total = 0;
        for (let g = 0; g < G; g++) total += sums[o + g];
        const biasMag = l2 ? Math.sqrt(total) : total / width;
        const t = this.put(weight, bias, j, r, tCount, biasMag * uFactor, biasMag);
        if (t < 0) continue;
        for (let g = 0; g < weightGates.length; g++) {
          const blockMag = l2 ? Math.sqrt(sums[o + g]) : sums[o + g] / blockWidth;
          weightGates[g][t][r] = blockMag * uFactor;
          if (biasGates) biasGates[g][t][r] = blockMag;
        }
      }
    }
  }

  /** Per slot, what {@link ItemizationBuilder.addStepSums} writes to (made on its first call). */
  private sumPlans(): SumPlan[] {
    if (this.plans) return this.plans;
    this.plans = this.slots.map((slot) => {
      if (slot.kind !== 'linear') throw new Error(`ItemizationBuilder.addStepSums: slot "${slot.param}" is not linear (use addStep)`);
      const G = slot.gates?.length ?? 1;
      const weight = this.series.get(slot.param)!;
      const bias = slot.bias ? this.series.get(slot.bias) : undefined;
      const gates = slot.gates ?? [];
      return {
        param: slot.param,
        G,
        width: slot.outSize,
        blockWidth: slot.outSize / G,
        weight,
        bias,
        weightGates: gates.map((g) => weight.gates![g]),
        biasGates: bias ? gates.map((g) => bias.gates![g]) : undefined,
      };
    });
    return this.plans;
  }

  /** Stores one row's weight and bias magnitudes; returns its loss step t, or -1 for the residual row. */
  private put(weight: Series, bias: Series | undefined, j: number, r: number, tCount: number, weightMag: number, biasMag: number): number {
    if (r === tCount) {
      if (this.residual) {
        weight.residual![j] = weightMag;
        if (bias) bias.residual![j] = biasMag;
      }
      return -1;
    }
    const t = j + r;
    weight.byDistance[t][r] = weightMag;
    if (bias) bias.byDistance[t][r] = biasMag;
    return t;
  }

  /** Stores one gate's share of a row for the weight and its bias. */
  private putGate(weight: Series, bias: Series | undefined, gate: string, t: number, d: number, weightMag: number, biasMag: number): void {
    weight.gates![gate][t][d] = weightMag;
    if (bias) bias.gates![gate][t][d] = biasMag;
  }

  /** The finished itemization, by parameter name. */
  result(): Record<string, ItemizedParam> {
    const out: Record<string, ItemizedParam> = {};
    for (const [name, s] of this.series) out[name] = s;
    return out;
  }

  private fullMatrix(slot: ItemizedSlot, dz: Float32Array, off: number, width: number, u: Float32Array): Float32Array {
    if (slot.kind === 'elementwise') {
      const g = new Float32Array(width);
      for (let i = 0; i < width; i++) g[i] = dz[off + i] * u[i];
      return g;
    }
    const g = new Float32Array(width * u.length);
    for (let i = 0; i < width; i++) {
      const d = dz[off + i];
      for (let c = 0; c < u.length; c++) g[i * u.length + c] = d * u[c];
    }
    return g;
  }
}
