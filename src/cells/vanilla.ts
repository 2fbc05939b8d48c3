import type * as tf from '@tensorflow/tfjs';
import { tfjs } from '../core/tfjs.js';
import type { CellDefinition } from '../core/cell.js';
import { FusedEngine } from '../core/engine/fused/fused-engine.js';
import { fusedRnn } from '../core/engine/fused/rnn-cell.js';

/**
 * The paper's vanilla cell (eq. 1-2) with PyTorch's biases:
 * h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
 *
 * @category Cell plugins
 */
export const vanillaCell: CellDefinition = {
  name: 'rnn',
  description: 'vanilla tanh RNN (the paper\'s cell), PyTorch nn.RNN parameters',
  state: ['h'],
  params: ({ inputSize, hiddenSize }) => [
    { name: 'weight_ih', shape: [hiddenSize, inputSize] },
    { name: 'weight_hh', shape: [hiddenSize, hiddenSize] },
    { name: 'bias_ih', shape: [hiddenSize] },
    { name: 'bias_hh', shape: [hiddenSize] },
  ],
  step: (ctx, x, [h]) => [tfjs.tanh(tfjs.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.linear('weight_hh', h, 'bias_hh'))) as tf.Tensor2D],
  kernel: (dims) => new FusedEngine(fusedRnn, dims),
};
