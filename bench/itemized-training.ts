import { createEngine } from '../src/core/engine/create-engine.js';
import { EngineLoop, FULL_EVERY_BATCH, type ItemizePlan, TRUNCATED_EVERY_BATCH } from './engine-loop.js';
import { BUILT_IN_CELLS, type TrainingBenchOptions } from './plain-training.js';
import { productMultiplyAdds } from './product-work.js';
import { median } from './stats.js';
import { type BenchRow, formatRate } from './table.js';

/** The paper's default schedule records one batch in this many. */
const PAPER_PERIOD = 100;

/**
 * The cost of recording at B = 1, then of full itemization at B = 32. Times per batch are
 * measured for plain training, for a recorded batch at the paper's setting (truncated k = 5) and
 * for a fully itemized batch, in alternating runs so that drift in machine load hits all three
 * alike. The paper's default schedule (one
 * truncated recording every 100 batches) costs (t_k5 - t_plain) / 100 per batch: derived from
 * the two medians, because a 3% effect is below the noise of timing the schedule directly on a
 * shared machine. The full itemization's row also says how many times the plain step's
 * multiply-adds its matrix products are: the step-time ratio if every product ran at one speed.
 * The measured ratio is lower as far as the itemizer's products (all rows of a step at once) run
 * faster than the plain step's (one row per step at B = 1).
 */
export function benchItemizedTraining(o: TrainingBenchOptions): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const cell of BUILT_IN_CELLS) {
    const engine = createEngine(cell, o.dims, 'auto');
    const [tPlain, tK5, tFull] = medianBatchSeconds(new EngineLoop(engine, cell, o.dims, 1, o.n), [undefined, TRUNCATED_EVERY_BATCH, FULL_EVERY_BATCH], o, 10);
    const extra = (tK5 - tPlain) / PAPER_PERIOD;
    // The arithmetic a "≤ 2x the plain step" goal has to fit on one core.
    const products = productMultiplyAdds(cell, o.dims, 1, o.n, FULL_EVERY_BATCH) / productMultiplyAdds(cell, o.dims, 1, o.n);
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
      compare: `step time ${(tFull / tPlain).toFixed(2)}x plain (${us(tFull)}); its matrix products are ${products.toFixed(2)}x the plain step's multiply-adds`,
    });
    engine.dispose();
    rows.push(batchedFullRow(cell, o));
  }
  return rows;
}

/**
 * Median seconds per batch of `loop` under each plan (undefined = plain training), the plans
 * measured in alternating runs so that drift in machine load hits them alike. Each plan's runs
 * are sized to about half of `o.seconds`, and at least `minBatches` batches when it records.
 */
function medianBatchSeconds(loop: EngineLoop, plans: (ItemizePlan | undefined)[], o: TrainingBenchOptions, minBatches: number): number[] {
  const batches = plans.map((plan) => (plan ? Math.max(minBatches, loop.calibrate(o.seconds / 2, plan)) : loop.calibrate(o.seconds / 2)));
  const times: number[][] = plans.map(() => []);
  for (let r = 0; r < o.runs; r++) {
    plans.forEach((plan, i) => times[i].push((loop.B * loop.n) / loop.run(batches[i], plan)));
  }
  return times.map((t) => median(t));
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
  const [tPlain, tFull] = medianBatchSeconds(new EngineLoop(engine, cell, o.dims, BATCHED, o.n), [undefined, FULL_EVERY_BATCH], o, 5);
  engine.dispose();
  return {
    measure: `train ${cell.name} B=${BATCHED} + full itemization of one sequence every batch`,
    engine: engine.name,
    value: `${formatRate((BATCHED * o.n) / tFull)} chars/s`,
    compare: `step time ${(tFull / tPlain).toFixed(2)}x plain B=${BATCHED} (${(tFull * 1e3).toFixed(2)} ms vs ${(tPlain * 1e3).toFixed(2)} ms)`,
  };
}
