import type { CellDefinition, CellDims } from '../core/cell.js';
import type { Batch, State } from '../core/engine.js';
import { initParams } from '../core/model.js';
import type { ParamStore } from '../core/params.js';
import { SeededRandom } from '../core/random.js';

/** One random test case: weights, a batch of token sequences and a non-zero initial state. */
export interface RandomProblem {
  /** Cell and head parameters. */
  readonly params: ParamStore;
  /** `batchSize` random sequences of `length` steps. */
  readonly batch: Batch;
  /** A random initial state, so that the state's own gradient path is exercised from step 0. */
  readonly state: State;
}

/**
 * A seeded random problem. Weights are the cell's own initialisation times `weightScale`: scaled
 * up, gradients from late losses still reach early steps, so the distances d > 0 that the
 * itemization must get right carry more than rounding noise.
 */
export function randomProblem(cell: CellDefinition, dims: CellDims, length: number, batchSize: number, seed: number, weightScale: number): RandomProblem {
  const rng = new SeededRandom(seed);
  const params = initParams(cell, dims, rng);
  for (const p of Object.values(params)) for (let i = 0; i < p.data.length; i++) p.data[i] *= weightScale;
  // `ones`/`zeros` initialisations would hide bugs that a generic value shows; perturb them too.
  for (const p of Object.values(params)) for (let i = 0; i < p.data.length; i++) p.data[i] += rng.uniform(-0.1, 0.1);
  const inputs = Int32Array.from({ length: batchSize * length }, () => rng.int(dims.inputSize));
  const targets = Int32Array.from({ length: batchSize * length }, () => rng.int(dims.inputSize));
  const state = cell.state.map(() => Float32Array.from({ length: batchSize * dims.hiddenSize }, () => rng.uniform(-0.5, 0.5)));
  return { params, batch: { batchSize, length, inputs, targets }, state };
}

/** Sequence `b` of a problem as a batch of one, with its slice of the initial state. */
export function singleSequence(problem: RandomProblem, b: number, hiddenSize: number): { batch: Batch; state: State } {
  const n = problem.batch.length;
  return {
    batch: {
      batchSize: 1,
      length: n,
      inputs: problem.batch.inputs.slice(b * n, (b + 1) * n),
      targets: problem.batch.targets.slice(b * n, (b + 1) * n),
    },
    state: problem.state.map((s) => s.slice(b * hiddenSize, (b + 1) * hiddenSize)),
  };
}
