import type { CellDefinition, CellDims } from '../../src/core/cell.js';
import type { Batch } from '../../src/core/engine.js';
import { initParams } from '../../src/core/model.js';
import type { ParamStore } from '../../src/core/params.js';
import { SeededRandom } from '../../src/core/random.js';

/** Random parameters (scaled up so gradients reach far back) and a random batch. */
export function randomProblem(cell: CellDefinition, dims: CellDims, n: number, B: number, seed: number, scale = 3) {
  const rng = new SeededRandom(seed);
  const params: ParamStore = initParams(cell, dims, rng);
  for (const p of Object.values(params)) for (let i = 0; i < p.data.length; i++) p.data[i] *= scale;
  const inputs = Int32Array.from({ length: B * n }, () => rng.int(dims.inputSize));
  const targets = Int32Array.from({ length: B * n }, () => rng.int(dims.inputSize));
  const batch: Batch = { batchSize: B, length: n, inputs, targets };
  const state = cell.state.map(() => Float32Array.from({ length: B * dims.hiddenSize }, () => rng.uniform(-0.5, 0.5)));
  return { params, batch, state, rng };
}

/** The conformance suite's relative error (NaN and length mismatches fail), shared by the tests. */
export { relativeError } from '../../src/testing/compare.js';
