import { describe, expect, it } from 'vitest';
// The compiled bench (`npm test` builds first): its child process runs dist/bench/trainer-memory-child.js.
import { benchTrainerMemory } from '../../dist/bench/memory-run.js';

describe("bench: rnnbow train's memory row", () => {
  it('runs train() in a child process and reports its peak RSS at the half and the end, and where the run began', () => {
    // 2,500 characters: 100 batches a half, enough to check the plumbing in a few seconds.
    const [row] = benchTrainerMemory(2_500);
    expect(row.measure).toBe('peak RSS of rnnbow train, 2,500 -> 5,000 chars (rnn B=1, every default)');
    expect(row.engine).toBe('train()');
    const value = /^(\d+) -> (\d+) MiB$/.exec(row.value);
    expect(value, `${row.value} ${row.compare}`).not.toBeNull();
    // A high-water mark never falls, and a Node process with the trainer loaded holds tens of MiB.
    const [half, end] = [Number(value![1]), Number(value![2])];
    expect(half).toBeGreaterThan(20);
    expect(end).toBeGreaterThanOrEqual(half);
    expect(row.compare).toMatch(/^\d+ MiB at 1,250 chars; main heap after GC \d+ -> \d+ MiB; [\d,]+ chars\/s$/);
  });

  it("says why the run failed, in the child's own words, instead of crashing the bench", () => {
    const [row] = benchTrainerMemory(Number.NaN);
    expect(row.value).toBe('failed');
    expect(row.compare).toBe('config: steps must be a number');
  });
});
