import { describe, expect, it } from 'vitest';
import { SKIP_NOTICE_SECONDS, SkipNotices } from '../../src/train/skip-notice.js';

describe('SkipNotices', () => {
  it('says the first skip at once, then counts the rest into a line at most every few seconds', () => {
    let clock = 1_000;
    const notices = new SkipNotices(() => clock);
    const said: (string | null)[] = [];
    // A diverged model: every batch skipped, a millisecond apart, for 25 s.
    for (let batch = 100; clock < 1_000 + 25_000; batch++, clock += 1) said.push(notices.skip(batch, NaN));
    const lines = said.filter((l): l is string => l !== null);
    expect(lines[0]).toBe(
      `batch 100: loss is NaN; skipping the update and resetting the state (--on-non-finite continue; later skips are counted, with a line at most every ${SKIP_NOTICE_SECONDS} s)`,
    );
    // 25 s: the first line, then one each time 10 s have passed.
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('batch 10100: loss is NaN; 10,000 more batches skipped, 10,001 in all');
    expect(lines[2]).toBe('batch 20100: loss is NaN; 10,000 more batches skipped, 20,001 in all');
    expect(notices.skipped).toBe(25_000);
  });

  it('says a lone later skip in full once the pause has passed', () => {
    let clock = 0;
    const notices = new SkipNotices(() => clock);
    notices.skip(3, Infinity);
    clock = 60_000;
    expect(notices.skip(9_000, -Infinity)).toBe('batch 9000: loss is -Infinity; 1 more batch skipped, 2 in all');
  });
});
