import { describe, expect, it } from 'vitest';
import { horizonLength, magnitudeMatrix, massByDistance, meanResidual, rowHorizon } from '../../../src/exporters/tensorboard/horizon.js';
import { SeededRandom } from '../../../src/core/random.js';

/** Reference from the definition, through the t x j matrix: for each t, scan j from 0 upwards. */
function referenceHorizon(m: (number | null)[][], fraction: number): number {
  const hs: number[] = [];
  m.forEach((row, t) => {
    const local = row[t];
    if (local === null || !(local > 0) || !Number.isFinite(local)) return;
    let best = 0;
    for (let j = 0; j <= t; j++) {
      const v = row[j];
      if (v !== null && v > fraction * local) best = Math.max(best, t - j);
    }
    hs.push(best);
  });
  return hs.length ? hs.reduce((a, b) => a + b, 0) / hs.length : Number.NaN;
}

describe('horizon length', () => {
  it('is the largest distance above the fraction of the local magnitude', () => {
    expect(rowHorizon([1, 0.5, 0.2, 0.05, 0.01], 0.1)).toBe(2);
    expect(rowHorizon([1, 0.05, 0.2], 0.1)).toBe(2); // a dip does not end the horizon
    expect(rowHorizon([1, 0.1], 0.1)).toBe(0); // strictly above
    expect(rowHorizon([2], 0.1)).toBe(0);
    expect(rowHorizon([-1, 0.5], 0.1)).toBe(1); // signed reductions count by size
    expect(rowHorizon([0, 1], 0.1)).toBeNull();
    expect(rowHorizon([Number.NaN, 1], 0.1)).toBeNull();
    expect(rowHorizon([], 0.1)).toBeNull();
  });

  it('averages over losses that have a local magnitude', () => {
    expect(horizonLength([[1], [1, 0.5], [1, 0.5, 0.01], [0, 1, 1, 1]], 0.1)).toBeCloseTo((0 + 1 + 1) / 3, 15);
    expect(horizonLength([[0], [0, 0]], 0.1)).toBeNaN();
  });

  it('agrees with the t x j definition on random decaying matrices', () => {
    const rng = new SeededRandom(7);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + rng.int(20);
      const k = rng.int(n);
      const bd = Array.from({ length: n }, (_, t) => Array.from({ length: Math.min(t, k) + 1 }, (_, d) => Math.exp(-d * rng.uniform(0, 2)) * rng.uniform(0, 1)));
      const fraction = rng.uniform(0.01, 0.9);
      const expected = referenceHorizon(magnitudeMatrix(bd, n), fraction);
      const got = horizonLength(bd, fraction);
      if (Number.isNaN(expected)) expect(got).toBeNaN();
      else expect(got).toBeCloseTo(expected, 12);
    }
  });
});

describe('mass by distance, residual, matrix', () => {
  it('sums |m| over t at each distance', () => {
    const bd = [[1], [2, -3], [4, 5, 6]];
    expect(massByDistance(bd)).toEqual([7, 8, 6]);
    expect(massByDistance([])).toEqual([]);
    expect(massByDistance([[1], [Number.NaN, 1]])[0]).toBeNaN();
  });

  it('matrix puts byDistance[t][d] at column t - d', () => {
    const m = magnitudeMatrix([[1], [2, -3], [4, 5]], 3);
    expect(m).toEqual([
      [1, null, null],
      [3, 2, null],
      [null, 5, 4],
    ]);
  });

  it('mean residual is the mean magnitude', () => {
    expect(meanResidual([1, -3, 2])).toBe(2);
    expect(meanResidual([])).toBeNaN();
  });
});
