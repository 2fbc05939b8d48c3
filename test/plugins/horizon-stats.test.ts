import { describe, expect, it } from 'vitest';
import { futureShare, horizon, meanByDistance, meanDistance, meanProfile, median, normalizedProfile, summarize } from '../../bench/experiments/horizon-stats.js';
import type { BatchRecord } from '../../src/core/record.js';

// A 4-step triangle byDistance[t][d], values chosen so every summary is easy to work out by hand.
const tri = [[4], [2, 1], [6, 3, 1], [4, 2, 1, 0.5]];

describe('gradient-horizon summaries (bench/experiments)', () => {
  it('m(d) is the mean over the losses that reach distance d', () => {
    // d=0: (4+2+6+4)/4 = 4; d=1: (1+3+2)/3 = 2; d=2: (1+1)/2 = 1; d=3: 0.5
    expect(meanByDistance(tri)).toEqual([4, 2, 1, 0.5]);
    expect(normalizedProfile(tri)).toEqual([1, 0.5, 0.25, 0.125]);
    expect(meanByDistance([[-4], [2, -1]])).toEqual([3, 1]);
  });

  it('horizon is the first distance below epsilon, the window length if none', () => {
    expect(horizon([1, 0.5, 0.25, 0.125], 0.3)).toBe(2);
    expect(horizon([1, 0.5, 0.25, 0.125], 0.1)).toBe(4);
  });

  it('future share and mean distance weigh every (t, d) entry', () => {
    // total 24.5, local 16 -> 8.5 / 24.5; Σ d·m = 1·6 + 2·2 + 3·0.5 = 11.5
    expect(futureShare(tri)).toBeCloseTo(8.5 / 24.5, 12);
    expect(meanDistance(tri)).toBeCloseTo(11.5 / 24.5, 12);
  });

  it('profiles average element-wise; the median of an even list is the mean of its middle pair', () => {
    expect(meanProfile([[1, 0.5], [1, 0.25, 9]])).toEqual([1, 0.375]);
    expect(median([3, 1, 2, 10])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
  });

  it('summarize picks a triangle per record and skips records without it', () => {
    const record = (t: number[][] | undefined) => ({ params: t ? { weight_hh: { byDistance: t } } : {} }) as unknown as BatchRecord;
    const s = summarize([record(tri), record([[2], [2, 2], [2, 2, 0]]), record(undefined)], 0.3, (r) => r.params.weight_hh?.byDistance);
    expect(s.records).toBe(2);
    // second profile: m = [2, 2, 0] -> [1, 1, 0]; mean with [1, .5, .25] -> [1, .75, .125]
    expect(s.profile).toEqual([1, 0.75, 0.125]);
    expect(s.horizon).toBe(2);
    expect(s.medianHorizon).toBe(2);
  });
});
