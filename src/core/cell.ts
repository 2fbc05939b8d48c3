import type * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from './params.js';
import type { GradientEngine } from './engine.js';

/**
 * The `ctx` a cell's {@link CellDefinition.step} receives: the only way a step gets at its
 * parameters. Parameters are referred to by the names {@link CellDefinition.params} declares.
 *
 * Why helpers instead of plain tensors: a parameter that enters through {@link linear} or
 * {@link elementwise} (together with the bias of that call) is *itemized*. The engine adds a probe
 * to the helper's output z, so the gradient that reaches z from each loss t separately gives
 * that parameter's itemized gradient G_{t,j} at every step j, for any cell, without
 * cell-specific engine code. These parameters are the ones a {@link BatchRecord} holds and the
 * viewer shows. A parameter read with {@link param} is trained like any other, but not itemized.
 *
 * Rules the engine enforces (a break throws a {@link CellShapeError}; for a plugin cell this
 * happens when it is registered, as a {@link PluginError}):
 * - every parameter the cell declares is used, and only declared ones;
 * - each parameter (weight or bias) goes through at most one helper call per step, because the
 *   engine derives its itemized gradient from that one call's z and input (dL_t/dz ⊗ input);
 * - rows are independent sequences: no mean, sum or other mixing across rows;
 * - the new state is built with tfjs ops only (`dataSync()`, `arraySync()` or `tf.tensor(...)`
 *   inside the step cut the gradient).
 *
 * @example A GRU-style gate, itemized per parameter
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import type { CellContext } from 'rnnbow';
 *
 * // z = sigmoid(x W_izᵀ + b_iz + h W_hzᵀ + b_hz), both matrices itemized with their biases
 * function updateGate(ctx: CellContext, x: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
 *   return tf.sigmoid(tf.add<tf.Tensor2D>(ctx.linear('weight_iz', x, 'bias_iz'), ctx.linear('weight_hz', h, 'bias_hz')));
 * }
 * ```
 *
 * @category Cell plugins
 */
export interface CellContext {
  /**
   * `input @ weightᵀ (+ bias)`, itemized: `input` is `[rows, in]`, the parameter `weight` is
   * `[out, in]` (PyTorch's `nn.Linear` layout), the optional `bias` is `[out]`; the result is
   * `[rows, out]`. Each parameter may enter through at most one helper call per step. A gated
   * weight (one declaring {@link ParamSpec.gates}) is used once for all its gates, its output
   * then split with `tf.split(z, gates, 1)`.
   *
   * @throws {@link CellShapeError} when `weight` is not `[out, in]`, `bias` is not `[out]`, a name
   * is not declared, or a parameter was already used this step.
   */
  linear(weight: string, input: tf.Tensor2D, bias?: string): tf.Tensor2D;
  /**
   * `input ⊙ scale (+ bias)`, itemized: `input` is `[rows, size]`, `scale` (and the optional
   * `bias`) a `[size]` parameter; the result is `[rows, size]`. For per-unit weights such as
   * IndRNN's recurrent vector or LSTM peepholes.
   *
   * @throws {@link CellShapeError} on a shape mismatch, an undeclared name, or a second use.
   */
  elementwise(scale: string, input: tf.Tensor2D, bias?: string): tf.Tensor2D;
  /**
   * A parameter as a plain tensor, in its declared shape, for any use the helpers do not cover.
   * It is trained (autodiff reaches it) but not itemized, and it is absent from records.
   *
   * @throws {@link CellShapeError} when `name` is not declared.
   */
  param(name: string): tf.Tensor;
}

/**
 * Sizes a cell is built for, passed to {@link CellDefinition.params} and
 * {@link CellDefinition.kernel}.
 *
 * @category Cell plugins
 */
export interface CellDims {
  /** Vocabulary size: inputs are one-hot vectors of this length. */
  readonly inputSize: number;
  /** Hidden size H: the width of every state component. */
  readonly hiddenSize: number;
}

/**
 * A recurrent cell: one step `s_j = f(x_j, s_{j-1}; θ)` written as tfjs ops. That definition is
 * the reference path: autodiff, the itemizing engine and the conformance suite all run from it.
 * A cell may add a fused {@link GradientEngine} for speed; it must agree with `step`.
 *
 * rnnbow adds the output head ({@link HEAD_WEIGHT}, {@link HEAD_BIAS}) on the first state
 * component, the softmax and the cross-entropy loss; a cell is only the recurrence. Register it
 * with {@link definePlugin}; check it with {@link assertCellConformance}. The built-ins are
 * {@link vanillaCell}, {@link lstmCell} and {@link gruCell}; docs/plugins.md writes one step by
 * step.
 *
 * @example An IndRNN cell
 * ```ts
 * // h' = tanh(W x + b_ih + u ⊙ h + b_hh): the recurrent weight u is a vector, one per unit
 * import * as tf from '@tensorflow/tfjs';
 * import type { CellDefinition } from 'rnnbow';
 *
 * export const indrnnCell: CellDefinition = {
 *   name: 'indrnn',
 *   description: 'IndRNN: a recurrent weight per hidden unit',
 *   state: ['h'],
 *   params: ({ inputSize, hiddenSize }) => [
 *     { name: 'weight_ih', shape: [hiddenSize, inputSize] },
 *     { name: 'weight_hh', shape: [hiddenSize] },
 *     { name: 'bias_ih', shape: [hiddenSize], init: 'zeros' },
 *     { name: 'bias_hh', shape: [hiddenSize], init: 'zeros' },
 *   ],
 *   step: (ctx, x, [h]) => [
 *     tf.tanh(tf.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.elementwise('weight_hh', h, 'bias_hh'))) as tf.Tensor2D,
 *   ],
 * };
 * ```
 *
 * @category Cell plugins
 */
export interface CellDefinition {
  /**
   * Name used in configs, checkpoints and `--cell` (e.g. `rnn`, `lstm`, `gru`). Shared with the
   * built-ins and every loaded plugin: registering a taken name throws a {@link PluginError}.
   */
  readonly name: string;
  /** One line for `--help` and error messages. */
  readonly description: string;
  /**
   * Names of the state components (at least one); the first is the hidden output `h` fed to the
   * output head, each is `[rows, hiddenSize]` (LSTM: `['h', 'c']`). Every component starts at
   * zero, is carried from batch to batch along each stream, and carries its own cotangent in
   * the itemization.
   */
  readonly state: readonly string[];
  /**
   * Parameters of the recurrent part, for these sizes. Names are checkpoint keys, so follow
   * PyTorch's (`weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`) and its gate row order where there
   * is an equivalent; a parameter named `weight_hh` is the one the overview summarises (see
   * {@link BatchRecord.primary}). The output head's names are reserved.
   */
  params(dims: CellDims): ParamSpec[];
  /**
   * One step over `rows` independent rows (sequences): `x` is one-hot `[rows, inputSize]`,
   * `state[i]` is `[rows, hiddenSize]` in the order of {@link CellDefinition.state}. Returns the new state, same
   * order and shapes. Parameters come only through `ctx` (see {@link CellContext} for why and for
   * the rules). `rows` varies between calls (the batch size B in training, other counts when
   * sampling and in the load-time probe), so never fix it.
   */
  step(ctx: CellContext, x: tf.Tensor2D, state: tf.Tensor2D[]): tf.Tensor2D[];
  /**
   * Optional fused implementation for speed, used when the engine preference is `auto` or
   * `fused` (see {@link EnginePreference}); `tfjs` ignores it. It must compute what {@link step}
   * defines: the conformance suite's `kernel` check compares the two.
   */
  kernel?(dims: CellDims): GradientEngine;
}
