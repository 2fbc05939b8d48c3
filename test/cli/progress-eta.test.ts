import { describe, expect, it } from 'vitest';
import { estimateProgress, formatEta } from '../../src/cli/progress.js';

const at = (batch: number, total: number, elapsed: number) => ({ batch, total, elapsed, loss: 1, charsPerSec: 1, records: 0 });

describe('progress estimate', () => {
  it('follows the time limit when it ends the run before the batches do', () => {
    // --steps 100000000 --max-seconds 3, 1 s in at 10,000 batches/s: 2h46m of batches, 2 s of time.
    const est = estimateProgress(at(10_000, 100_000_000, 1), 3, 10_000);
    expect(est.timed).toBe(true);
    expect(est.etaSeconds).toBeCloseTo(2);
    expect(est.fraction).toBeCloseTo(1 / 3);
    expect(formatEta(est.etaSeconds)).toBe('2s');
  });

  it('follows the batches when they end first, or when there is no time limit', () => {
    const est = estimateProgress(at(100, 1000, 1), 60, 100);
    expect(est).toEqual({ timed: false, fraction: 0.1, etaSeconds: 9 });
    expect(estimateProgress(at(100, 1000, 1), undefined, 100).timed).toBe(false);
  });

  it('a time budget alone is timed', () => {
    expect(estimateProgress(at(5, Infinity, 30), 60, 0)).toEqual({ timed: true, fraction: 0.5, etaSeconds: 30 });
  });

  it('formats like cli-progress did', () => {
    expect(formatEta(10_200)).toBe('2h50m');
    expect(formatEta(185)).toBe('3m05s');
    expect(formatEta(Infinity)).toBe('--');
  });
});

describe('the progress bar on a terminal', () => {
  it('shows the time limit and its ETA when max-seconds ends the run first', async () => {
    const { createProgressView } = await import('../../src/cli/progress.js');
    let out = '';
    const tty = Object.assign(Object.create(process.stderr), {
      isTTY: true,
      columns: 200,
      write: (chunk: string) => ((out += chunk), true),
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    }) as NodeJS.WriteStream;
    const view = createProgressView(3, tty);
    view.update(at(0, 100_000_000, 0));
    view.update(at(10_000, 100_000_000, 1));
    view.stop();
    expect(out).toContain('1s/3s');
    expect(out).toContain('ETA 2s');
    expect(out).not.toMatch(/ETA \d+h/);
  });
});
