import { availableParallelism } from 'node:os';
import { gruCell } from '../src/cells/gru.js';
import { lstmCell } from '../src/cells/lstm.js';
import { vanillaCell } from '../src/cells/vanilla.js';
import type { CellDefinition, CellDims } from '../src/core/cell.js';
import { createEngine } from '../src/core/engine/create-engine.js';
import { FusedEngine } from '../src/core/engine/fused/fused-engine.js';
import { fusedRnn } from '../src/core/engine/fused/rnn-cell.js';
import { EngineLoop } from './engine-loop.js';
import { median, repeat } from './stats.js';
import { type BenchRow, formatRate } from './table.js';

/** Settings shared by the training measurements. */
export interface TrainingBenchOptions {
  /** Model sizes (the paper's: V ≈ 100, H = 100). */
  readonly dims: CellDims;
  /** Steps per sequence (the paper's n = 25). */
  readonly n: number;
  /** Timed runs per figure (the median is reported). */
  readonly runs: number;
  /** Seconds per timed run. */
  readonly seconds: number;
}

/** Plain-training chars/s of one engine: median (and best) over runs of an engine-level loop. */
export function plainRates(loop: EngineLoop, o: TrainingBenchOptions): { median: number; best: number } {
  const batches = loop.calibrate(o.seconds);
  const rates = repeat(o.runs, 0, () => loop.run(batches));
  return { median: median(rates), best: Math.max(...rates) };
}

/** The median of {@link plainRates}. */
export function plainRate(loop: EngineLoop, o: TrainingBenchOptions): number {
  return plainRates(loop, o).median;
}

/** The built-in cells. */
export const BUILT_IN_CELLS: readonly CellDefinition[] = [vanillaCell, lstmCell, gruCell];

/** Threads a fused engine splits a batch over (1 for other engines). */
function threadsOf(engine: unknown): number {
  return engine instanceof FusedEngine ? engine.threads : 1;
}

/**
 * Vanilla training at half a batch of `B` on one thread: what each of two threads runs of a split
 * batch. Twice its chars/s is what the split would reach if the halves ran side by side as fast
 * as this one ran alone and neither waited for the other: the ceiling two threads put on the
 * "B = 32 at least 3x B = 1" goal on this machine, against which the two-thread row shows what
 * the wait and the hand-over took.
 */
function halfBatchRow(o: TrainingBenchOptions, B: number, rateB1: number): BenchRow {
  const half = B / 2;
  const engine = new FusedEngine(fusedRnn, o.dims, { threads: 1 });
  const rate = plainRate(new EngineLoop(engine, vanillaCell, o.dims, half, o.n), o);
  engine.dispose();
  return {
    measure: `train rnn B=${half}, 1 thread (half of a split B=${B} batch)`,
    engine: engine.name,
    value: `${formatRate(rate)} chars/s`,
    compare: `two threads this fast that never waited: ${((2 * rate) / rateB1).toFixed(2)}x B=1 at B=${B}`,
  };
}

/**
 * Plain training (no recording), chars/s, for rnn/lstm/gru at B = 1 and B = 32 on the default
 * engine with the SIMD Adagrad (B = 32 on the engine's default single thread, and again split across every core); then the vanilla cell with the project's scalar Adagrad, and on
 * the plain-JavaScript fallback kernels of the fused engine.
 * Returns the rows and the B = 1 vanilla figure (the one the numpy baseline is compared with).
 */
export function benchPlainTraining(o: TrainingBenchOptions): { rows: BenchRow[]; rates: Map<string, number> } {
  const rows: BenchRow[] = [];
  const rates = new Map<string, number>();
  for (const cell of BUILT_IN_CELLS) {
    for (const B of [1, 32]) {
      const engine = createEngine(cell, o.dims, 'auto');
      const { median: rate, best } = plainRates(new EngineLoop(engine, cell, o.dims, B, o.n), o);
      rates.set(`${cell.name}:${B}`, rate);
      const vsB1 = B === 1 ? '' : `, ${(rate / rates.get(`${cell.name}:1`)!).toFixed(2)}x B=1`;
      const threads = B === 1 ? '' : `, ${threadsOf(engine)} thread${threadsOf(engine) === 1 ? '' : 's'}`;
      rows.push({ measure: `train ${cell.name} B=${B}`, engine: engine.name, value: `${formatRate(rate)} chars/s`, compare: `best run ${formatRate(best)}${vsB1}${threads}` });
      engine.dispose();
      const cores = availableParallelism();
      if (B > 1 && engine instanceof FusedEngine && cores > 1) {
        // The default is one thread; measure the opt-in split (RNNBOW_THREADS=auto) beside it.
        const other = threadsOf(engine) > 1 ? 1 : cores;
        const alt = new FusedEngine(engine.cell, o.dims, { threads: other });
        const altRate = plainRate(new EngineLoop(alt, cell, o.dims, B, o.n), o);
        rows.push({
          measure: `train ${cell.name} B=${B}, ${other} thread${other === 1 ? '' : 's'}`,
          engine: alt.name,
          value: `${formatRate(altRate)} chars/s`,
          compare: `${(altRate / rate).toFixed(2)}x the row above, ${(altRate / rates.get(`${cell.name}:1`)!).toFixed(2)}x B=1`,
        });
        alt.dispose();
      }
      if (B > 1 && cell === vanillaCell) rows.push(halfBatchRow(o, B, rates.get('rnn:1')!));
    }
  }
  const projectOpt = createEngine(vanillaCell, o.dims, 'auto');
  const projectRate = plainRate(new EngineLoop(projectOpt, vanillaCell, o.dims, 1, o.n, 'project'), o);
  rows.push({
    measure: 'train rnn B=1, scalar Adagrad (src/train/optimizer.ts)',
    engine: projectOpt.name,
    value: `${formatRate(projectRate)} chars/s`,
    compare: `${(rates.get('rnn:1')! / projectRate).toFixed(2)}x slower than with the SIMD Adagrad`,
  });
  if (projectOpt.name === 'fused:wasm-fma') {
    // What the FMA build buys: the same loop on the plain SIMD build of the kernels.
    const simd = new FusedEngine(fusedRnn, o.dims, { backend: 'wasm-simd' });
    const simdRate = plainRate(new EngineLoop(simd, vanillaCell, o.dims, 1, o.n), o);
    rows.push({
      measure: 'train rnn B=1, plain SIMD kernels (RNNBOW_FMA=0)',
      engine: simd.name,
      value: `${formatRate(simdRate)} chars/s`,
      compare: `the FMA build is ${(rates.get('rnn:1')! / simdRate).toFixed(2)}x faster`,
    });
    simd.dispose();
  }
  const js = new FusedEngine(fusedRnn, o.dims, { backend: 'js' });
  const jsRate = plainRate(new EngineLoop(js, vanillaCell, o.dims, 1, o.n), { ...o, runs: Math.min(o.runs, 3) });
  rows.push({ measure: 'train rnn B=1 (JS fallback kernels)', engine: js.name, value: `${formatRate(jsRate)} chars/s` });
  return { rows, rates };
}
