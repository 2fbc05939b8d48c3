import type * as tf from '@tensorflow/tfjs';
import { tfjs } from '../core/tfjs.js';
import type { CellDefinition } from '../core/cell.js';
import { FusedEngine } from '../core/engine/fused/fused-engine.js';
import { fusedLstm } from '../core/engine/fused/lstm-cell.js';

/**
 * LSTM with PyTorch's parameters and gate row order i, f, g, o:
 * c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c'). State is (h, c); both carry cotangents.
 *
 * @category Cell plugins
 */
export const lstmCell: CellDefinition = {
  name: 'lstm',
  description: 'LSTM, PyTorch nn.LSTM parameters (gates i, f, g, o)',
  state: ['h', 'c'],
  params: ({ inputSize, hiddenSize: H }) => [
    { name: 'weight_ih', shape: [4 * H, inputSize], gates: ['i', 'f', 'g', 'o'] },
    { name: 'weight_hh', shape: [4 * H, H], gates: ['i', 'f', 'g', 'o'] },
    { name: 'bias_ih', shape: [4 * H], gates: ['i', 'f', 'g', 'o'] },
    { name: 'bias_hh', shape: [4 * H], gates: ['i', 'f', 'g', 'o'] },
  ],
  step: (ctx, x, [h, c]) => {
    const z = tfjs.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.linear('weight_hh', h, 'bias_hh'));
    const [zi, zf, zg, zo] = tfjs.split(z, 4, 1);
    const c2 = tfjs.add(tfjs.mul(tfjs.sigmoid(zf), c), tfjs.mul(tfjs.sigmoid(zi), tfjs.tanh(zg))) as tf.Tensor2D;
    const h2 = tfjs.mul(tfjs.sigmoid(zo), tfjs.tanh(c2)) as tf.Tensor2D;
    return [h2, c2];
  },
  kernel: (dims) => new FusedEngine(fusedLstm, dims),
};
