import type { CellDefinition, CellDims } from '../src/core/cell.js';
import { createEngine } from '../src/core/engine/create-engine.js';
import { FusedEngine } from '../src/core/engine/fused/fused-engine.js';
import type { FusedOps } from '../src/core/engine/fused/ops.js';
import { EngineLoop, type ItemizePlan } from './engine-loop.js';

/** The kernels whose work grows with the model: every matrix product of a batch. */
const PRODUCTS = ['gemmNT', 'gemmNN', 'gemmTN'] as const;

/**
 * Multiply-adds in the matrix products of one batch of `B` sequences under `plan` (undefined =
 * plain training), counted from the M·N·K of every product the fused engine runs. Products are
 * nearly all of a step's arithmetic, so the ratio of two counts is the least time one costs over
 * the other on a core that runs every product at the same speed: what a goal such as "full
 * itemization ≤ 2x the plain step" asks of the kernels, whatever the machine. Counted on the
 * JavaScript kernels of a one-thread engine of its own (their calls are the WebAssembly
 * kernels' calls, and the object is not shared with the engines being timed).
 */
export function productMultiplyAdds(cell: CellDefinition, dims: CellDims, B: number, n: number, plan?: ItemizePlan): number {
  const fused = createEngine(cell, dims, 'fused');
  if (!(fused instanceof FusedEngine)) throw new Error(`${cell.name}: no fused kernel to count`);
  const engine = new FusedEngine(fused.cell, dims, { backend: 'js', threads: 1 });
  fused.dispose();
  let count = 0;
  const ops: FusedOps = engine.ops;
  for (const name of PRODUCTS) {
    const run = ops[name].bind(ops);
    ops[name] = (M, N, K, ...rest) => {
      count += M * N * K;
      run(M, N, K, ...rest);
    };
  }
  try {
    new EngineLoop(engine, cell, dims, B, n).run(1, plan);
  } finally {
    engine.dispose();
  }
  return count;
}
