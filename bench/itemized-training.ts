import { createEngine } from '../src/core/engine/create-engine.js';
import { EngineLoop, FULL_EVERY_BATCH, TRUNCATED_EVERY_BATCH } from './engine-loop.js';
import { BUILT_IN_CELLS, type TrainingBenchOptions } from './plain-training.js';
import { median } from './stats.js';
import { type BenchRow, formatRate } from './table.js';

/** The paper's default schedule records one batch in this many. */
const PAPER_PERIOD = 100;

/**
 * The cost of recording at B = 1, then of full itemization at B = 32. Times per batch are measured for plain training, for a recorded
 * batch at the paper's setting (truncated k = 5) and for a fully itemized batch, in alternating
 * runs so that drift in machine load hits all three alike. The paper's default schedule (one
 * truncated recording every 100 batches) costs (t_k5 - t_plain) / 100 per batch: derived from
 * the two medians, because a 3% effect is below the noise of timing the schedule directly on a
 * shared machine.
 */
export function benchItemizedTraining(o: TrainingBenchOptions): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const cell of BUILT_IN_CELLS) {
    const engine = createEngine(cell, o.dims, 'auto');
    const loop = new EngineLoop(engine, cell, o.dims, 1, o.n);
    const perBatch = (batches: number, plan?: typeof FULL_EVERY_BATCH) => o.n / loop.run(batches, plan);
    const plainBatches = loop.calibrate(o.seconds / 2);
    const k5Batches = Math.max(10, loop.calibrate(o.seconds / 2, TRUNCATED_EVERY_BATCH));
    const fullBatches = Math.max(10, loop.calibrate(o.seconds / 2, FULL_EVERY_BATCH));
    const plain: number[] = [];
    const k5: number[] = [];
    const full: number[] = [];
    for (let r = 0; r < o.runs; r++) {
      plain.push(perBatch(plainBatches));
      k5.push(perBatch(k5Batches, TRUNCATED_EVERY_BATCH));
      full.push(perBatch(fullBatches, FULL_EVERY_BATCH));
    }
    const tPlain = median(plain);
    const tK5 = median(k5);
    const tFull = median(full);
    const extra = (tK5 - tPlain) / PAPER_PERIOD;
    const us = (t: number) => `${(t * 1e6).toFixed(0)} us`;
    rows.push({
      measure: `train ${cell.name} B=1 + truncated k=5 every ${PAPER_PERIOD}`,
      engine: engine.name,
      value: `${formatRate(o.n / (tPlain + extra))} chars/s`,
      compare: `cost ${((100 * extra) / tPlain).toFixed(1)}% (recorded batch ${us(tK5)} vs plain ${us(tPlain)})`,
    });
    rows.push({
      measure: `train ${cell.name} B=1 + full itemization every batch`,
      engine: engine.name,
      value: `${formatRate(o.n / tFull)} chars/s`,
      compare: `step time ${(tFull / tPlain).toFixed(2)}x plain (${us(tFull)})`,
    });
    engine.dispose();
    rows.push(batchedFullRow(cell, o));
  }
  return rows;
}

/** Sequences per batch of the batched row. */
const BATCHED = 32;

/**
 * Full itemization of one sequence per batch of {@link BATCHED}: how a researcher who trains
 * batched watches a whole gradient horizon every step. The rows of the itemized sequence are
 * the only extra work, so the cost is a small part of the batch.
 */
function batchedFullRow(cell: (typeof BUILT_IN_CELLS)[number], o: TrainingBenchOptions): BenchRow {
  const engine = createEngine(cell, o.dims, 'auto');
  const loop = new EngineLoop(engine, cell, o.dims, BATCHED, o.n);
  const perBatch = (batches: number, plan?: typeof FULL_EVERY_BATCH) => (BATCHED * o.n) / loop.run(batches, plan);
  const plainBatches = loop.calibrate(o.seconds / 2);
  const fullBatches = Math.max(5, loop.calibrate(o.seconds / 2, FULL_EVERY_BATCH));
  const plain: number[] = [];
  const full: number[] = [];
  for (let r = 0; r < o.runs; r++) {
    plain.push(perBatch(plainBatches));
    full.push(perBatch(fullBatches, FULL_EVERY_BATCH));
  }
  const tPlain = median(plain);
  const tFull = median(full);
  engine.dispose();
  return {
    measure: `train ${cell.name} B=${BATCHED} + full itemization of one sequence every batch`,
    engine: engine.name,
    value: `${formatRate((BATCHED * o.n) / tFull)} chars/s`,
    compare: `step time ${(tFull / tPlain).toFixed(2)}x plain B=${BATCHED} (${(tFull * 1e3).toFixed(2)} ms vs ${(tPlain * 1e3).toFixed(2)} ms)`,
  };
}
