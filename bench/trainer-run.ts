import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunConfigInput } from '../src/core/config.js';
import type { RunSummary } from '../src/core/record.js';
import { exportShares, percent } from '../src/train/export-time.js';
import { train } from '../src/train/trainer.js';
import { BUILT_IN_CELLS } from './plain-training.js';
import { median } from './stats.js';
import { type BenchRow, formatRate } from './table.js';

/** Seconds of each run before the timed window opens (start-up, first records, worker threads). */
const WARMUP_SECONDS = 0.5;

/** Characters per sequence: the paper's n, as the engine rows use. */
const SEQ_LENGTH = 25;

/**
 * Characters per second over the batches after the warm-up, from the progress callback's clock,
 * and the run's summary. `recorder` replaces the paper's default recorder.
 */
async function trainerRun(cell: string, batchSize: number, seconds: number, logdir: string, recorder?: RunConfigInput['recorder']): Promise<{ rate: number; summary: RunSummary }> {
  /** Progress marks: the first after the warm-up, and the latest. */
  const marks: { from?: { batch: number; at: number }; last?: { batch: number; at: number }; started?: number } = {};
  const { summary } = await train(
    { cell, batchSize, seqLength: SEQ_LENGTH, logdir, maxSeconds: WARMUP_SECONDS + seconds, ...(recorder ? { recorder } : {}) },
    {
      onProgress: (p) => {
        const at = performance.now();
        marks.started ??= at;
        if (!marks.from && at - marks.started >= WARMUP_SECONDS * 1000) marks.from = { batch: p.batch, at };
        marks.last = { batch: p.batch, at };
      },
    },
  );
  const { from, last } = marks;
  if (!from || !last || last.at <= from.at) return { rate: NaN, summary };
  return { rate: ((last.batch - from.batch) * batchSize * SEQ_LENGTH) / ((last.at - from.at) / 1000), summary };
}

/**
 * What a user sees: `train()`, which `rnnbow train` runs, with every default (the bundled corpus,
 * the paper's recorder, JSON and TensorBoard exporters, validation every 500 batches, a sample
 * every 1,000, checkpoints) for each built-in cell at B = 1 and B = 32, beside the engine loop of
 * the rows above (`engineRates`, keyed `cell:B`); then vanilla B = 1 recording every batch.
 */
export async function benchTrainerRuns(seconds: number, runs: number, engineRates: Map<string, number>): Promise<BenchRow[]> {
  const logdir = mkdtempSync(join(tmpdir(), 'rnnbow-bench-train-'));
  const rows: BenchRow[] = [];
  /** Median chars/s of each default run, keyed `cell:B`. */
  const defaults = new Map<string, number>();
  try {
    for (const cell of BUILT_IN_CELLS) {
      for (const B of [1, 32]) {
        const rates: number[] = [];
        for (let r = 0; r < runs; r++) rates.push((await trainerRun(cell.name, B, seconds, logdir)).rate);
        const rate = median(rates);
        defaults.set(`${cell.name}:${B}`, rate);
        const loop = engineRates.get(`${cell.name}:${B}`);
        rows.push({
          measure: `rnnbow train --cell ${cell.name} -b ${B} (every default: k=5 every 100, JSON + TensorBoard)`,
          engine: 'train()',
          value: `${formatRate(rate)} chars/s`,
          compare: loop ? `${(rate / loop).toFixed(2)}x the engine loop` : '',
        });
      }
    }
    rows.push(await denseRecordingRow(seconds, runs, logdir, defaults.get('rnn:1') ?? NaN));
  } finally {
    rmSync(logdir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * Full itemization of every batch as a user runs it (`--recorder full --every 1`, both
 * exporters): where the exporters, not the engine, set the pace. Compared with the default run
 * (`plainRate`, chars/s) and with what the exporters cost, as the run's closing line says it.
 */
async function denseRecordingRow(seconds: number, runs: number, logdir: string, plainRate: number): Promise<BenchRow> {
  const results: { rate: number; summary: RunSummary }[] = [];
  for (let r = 0; r < runs; r++) results.push(await trainerRun('rnn', 1, seconds, logdir, { name: 'full' }));
  const rate = median(results.map((r) => r.rate));
  // The run whose rate is the median, for its exporter figures.
  const { summary } = results.reduce((best, r) => (Math.abs(r.rate - rate) < Math.abs(best.rate - rate) ? r : best));
  // The same shares, worded the same, as the run's own line.
  const shares = exportShares(summary.exportSeconds ?? {}, summary.exporterBusySeconds ?? {}, summary.seconds!);
  return {
    measure: 'rnnbow train --cell rnn -b 1 --recorder full --every 1 (JSON + TensorBoard)',
    engine: 'train()',
    value: `${formatRate(rate)} chars/s`,
    compare: `${Number.isFinite(plainRate) ? `${(plainRate / rate).toFixed(1)}x slower than every default; ` : ''}waited for the exporters ${percent(shares.waited)} (busy: ${shares.busy})`,
  };
}
