import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchRecord } from '../src/core/record.js';
import { tensorboardExporter, TensorBoardExporter } from '../src/exporters/tensorboard/index.js';
import { syntheticRunInfo } from './synthetic-run.js';

/** Options of {@link benchTensorboardWrite}. */
export interface TensorboardWriteBenchOptions {
  /** Records to write (default 2000). */
  records?: number;
  /** Sequence length n (default 25). */
  n?: number;
  /** Itemized parameters per record (default 4). */
  params?: number;
  /** Include the PNG renderings (default true, as the exporter does by default). */
  images?: boolean;
}

/** What {@link benchTensorboardWrite} measured. */
export interface TensorboardWriteBenchResult {
  /** Recorded batches written per second (each with its training-step scalars). */
  recordsPerSec: number;
  /** Megabytes (10^6 bytes) of event file written per second. */
  mbPerSec: number;
}

/** A deterministic record of the size a full itemization of n steps over `params` parameters produces. */
function benchRecord(batch: number, n: number, params: number, vocab: number): BatchRecord {
  let seed = batch * 7919 + 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const matrix = () => Array.from({ length: n }, (_, t) => Array.from({ length: t + 1 }, (_, d) => Math.exp(-d * (0.2 + rand())) * (0.5 + rand())));
  const names = ['weight_hh', 'weight_ih', 'bias_hh', 'bias_ih', 'p4', 'p5', 'p6', 'p7'].slice(0, params);
  const tokens = () => Array.from({ length: n }, () => Math.floor(rand() * vocab));
  return {
    runId: 'bench',
    batch,
    wallTime: 1_700_000_000 + batch,
    cell: 'rnn',
    n,
    k: null,
    reduction: 'l2',
    sequence: 0,
    corpusOffset: batch * n,
    inputs: tokens(),
    targets: tokens(),
    predictions: tokens(),
    losses: Array.from({ length: n }, () => rand() * 4),
    primary: 'weight_hh',
    maxGradient: 1 + rand(),
    params: Object.fromEntries(names.map((name) => [name, { byDistance: matrix() }])),
  };
}

/**
 * Write throughput of the TensorBoard exporter: records/s and MB/s of event file written, for
 * full-itemization records (default n = 25, 4 parameters) with every summary the exporter derives
 * (scalars, histogram, PNGs, text, full record), flushed and closed at the end.
 */
export async function benchTensorboardWrite(options: TensorboardWriteBenchOptions = {}): Promise<TensorboardWriteBenchResult> {
  const count = options.records ?? 2000;
  const n = options.n ?? 25;
  const vocab = Array.from({ length: 64 }, (_, i) => String.fromCharCode(32 + i));
  const run = syntheticRunInfo({ seqLength: n, vocab, corpus: { source: 'bench', chars: 0, files: 0 }, recorder: 'full', engine: 'bench' });
  // Build the records first: the benchmark times the exporter, not the data.
  const records = Array.from({ length: count }, (_, i) => benchRecord(i, n, options.params ?? 4, vocab.length));
  const dir = mkdtempSync(join(tmpdir(), 'rnnbow-bench-tb-'));
  try {
    const exporter = tensorboardExporter.create({ images: options.images ?? true }) as TensorBoardExporter;
    await exporter.open(run, dir);
    const start = performance.now();
    for (const r of records) {
      exporter.writeScalars(r.batch, { loss: r.losses[0] }, r.wallTime);
      exporter.writeRecord(r);
    }
    await exporter.close({ batches: count, finalLoss: 1, records: count, status: 'completed' });
    const seconds = (performance.now() - start) / 1000;
    const bytes = statSync(exporter.eventFilePath!).size;
    return { recordsPerSec: count / seconds, mbPerSec: bytes / 1e6 / seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
