import type { ItemizedParam, Reduction } from '../engine.js';
import { hadamardMagnitude, outerMagnitude, UNIT_STATS, vectorStats, type VectorStats } from './magnitude.js';

/** Static description of one itemized helper call of a cell step. */
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

interface Series {
  byDistance: number[][];
  gates?: Record<string, number[][]>;
  residual?: number[];
  full?: Float32Array[][];
}

function triangle(n: number, kCap: number): number[][] {
  return Array.from({ length: n }, (_, t) => new Array<number>(Math.min(t, kCap) + 1).fill(0));
}

/**
 * Turns per-step cotangent rows into {@link ItemizedParam}s. Shared by every engine so the
 * reductions, gate splits, residuals and full matrices mean the same thing everywhere.
 */
export class ItemizationBuilder {
  private readonly series = new Map<string, Series>();
  private readonly kCap: number;

  constructor(
    private readonly n: number,
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
        if (residual) s.residual = new Array<number>(n).fill(0);
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
    for (const slot of this.slots) {
      const dz = rows.dz[slot.param];
      const u = rows.inputs[slot.param];
      const width = slot.outSize;
      const uStats = slot.kind === 'linear' ? vectorStats(u) : undefined;
      const weight = this.series.get(slot.param)!;
      const bias = slot.bias ? this.series.get(slot.bias)! : undefined;
      const blocks = slot.gates?.length ?? 0;
      const blockWidth = blocks ? width / blocks : 0;
      for (let r = 0; r < rowCount; r++) {
        const off = r * width;
        const isResidual = r === rows.tCount;
        const weightMag = this.magnitude(slot, dz, off, width, u, 0, uStats);
        const biasMag = bias ? outerMagnitude(vectorStats(dz, off, width), UNIT_STATS, this.reduction) : 0;
        if (isResidual) {
          weight.residual![rows.j] = weightMag;
          if (bias) bias.residual![rows.j] = biasMag;
          continue;
        }
        const t = rows.j + r;
        weight.byDistance[t][r] = weightMag;
        if (bias) bias.byDistance[t][r] = biasMag;
        for (let g = 0; g < blocks; g++) {
          const name = slot.gates![g];
          const gOff = off + g * blockWidth;
          const uOff = slot.kind === 'elementwise' ? g * blockWidth : 0;
          const gStats = slot.kind === 'linear' ? uStats : undefined;
          weight.gates![name][t][r] = this.magnitude(slot, dz, gOff, blockWidth, u, uOff, gStats);
          if (bias) bias.gates![name][t][r] = outerMagnitude(vectorStats(dz, gOff, blockWidth), UNIT_STATS, this.reduction);
        }
        if (this.full) {
          weight.full![t][r] = this.fullMatrix(slot, dz, off, width, u);
          if (bias) bias.full![t][r] = dz.slice(off, off + width);
        }
      }
    }
  }

  /** The finished itemization, by parameter name. */
  result(): Record<string, ItemizedParam> {
    const out: Record<string, ItemizedParam> = {};
    for (const [name, s] of this.series) out[name] = s;
    return out;
  }

  private magnitude(
    slot: ItemizedSlot,
    dz: Float32Array,
    off: number,
    width: number,
    u: Float32Array,
    uOff: number,
    uStats: VectorStats | undefined,
  ): number {
    if (slot.kind === 'linear') return outerMagnitude(vectorStats(dz, off, width), uStats!, this.reduction);
    return hadamardMagnitude(dz, off, u, uOff, width, this.reduction);
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
