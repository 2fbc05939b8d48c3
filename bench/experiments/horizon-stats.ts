import type { BatchRecord } from '../../src/core/record.js';

/**
 * Summaries of gradient horizons from recorded batches (full itemizations), for comparing cells.
 * Pure functions over `byDistance[t][d]` triangles; see docs/experiments.md for what each means.
 */

/** `m(d)`: the mean over losses t >= d of the magnitude at distance d (the horizon of an average loss). */
export function meanByDistance(byDistance: readonly (readonly number[])[]): number[] {
  const maxD = Math.max(...byDistance.map((row) => row.length - 1));
  const sums = new Array<number>(maxD + 1).fill(0);
  const counts = new Array<number>(maxD + 1).fill(0);
  for (const row of byDistance) {
    row.forEach((m, d) => {
      sums[d] += Math.abs(m);
      counts[d]++;
    });
  }
  return sums.map((s, d) => (counts[d] ? s / counts[d] : 0));
}

/** `m(d) / m(0)`: a profile that compares across cells whatever their gradient scale. */
export function normalizedProfile(byDistance: readonly (readonly number[])[]): number[] {
  const m = meanByDistance(byDistance);
  return m.map((v) => (m[0] > 0 ? v / m[0] : 0));
}

/** Element-wise mean of equally long profiles. */
export function meanProfile(profiles: readonly (readonly number[])[]): number[] {
  if (profiles.length === 0) return [];
  const length = Math.min(...profiles.map((p) => p.length));
  return Array.from({ length }, (_, d) => profiles.reduce((s, p) => s + p[d], 0) / profiles.length);
}

/** The first distance at which a normalized profile falls below `epsilon`; the profile's length if never. */
export function horizon(profile: readonly number[], epsilon: number): number {
  const d = profile.findIndex((v) => v < epsilon);
  return d === -1 ? profile.length : d;
}

/** Share of a triangle's total magnitude that comes from distances d >= 1 (losses later than the step). */
export function futureShare(byDistance: readonly (readonly number[])[]): number {
  let local = 0;
  let total = 0;
  for (const row of byDistance) {
    row.forEach((m, d) => {
      total += Math.abs(m);
      if (d === 0) local += Math.abs(m);
    });
  }
  return total > 0 ? (total - local) / total : 0;
}

/** Magnitude-weighted mean distance Σ_d d·M(d) / Σ_d M(d), with M(d) = Σ_t |m[t][d]|. */
export function meanDistance(byDistance: readonly (readonly number[])[]): number {
  let weighted = 0;
  let total = 0;
  for (const row of byDistance) {
    row.forEach((m, d) => {
      weighted += d * Math.abs(m);
      total += Math.abs(m);
    });
  }
  return total > 0 ? weighted / total : 0;
}

/** The median of a list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** What one group of records (one cell, one phase of training) shows. */
export interface HorizonSummary {
  /** Records summarised. */
  records: number;
  /** Mean normalized profile m(d)/m(0), d = 0..n-1. */
  profile: number[];
  /** First d where the mean profile drops below epsilon. */
  horizon: number;
  /** Median over records of each record's own horizon. */
  medianHorizon: number;
  /** Mean over records of the share of magnitude from d >= 1. */
  futureShare: number;
  /** Mean over records of the magnitude-weighted mean distance. */
  meanDistance: number;
}

/** Summarises the parameter `param` (or each gate's triangle, via `pick`) over `records`. */
export function summarize(records: readonly BatchRecord[], epsilon: number, pick: (r: BatchRecord) => number[][] | undefined): HorizonSummary {
  const triangles = records.map(pick).filter((t): t is number[][] => t !== undefined);
  const profiles = triangles.map(normalizedProfile);
  const profile = meanProfile(profiles);
  return {
    records: triangles.length,
    profile,
    horizon: horizon(profile, epsilon),
    medianHorizon: median(profiles.map((p) => horizon(p, epsilon))),
    futureShare: triangles.reduce((s, t) => s + futureShare(t), 0) / Math.max(triangles.length, 1),
    meanDistance: triangles.reduce((s, t) => s + meanDistance(t), 0) / Math.max(triangles.length, 1),
  };
}
