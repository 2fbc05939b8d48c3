import type { EngineResult, ItemizedSequence } from '../../core/engine.js';
import type { ParamSpec, ParamStore } from '../../core/params.js';
import { singleSequence } from '../problem.js';
import { batchGradient, fullRequest, itemizeWith, type CheckContext } from './check-context.js';

/** What the reference engine computes once per random problem and several checks compare. */
export interface SeedData {
  /** Whole-batch autodiff: gradient of L = (1/B) Σ_b Σ_t L_{b,t} and what else the engine returned. */
  readonly batch: { readonly grads: ParamStore; readonly result: EngineResult };
  /** Whole-sequence autodiff of each sequence alone (a batch of one): dL_b/dθ and its result. */
  readonly sequences: readonly { readonly grads: ParamStore; readonly result: EngineResult }[];
  /** Full itemization (l2, with the matrices G_{t,j}) of each sequence of the batch. */
  readonly itemized: readonly ItemizedSequence[];
}

/** Runs the reference engine over the problem: the batch, each sequence alone, each sequence itemized. */
export function computeSeedData(ctx: CheckContext): SeedData {
  const { engine, problem, settings } = ctx;
  const batch = batchGradient(engine, problem);
  const sequences = [];
  const itemized = [];
  for (let b = 0; b < settings.batchSize; b++) {
    const single = singleSequence(problem, b, settings.dims.hiddenSize);
    sequences.push(batchGradient(engine, { params: problem.params, ...single }));
    itemized.push(itemizeWith(engine, problem, fullRequest(b, 'l2', true)));
  }
  return { batch, sequences, itemized };
}

/** Where gate `g`'s rows of a parameter lie in its row-major data: `[offset, length]`. */
export function gateBlock(spec: ParamSpec, g: number): [number, number] {
  const gates = spec.gates!.length;
  const rows = spec.shape[0] / gates;
  const cols = spec.shape.length === 2 ? spec.shape[1] : 1;
  return [g * rows * cols, rows * cols];
}
