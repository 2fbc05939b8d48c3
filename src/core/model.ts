import type { CellDefinition, CellDims } from './cell.js';
import type { ParamSpec, ParamStore } from './params.js';
import { sizeOf } from './params.js';
import type { SeededRandom } from './random.js';

/**
 * Name of the output head's weight `[V, H]` (PyTorch `nn.Linear` layout; V = vocabulary size):
 * logits = W h + b on the cell's first state component. Reserved: a cell may not declare it.
 *
 * @category Gradient engine
 */
export const HEAD_WEIGHT = 'out.weight';
/**
 * Name of the output head's bias `[V]`. Reserved, like {@link HEAD_WEIGHT}.
 *
 * @category Gradient engine
 */
export const HEAD_BIAS = 'out.bias';

/** The softmax output head's parameters. */
export function headParams(dims: CellDims): ParamSpec[] {
  return [
    { name: HEAD_WEIGHT, shape: [dims.inputSize, dims.hiddenSize] },
    { name: HEAD_BIAS, shape: [dims.inputSize] },
  ];
}

/**
 * Every parameter of cell + head, in checkpoint order: the cell's {@link CellDefinition.params},
 * then {@link HEAD_WEIGHT} and {@link HEAD_BIAS}.
 *
 * @category Gradient engine
 */
export function modelParams(cell: CellDefinition, dims: CellDims): ParamSpec[] {
  return [...cell.params(dims), ...headParams(dims)];
}

/**
 * Fresh parameters for cell + head: PyTorch's U(-1/√H, 1/√H) (H = hidden size, for every
 * parameter, as PyTorch's RNN, LSTM and GRU do) unless a spec's {@link ParamSpec.init} says
 * otherwise. The same `rng` seed gives the same parameters.
 *
 * @category Gradient engine
 */
export function initParams(cell: CellDefinition, dims: CellDims, rng: SeededRandom): ParamStore {
  const bound = 1 / Math.sqrt(dims.hiddenSize);
  const store: ParamStore = {};
  for (const spec of modelParams(cell, dims)) {
    const data = new Float32Array(sizeOf(spec.shape));
    const init = spec.init ?? 'uniform';
    if (init === 'uniform') for (let i = 0; i < data.length; i++) data[i] = rng.uniform(-bound, bound);
    else if (init === 'ones') data.fill(1);
    else if (typeof init === 'object') data.fill(init.constant);
    store[spec.name] = { shape: [...spec.shape], data };
  }
  return store;
}

/**
 * Zero initial state for `batchSize` streams: one `[batchSize * H]` array per state component
 * (see {@link State}).
 *
 * @category Gradient engine
 */
export function zeroState(cell: CellDefinition, dims: CellDims, batchSize: number): Float32Array[] {
  return cell.state.map(() => new Float32Array(batchSize * dims.hiddenSize));
}
