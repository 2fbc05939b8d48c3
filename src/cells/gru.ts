import type * as tf from '@tensorflow/tfjs';
import { tfjs } from '../core/tfjs.js';
import type { CellDefinition } from '../core/cell.js';
import { FusedEngine } from '../core/engine/fused/fused-engine.js';
import { fusedGru } from '../core/engine/fused/gru-cell.js';

/**
 * GRU with PyTorch's parameters and gate row order r, z, n:
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 - z) ⊙ n + z ⊙ h.
 *
 * @category Cell plugins
 */
export const gruCell: CellDefinition = {
  name: 'gru',
  description: 'GRU, PyTorch nn.GRU parameters (gates r, z, n)',
  state: ['h'],
  params: ({ inputSize, hiddenSize: H }) => [
    { name: 'weight_ih', shape: [3 * H, inputSize], gates: ['r', 'z', 'n'] },
    { name: 'weight_hh', shape: [3 * H, H], gates: ['r', 'z', 'n'] },
    { name: 'bias_ih', shape: [3 * H], gates: ['r', 'z', 'n'] },
    { name: 'bias_hh', shape: [3 * H], gates: ['r', 'z', 'n'] },
  ],
  step: (ctx, x, [h]) => {
    const [xr, xz, xn] = tfjs.split(ctx.linear('weight_ih', x, 'bias_ih'), 3, 1);
    const [hr, hz, hn] = tfjs.split(ctx.linear('weight_hh', h, 'bias_hh'), 3, 1);
    const r = tfjs.sigmoid(tfjs.add(xr, hr));
    const z = tfjs.sigmoid(tfjs.add(xz, hz));
    const n = tfjs.tanh(tfjs.add(xn, tfjs.mul(r, hn)));
    return [tfjs.add(tfjs.mul(tfjs.sub(1, z), n), tfjs.mul(z, h)) as tf.Tensor2D];
  },
  kernel: (dims) => new FusedEngine(fusedGru, dims),
};
