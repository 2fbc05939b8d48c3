import type { Reduction } from '../core/engine.js';

/**
 * Array comparisons for the conformance suite, in float64 so that the measuring itself adds no
 * error to what is measured.
 */

/**
 * `max |a - b| / max |b|`: the relative error of a whole array, measured against the reference `b`'s
 * scale (a per-element ratio would blow up on the entries that are nearly zero). Two all-zero
 * arrays give 0; arrays of different lengths give `Infinity`.
 */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    // NaN must fail the comparison, and Math.max would keep it but `>` would not.
    if (!(d <= diff)) diff = Number.isNaN(d) ? Infinity : d;
    scale = Math.max(scale, Math.abs(b[i]));
  }
  if (diff === 0) return 0;
  return diff / Math.max(scale, 1e-30);
}

/** Reduction of a whole array, computed directly (the engines use factorised forms). */
export function reduceArray(values: ArrayLike<number>, reduction: Reduction, offset = 0, length = values.length - offset): number {
  let sq = 0;
  let abs = 0;
  let sum = 0;
  for (let i = offset; i < offset + length; i++) {
    const v = values[i];
    sq += v * v;
    abs += Math.abs(v);
    sum += v;
  }
  if (reduction === 'l2') return Math.sqrt(sq);
  return reduction === 'meanAbs' ? abs / length : sum / length;
}

/** Element-wise sum of equally long arrays, in float64. */
export function sumArrays(arrays: readonly ArrayLike<number>[], length: number): Float64Array {
  const out = new Float64Array(length);
  for (const a of arrays) for (let i = 0; i < length; i++) out[i] += a[i];
  return out;
}

/** Flattens a triangle `rows[t][d]` into one array (row by row) for {@link relativeError}. */
export function flattenTriangle(rows: readonly (readonly number[])[]): number[] {
  return rows.flatMap((row) => [...row]);
}

/** Euclidean norm in float64. */
export function norm(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] * values[i];
  return Math.sqrt(s);
}
