import * as tf from '@tensorflow/tfjs';
import type { CellDefinition } from '../core/cell.js';
import { FusedEngine } from '../core/engine/fused/fused-engine.js';
import { fusedLstm } from '../core/engine/fused/lstm-cell.js';

/**
 * LSTM with PyTorch's parameters and gate row order i, f, g, o:
 * c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c'). State is (h, c); both carry cotangents.
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
    const z = tf.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.linear('weight_hh', h, 'bias_hh'));
    const [zi, zf, zg, zo] = tf.split(z, 4, 1);
    const c2 = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg))) as tf.Tensor2D;
    const h2 = tf.mul(tf.sigmoid(zo), tf.tanh(c2)) as tf.Tensor2D;
    return [h2, c2];
  },
  kernel: (dims) => new FusedEngine(fusedLstm, dims),
};
