import type { Reduction } from '../engine.js';

/**
 * Reductions of itemized gradients in O(H). For an outer product G = dz ⊗ u:
 * ‖G‖_F = ‖dz‖·‖u‖, mean|G| = mean|dz|·mean|u|, mean(G) = mean(dz)·mean(u).
 */

/** Summary statistics of a vector that the factorised reductions need. */
export interface VectorStats {
  /** Euclidean norm. */
  l2: number;
  /** Mean absolute value. */
  meanAbs: number;
  /** Mean. */
  mean: number;
}

/** Statistics of `v[offset .. offset+length)`. */
export function vectorStats(v: ArrayLike<number>, offset = 0, length = v.length - offset): VectorStats {
  let sq = 0;
  let abs = 0;
  let sum = 0;
  for (let i = offset; i < offset + length; i++) {
    const x = v[i];
    sq += x * x;
    abs += Math.abs(x);
    sum += x;
  }
  return { l2: Math.sqrt(sq), meanAbs: abs / length, mean: sum / length };
}

/** Only the statistic `reduction` needs, of `v[offset .. offset+length)`: one pass, one operation per element. */
export function reduceVector(v: ArrayLike<number>, offset: number, length: number, reduction: Reduction): number {
  let acc = 0;
  const end = offset + length;
  if (reduction === 'l2') {
    for (let i = offset; i < end; i++) acc += v[i] * v[i];
    return Math.sqrt(acc);
  }
  if (reduction === 'meanAbs') for (let i = offset; i < end; i++) acc += Math.abs(v[i]);
  else for (let i = offset; i < end; i++) acc += v[i];
  return acc / length;
}

/** The statistics of the constant vector [1] (a bias's "input"). */
export const UNIT_STATS: VectorStats = { l2: 1, meanAbs: 1, mean: 1 };

/** Reduction of the outer product dz ⊗ u from the two vectors' statistics. */
export function outerMagnitude(dz: VectorStats, u: VectorStats, reduction: Reduction): number {
  switch (reduction) {
    case 'l2':
      return dz.l2 * u.l2;
    case 'meanAbs':
      return dz.meanAbs * u.meanAbs;
    case 'mean':
      return dz.mean * u.mean;
  }
}

/** Reduction of the elementwise product dz ⊙ u (gradient of an elementwise scale). */
export function hadamardMagnitude(
  dz: ArrayLike<number>,
  dzOffset: number,
  u: ArrayLike<number>,
  uOffset: number,
  length: number,
  reduction: Reduction,
): number {
  let sq = 0;
  let abs = 0;
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const g = dz[dzOffset + i] * u[uOffset + i];
    sq += g * g;
    abs += Math.abs(g);
    sum += g;
  }
  if (reduction === 'l2') return Math.sqrt(sq);
  return reduction === 'meanAbs' ? abs / length : sum / length;
}
