import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vanillaCell } from '../src/cells/vanilla.js';
import type { CellDims } from '../src/core/cell.js';
import { createEngine } from '../src/core/engine/create-engine.js';
import { EngineLoop, PAPER_DEFAULT } from './engine-loop.js';
import { peakRss } from './peak-rss.js';
import { type BenchRow, formatRate } from './table.js';
import type { TrainerMemoryResult } from './trainer-memory-child.js';

const MiB = 2 ** 20;

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
    const failed = (why: string): BenchRow[] => [{ measure, engine: 'train()', value: 'failed', compare: why }];
    const line = res.stdout?.trim().split('\n').pop() ?? '';
    const said = line.startsWith('{') ? (JSON.parse(line) as Partial<TrainerMemoryResult> & { error?: string }) : null;
    if (said?.error) return failed(said.error);
    if (res.error) return failed(res.error.message);
    if (res.status !== 0 || !said) return failed(res.signal ? `killed by ${res.signal}` : `exit status ${res.status}: ${res.stderr.trim().split('\n')[0] ?? ''}`);
    const samples = said.samples ?? [];
    if (samples.length !== 3) return failed(`the run stopped after ${samples[samples.length - 1]?.batch ?? 0} batches, before its last sample`);
    const [started, half, end] = samples;
    const mib = (bytes: number) => (bytes / MiB).toFixed(0);
    return [
      {
        measure,
        engine: 'train()',
        value: `${mib(half.peakRss)} -> ${mib(end.peakRss)} MiB`,
        compare: `${mib(started.rss)} MiB at ${formatRate(started.batch * said.seqLength!)} chars; main heap after GC ${mib(half.heapUsed)} -> ${mib(end.heapUsed)} MiB; ${formatRate(said.charsPerSecond!)} chars/s`,
      },
    ];
  } finally {
    rmSync(logdir, { recursive: true, force: true });
  }
}
