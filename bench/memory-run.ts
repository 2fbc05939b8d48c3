import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vanillaCell } from '../src/cells/vanilla.js';
import type { CellDims } from '../src/core/cell.js';
import { createEngine } from '../src/core/engine/create-engine.js';
import { EngineLoop, PAPER_DEFAULT } from './engine-loop.js';
import { type BenchRow, formatRate } from './table.js';
import type { TrainerMemorySample } from './trainer-memory-child.js';

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

/**
 * What a user runs: `train()` with every default (k = 5 every 100, JSON and TensorBoard exports,
 * validation, samples, checkpoints) for twice `chars` characters of the bundled corpus, in a
 * child process (bench/trainer-memory-child.ts) so that its peak RSS is its own. Resident memory
 * rises over the first stretch of a run, while V8's heaps and the C library's allocator settle
 * (the main thread's heap stays flat throughout), so the row compares the second half's end
 * with its start, and says where the run began.
 */
export function benchTrainerMemory(chars: number): BenchRow[] {
  const measure = `peak RSS of rnnbow train, ${formatRate(chars)} -> ${formatRate(2 * chars)} chars (rnn B=1, every default)`;
  const logdir = mkdtempSync(join(tmpdir(), 'rnnbow-bench-memory-'));
  try {
    const child = fileURLToPath(new URL('./trainer-memory-child.js', import.meta.url));
    const res = spawnSync(process.execPath, ['--expose-gc', child, logdir, String(chars)], { encoding: 'utf8', timeout: 10 * 60_000 });
    const line = res.stdout?.trim().split('\n').pop() ?? '';
    if (res.status !== 0 || !line.startsWith('{')) {
      const why = res.error?.message ?? (res.stderr.trim().split('\n').pop() || `exit status ${res.status}`);
      return [{ measure, engine: 'train()', value: 'failed', compare: why }];
    }
    const { samples, charsPerSecond } = JSON.parse(line) as { samples: TrainerMemorySample[]; charsPerSecond: number };
    const [started, half, end] = samples;
    const mib = (bytes: number) => (bytes / MiB).toFixed(0);
    return [
      {
        measure,
        engine: 'train()',
        value: `${mib(half.peakRss)} -> ${mib(end.peakRss)} MiB`,
        compare: `${mib(started.rss)} MiB at ${formatRate(started.batch * 25)} chars; main heap after GC ${mib(half.heapUsed)} -> ${mib(end.heapUsed)} MiB; ${formatRate(charsPerSecond)} chars/s`,
      },
    ];
  } finally {
    rmSync(logdir, { recursive: true, force: true });
  }
}
