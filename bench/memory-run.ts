import { vanillaCell } from '../src/cells/vanilla.js';
import type { CellDims } from '../src/core/cell.js';
import { createEngine } from '../src/core/engine/create-engine.js';
import { EngineLoop, PAPER_DEFAULT } from './engine-loop.js';
import { type BenchRow, formatRate } from './table.js';

const MiB = 2 ** 20;

/** Peak resident set size so far, in bytes. */
function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * A long run at the paper's setting (vanilla, B = 1, truncated k = 5 recorded every 100
 * batches): peak RSS after a warm-up and at the end. Flat memory means the two agree.
 */
export function benchMemory(dims: CellDims, n: number, chars: number): BenchRow[] {
  const engine = createEngine(vanillaCell, dims, 'auto');
  const loop = new EngineLoop(engine, vanillaCell, dims, 1, n);
  loop.run(2000, PAPER_DEFAULT);
  const start = peakRss();
  const startNow = process.memoryUsage().rss;
  const rate = loop.run(Math.ceil(chars / n), PAPER_DEFAULT);
  const end = peakRss();
  const endNow = process.memoryUsage().rss;
  engine.dispose();
  return [
    {
      measure: `peak RSS over ${formatRate(chars)} chars (rnn B=1, k=5 every 100)`,
      engine: engine.name,
      value: `${(start / MiB).toFixed(0)} -> ${(end / MiB).toFixed(0)} MiB`,
      compare: `current RSS ${(startNow / MiB).toFixed(0)} -> ${(endNow / MiB).toFixed(0)} MiB at ${formatRate(rate)} chars/s`,
    },
  ];
}
