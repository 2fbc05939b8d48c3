import type { CellDefinition, CellDims } from '../src/core/cell.js';
import type { GradientEngine, ItemizeRequest } from '../src/core/engine.js';
import { initParams, zeroState } from '../src/core/model.js';
import type { ParamStore } from '../src/core/params.js';
import { zerosLike } from '../src/core/params.js';
import { SeededRandom } from '../src/core/random.js';
import type { Optimizer } from '../src/train/optimizer.js';
import { createOptimizer } from '../src/train/optimizer.js';
import { FusedOptimizer } from '../src/core/engine/fused/fused-optimizer.js';
import { seconds } from './stats.js';
import { TokenStream } from './token-stream.js';

/** Which batches a loop itemizes, and how (null = plain training). */
export type ItemizePlan = (batch: number) => ItemizeRequest | undefined;

/** What every plan asks besides k: the trainer's request (it has no use for the sequence's own gradient). */
const AS_THE_TRAINER = { sequence: 0, reduction: 'l2', sequenceGradient: false } as const;

/** The paper's default recording: truncated k = 5 on every 100th batch. */
export const PAPER_DEFAULT: ItemizePlan = (i) => (i % 100 === 0 ? { ...AS_THE_TRAINER, k: 5, residual: true } : undefined);

/** The paper's recording (truncated k = 5) on every batch: what one recorded batch costs. */
export const TRUNCATED_EVERY_BATCH: ItemizePlan = () => ({ ...AS_THE_TRAINER, k: 5, residual: true });

/** Full itemization of every batch. */
export const FULL_EVERY_BATCH: ItemizePlan = () => ({ ...AS_THE_TRAINER, k: null, residual: false });

/**
 * Which Adagrad the loop applies: the SIMD kernel (default; the engine's own when it has one,
 * as the trainer does) or src/train/optimizer.ts's scalar loop.
 */
export type OptimizerChoice = 'fused' | 'project';

/**
 * A training loop at the engine level, as the trainer runs it: engine.train on the next batch of
 * B streams, state carried over, Adagrad (lr 0.1) applied in place.
 */
export class EngineLoop {
  private readonly params;
  /** Null when the gradient stays in the engine for its own optimizer. */
  private readonly grads: ParamStore | null;
  private readonly optimizer: { update(params: ParamStore, grads: ParamStore | null): void };
  private readonly stream: TokenStream;
  private state;
  private batchIndex = 0;

  constructor(
    readonly engine: GradientEngine,
    cell: CellDefinition,
    dims: CellDims,
    readonly B: number,
    readonly n: number,
    optimizer: OptimizerChoice = 'fused',
    seed = 1,
  ) {
    this.params = initParams(cell, dims, new SeededRandom(seed));
    const inEngine = optimizer === 'fused' ? engine.createOptimizer?.('adagrad', this.params, 0.1) : undefined;
    const standalone: Optimizer | undefined = inEngine
      ? undefined
      : optimizer === 'fused'
        ? new FusedOptimizer('adagrad', this.params, 0.1)
        : createOptimizer('adagrad', this.params, 0.1);
    this.grads = inEngine ? null : zerosLike(this.params);
    this.optimizer = inEngine ?? {
      update: (params, grads) => standalone!.update(params, grads!),
    };
    this.stream = new TokenStream(dims.inputSize, B, n, 1 << 20, seed);
    this.state = zeroState(cell, dims, B);
  }

  /** Trains `batches` batches; returns characters (B·n per batch) per second. */
  run(batches: number, plan?: ItemizePlan): number {
    const s = seconds(() => {
      for (let i = 0; i < batches; i++) {
        const req = plan?.(this.batchIndex);
        const res = this.engine.train(this.params, this.stream.next(), this.state, this.grads, req);
        this.state = res.finalState;
        this.optimizer.update(this.params, this.grads);
        this.batchIndex++;
      }
    });
    return (batches * this.B * this.n) / s;
  }

  /**
   * Warms up for `budget` seconds, then finds how many batches take about `budget` seconds.
   * The warm-up matters: the first batches start the engine's worker threads and run before V8
   * has optimised the loops (a split B = 32 batch takes about twice as long for its first 50
   * batches); sized from those, the timed runs would be a batch or two long and measure the
   * start-up instead of the engine.
   */
  calibrate(budget: number, plan?: ItemizePlan): number {
    const warm = performance.now() + budget * 1000;
    do this.run(1, plan);
    while (performance.now() < warm);
    let batches = 1;
    for (;;) {
      const rate = this.run(batches, plan);
      const s = (batches * this.B * this.n) / rate;
      if (s >= budget / 4) return Math.max(1, Math.round((batches * budget) / s));
      batches *= 2;
    }
  }
}
