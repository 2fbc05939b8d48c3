import type { Reduction } from '../engine.js';

/**
 * Reductions of itemized gradients in O(H). For an outer product G = dz ⊗ u:
 * ‖G‖_F = ‖dz‖·‖u‖, mean|G| = mean|dz|·mean|u|, mean(G) = mean(dz)·mean(u), so the reduction of G
 * is the product of the same reduction of dz and of u ({@link reduceVector}); a bias has u = [1].
 */

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
