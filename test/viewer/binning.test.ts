import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/core/random.js';
import { horizonBins, overviewBins } from '../../src/viewer/binning.js';
import { interestingBatches } from '../../src/viewer/interesting.js';
import { RecordIndex } from '../../src/viewer/record-index.js';
import type { RecordSummary } from '../../src/viewer/record-summary.js';

/** Random recorded batches: increasing batch numbers with gaps, max gradients, some non-finite. */
function randomRun(count: number, seed: number): { batch: number; max: number }[] {
  const rng = new SeededRandom(seed);
  const out: { batch: number; max: number }[] = [];
  let b = Math.floor(rng.uniform(0, 5));
  for (let i = 0; i < count; i++) {
    const u = rng.uniform(0, 1);
    out.push({ batch: b, max: u < 0.02 ? NaN : u < 0.03 ? Infinity : rng.uniform(0, 10) });
    b += 1 + Math.floor(rng.uniform(0, 4));
  }
  return out;
}

const seqOf = (rs: { batch: number }[]) => ({ count: rs.length, batchAt: (r: number) => rs[r].batch });

describe('overview binning', () => {
  it('matches a direct computation: columns partition the range, each holds the max of its records', () => {
    for (const [count, bins, seed] of [[1000, 37, 1], [50, 100, 2], [5000, 1, 3], [300, 299, 4]] as const) {
      const rs = randomRun(count, seed);
      const from = rs[Math.floor(count / 7)].batch - 1;
      const to = rs[Math.floor((count * 6) / 7)].batch + 1;
      const res = overviewBins(seqOf(rs), (r) => rs[r].max, from, to, bins);
      const inRange = rs.filter((r) => r.batch >= from && r.batch <= to);
      expect(res.records).toBe(inRange.length);
      expect(res.bins.length).toBeLessThanOrEqual(bins);
      expect(res.perRecord).toBe(inRange.length <= bins);
      let covered = 0;
      for (const bin of res.bins) {
        const members = inRange.filter((r) => r.batch >= bin.from && r.batch <= bin.to);
        covered += members.length;
        expect(bin.count).toBe(members.length);
        const finite = members.filter((m) => Number.isFinite(m.max));
        expect(bin.nonFinite).toBe(members.length - finite.length);
        if (finite.length) {
          const best = finite.reduce((a, m) => (m.max > a.max ? m : a));
          expect(bin.max).toBe(best.max);
          expect(bin.batch).toBe(best.batch);
        } else {
          expect(bin.max).toBeNull();
          expect(bin.batch).toBe(members[0].batch);
        }
      }
      expect(covered).toBe(inRange.length);
    }
  });

  it('skips records that lack the series (value < 0)', () => {
    const rs = [{ batch: 0, max: 1 }, { batch: 1, max: -1 }, { batch: 2, max: 3 }];
    const res = overviewBins(seqOf(rs), (r) => rs[r].max, 0, 2, 10);
    expect(res.bins.map((b) => b.batch)).toEqual([0, 2]);
  });
});

describe('horizon binning', () => {
  it('averages each record’s share by distance within a column', () => {
    const rng = new SeededRandom(9);
    const rs = randomRun(400, 5).map((r) => ({ ...r, mass: [rng.uniform(0, 3), rng.uniform(0, 2), rng.uniform(0, 1)] }));
    rs[10].mass = [NaN, 1, 1];
    rs[11].mass = [0, 0, 0];
    const res = horizonBins(seqOf(rs), (r) => rs[r].mass, 3, rs[0].batch, rs.at(-1)!.batch, 13);
    for (const bin of res.bins) {
      const members = rs.filter((r) => r.batch >= bin.from && r.batch <= bin.to && r.mass.every(Number.isFinite) && r.mass.some((m) => m > 0));
      expect(bin.count).toBe(members.length);
      for (let d = 0; d < 3; d++) {
        const mean = members.reduce((s, r) => s + r.mass[d] / (r.mass[0] + r.mass[1] + r.mass[2]), 0) / members.length;
        expect(bin.share[d]).toBeCloseTo(mean, 12);
      }
    }
  });
});

describe('interesting batches', () => {
  it('ranks largest gradients, lists non-finite records and flags exploding ones against the median', () => {
    const maxes = [1, 2, 3, 50, 2, NaN, 4, 1.5, Infinity, 2.5, 31];
    const facts = maxes.map((max, i) => ({ batch: i * 10, max, residual: i % 3 === 0 ? i : NaN, mass: 10, nonFinite: !Number.isFinite(max) }));
    const res = interestingBatches(facts.length, (r) => facts[r], 3, 10);
    expect(res.largest.map((x) => x.batch)).toEqual([30, 100, 60]);
    expect(res.nonFinite.map((x) => x.batch)).toEqual([50, 80]);
    expect(res.nonFiniteCount).toBe(2);
    const finite = maxes.filter(Number.isFinite).sort((a, b) => a - b);
    const mid = finite.length >> 1;
    const median = finite.length % 2 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
    expect(res.median).toBe(median);
    expect(res.exploding.map((x) => x.batch)).toEqual(maxes.map((m, i) => ({ m, b: i * 10 })).filter((x) => Number.isFinite(x.m) && x.m > 10 * median).sort((a, b) => b.m - a.m).map((x) => x.b));
    expect(res.residual.map((x) => x.batch)).toEqual([90, 60, 30]);
    expect(res.residual[0].share).toBeCloseTo(9 / 19, 12);
  });
});

describe('record index', () => {
  const summary = (batch: number, max: number): RecordSummary => ({
    batch, wallTime: batch, corpusOffset: batch * 10, n: 5, meanLoss: 1, seriesMax: [max, max / 2], residual: NaN, mass: 1, massByDistance: [0.5, 0.5], nonFinite: false,
  });

  it('finds batches by binary search, also after records arrive out of order', () => {
    const idx = new RecordIndex(2, 2);
    const batches = [4, 8, 15, 16, 23, 42, 1, 30];
    batches.forEach((b, i) => idx.push(summary(b, b), { file: 0, offset: i * 100, length: 99 }));
    const sorted = [...batches].sort((a, b) => a - b);
    expect(Array.from({ length: idx.count }, (_, r) => idx.batchAt(r))).toEqual(sorted);
    for (const b of batches) {
      const r = idx.rankOf(b);
      expect(idx.batchAt(r)).toBe(b);
      expect(idx.location(r).offset).toBe(batches.indexOf(b) * 100);
      expect(idx.seriesMaxAt(r, 1)).toBe(b / 2);
    }
    expect(idx.rankOf(5)).toBe(-1);
    expect(idx.batchAt(idx.nearestRank(5))).toBe(4);
    expect(idx.batchAt(idx.nearestRank(27))).toBe(30);
    expect(idx.batchAt(idx.nearestRank(1000))).toBe(42);
    expect(idx.batchAt(idx.nearestRank(0))).toBe(1);
  });

  it('grows past its first allocation', () => {
    const idx = new RecordIndex(2, 2);
    for (let b = 0; b < 5000; b++) idx.push(summary(b * 3, b), { file: 0, offset: b, length: 1 });
    expect(idx.count).toBe(5000);
    expect(idx.rankOf(4999 * 3)).toBe(4999);
    expect(idx.seriesMaxAt(4321, 0)).toBe(4321);
    expect(Array.from(idx.massByDistanceAt(17))).toEqual([0.5, 0.5]);
  });
});
