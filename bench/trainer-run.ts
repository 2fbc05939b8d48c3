import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train } from '../src/train/trainer.js';
import { BUILT_IN_CELLS } from './plain-training.js';
import { median } from './stats.js';
import { type BenchRow, formatRate } from './table.js';

/** Seconds of each run before the timed window opens (start-up, first records, worker threads). */
const WARMUP_SECONDS = 0.5;

/** Characters per sequence: the paper's n, as the engine rows use. */
const SEQ_LENGTH = 25;

/** Characters per second over the batches after the warm-up, from the progress callback's clock. */
async function trainerRate(cell: string, batchSize: number, seconds: number, logdir: string): Promise<number> {
  /** Progress marks: the first after the warm-up, and the latest. */
  const marks: { from?: { batch: number; at: number }; last?: { batch: number; at: number }; started?: number } = {};
  await train(
    { cell, batchSize, seqLength: SEQ_LENGTH, logdir, maxSeconds: WARMUP_SECONDS + seconds },
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
  if (!from || !last || last.at <= from.at) return NaN;
  return ((last.batch - from.batch) * batchSize * SEQ_LENGTH) / ((last.at - from.at) / 1000);
}

/**
 * What a user sees: `train()`, which `rnnbow train` runs, with every default (the bundled corpus,
 * the paper's recorder, JSON and TensorBoard exporters, validation every 500 batches, a sample
 * every 1,000, checkpoints) for each built-in cell at B = 1 and B = 32, beside the engine loop of
 * the rows above (`engineRates`, keyed `cell:B`).
 */
export async function benchTrainerRuns(seconds: number, runs: number, engineRates: Map<string, number>): Promise<BenchRow[]> {
  const logdir = mkdtempSync(join(tmpdir(), 'rnnbow-bench-train-'));
  const rows: BenchRow[] = [];
  try {
    for (const cell of BUILT_IN_CELLS) {
      for (const B of [1, 32]) {
        const rates: number[] = [];
        for (let r = 0; r < runs; r++) rates.push(await trainerRate(cell.name, B, seconds, logdir));
        const rate = median(rates);
        const loop = engineRates.get(`${cell.name}:${B}`);
        rows.push({
          measure: `rnnbow train --cell ${cell.name} -b ${B} (every default: k=5 every 100, JSON + TensorBoard)`,
          engine: 'train()',
          value: `${formatRate(rate)} chars/s`,
          compare: loop ? `${(rate / loop).toFixed(2)}x the engine loop` : '',
        });
      }
    }
  } finally {
    rmSync(logdir, { recursive: true, force: true });
  }
  return rows;
}
