/**
 * Per-record summaries of an itemized gradient `byDistance[t][d]` (magnitude that loss t sends to
 * step j = t - d). Magnitudes are taken as absolute values, so the signed `mean` reduction
 * summarises by size too. Pure functions.
 */

/** Default fraction of the local (d = 0) magnitude that still counts as "within the horizon". */
export const DEFAULT_HORIZON_FRACTION = 0.1;

/**
 * Horizon length of one loss t: the largest distance d whose magnitude |m[t][d]| is above
 * `fraction` × |m[t][0]|. Dips below the threshold at smaller d do not end the horizon (the
 * question is how far back a loss still reaches). `null` when m[t][0] is 0 or not finite: such a
 * loss has no local scale to compare with.
 */
export function rowHorizon(row: readonly number[], fraction: number = DEFAULT_HORIZON_FRACTION): number | null {
  if (row.length === 0) return null;
  const local = Math.abs(row[0]);
  if (!(local > 0) || !Number.isFinite(local)) return null;
  const threshold = fraction * local;
  for (let d = row.length - 1; d > 0; d--) if (Math.abs(row[d]) > threshold) return d;
  return 0;
}

/**
 * Horizon length of a record: the mean over losses t of {@link rowHorizon}, skipping losses that
 * have none. NaN when no loss has one (every local magnitude is 0 or not finite).
 */
export function horizonLength(byDistance: readonly (readonly number[])[], fraction: number = DEFAULT_HORIZON_FRACTION): number {
  let sum = 0;
  let count = 0;
  for (const row of byDistance) {
    const h = rowHorizon(row, fraction);
    if (h !== null) {
      sum += h;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Gradient mass by distance: `mass[d]` = Σ_t |byDistance[t][d]| (the distance shades of all bars
 * added up). Length = the longest row. Non-finite entries propagate (NaN stays NaN).
 */
export function massByDistance(byDistance: readonly (readonly number[])[]): number[] {
  const width = byDistance.reduce((w, row) => Math.max(w, row.length), 0);
  const mass = new Array<number>(width).fill(0);
  for (const row of byDistance) for (let d = 0; d < row.length; d++) mass[d] += Math.abs(row[d]);
  return mass;
}

/** Mean over steps j of |residual[j]|: how much gradient truncation dropped, on average. NaN if empty. */
export function meanResidual(residual: readonly number[]): number {
  if (residual.length === 0) return Number.NaN;
  let sum = 0;
  for (const r of residual) sum += Math.abs(r);
  return sum / residual.length;
}

/**
 * The t x j magnitude matrix: `m[t][j]` = |byDistance[t][t - j]| for the kept distances, `null`
 * where nothing was recorded (j > t, or d beyond the truncation).
 */
export function magnitudeMatrix(byDistance: readonly (readonly number[])[], n: number): (number | null)[][] {
  const m: (number | null)[][] = [];
  for (let t = 0; t < n; t++) {
    const row = new Array<number | null>(n).fill(null);
    const dists = byDistance[t] ?? [];
    for (let d = 0; d < dists.length && d <= t; d++) row[t - d] = Math.abs(dists[d]);
    m.push(row);
  }
  return m;
}
