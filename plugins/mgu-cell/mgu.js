import * as tf from '@tensorflow/tfjs';

/**
 * The Minimal Gated Unit (Zhou, Wu, Zhang and Zhou, 2016): a GRU reduced to a single forget gate.
 *
 *   f  = σ(W_f x + b_f + U_f h)
 *   n  = tanh(W_n x + b_n + U_n (f ⊙ h))
 *   h' = (1 - f) ⊙ h + f ⊙ n
 *
 * Parameters, in the style of PyTorch's nn.GRU:
 *   weight_ih [2H, V] and bias_ih [2H]: W_f over W_n (gate rows f, n), b_f over b_n;
 *   weight_hf [H, H]: U_f, the forget gate's recurrent weight;
 *   weight_hh [H, H]: U_n, the candidate's recurrent weight (the viewer's overview parameter).
 *
 * Every parameter enters through ctx.linear, so rnnbow itemizes all of them, and weight_ih per gate.
 *
 * @type {import('rnnbow').CellDefinition}
 */
export const mguCell = {
  name: 'mgu',
  description: 'Minimal Gated Unit (Zhou et al. 2016): one forget gate f and a candidate n',
  state: ['h'],
  params: ({ inputSize, hiddenSize }) => [
    { name: 'weight_ih', shape: [2 * hiddenSize, inputSize], gates: ['f', 'n'] },
    { name: 'bias_ih', shape: [2 * hiddenSize], gates: ['f', 'n'] },
    { name: 'weight_hf', shape: [hiddenSize, hiddenSize] },
    { name: 'weight_hh', shape: [hiddenSize, hiddenSize] },
  ],
  step: (ctx, x, [h]) => {
    const [xf, xn] = tf.split(ctx.linear('weight_ih', x, 'bias_ih'), 2, 1);
    const f = tf.sigmoid(tf.add(xf, ctx.linear('weight_hf', h)));
    const n = tf.tanh(tf.add(xn, ctx.linear('weight_hh', tf.mul(f, h))));
    return [/** @type {tf.Tensor2D} */ (tf.add(tf.mul(tf.sub(1, f), h), tf.mul(f, n)))];
  },
};
