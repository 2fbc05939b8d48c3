import { vanillaCell } from '../src/cells/vanilla.js';
import { createEngine } from '../src/core/engine/create-engine.js';
import { EngineLoop } from './engine-loop.js';
import { plainRate, type TrainingBenchOptions } from './plain-training.js';
import { type BenchRow, formatRate } from './table.js';

/** The reference engine (tfjs autodiff of the cell's step) on the same loop: what plugins get. */
export function benchTfjsReference(o: TrainingBenchOptions, fusedB1: number): BenchRow[] {
  const engine = createEngine(vanillaCell, o.dims, 'tfjs');
  const rate = plainRate(new EngineLoop(engine, vanillaCell, o.dims, 1, o.n), { ...o, runs: Math.min(o.runs, 3) });
  engine.dispose();
  return [{ measure: 'train rnn B=1 (reference engine)', engine: engine.name, value: `${formatRate(rate)} chars/s`, compare: `fused is ${(fusedB1 / rate).toFixed(0)}x faster` }];
}
