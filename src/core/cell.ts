import type * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from './params.js';
import type { GradientEngine } from './engine.js';

/**
 * What a cell's step may use besides plain tensor ops. Parameters that enter through these
 * helpers are *itemized*: the engine records, per loss source, the gradient that reaches them at
 * every step, without any cell-specific engine code.
 */
export interface CellContext {
  /**
   * `input @ weightᵀ (+ bias)`: `input` is `[rows, in]`, the parameter `weight` is `[out, in]`,
   * the optional `bias` is `[out]`. Each parameter may enter through at most one helper call
   * per step.
   */
  linear(weight: string, input: tf.Tensor2D, bias?: string): tf.Tensor2D;
  /** `input * scale (+ bias)` elementwise, with `scale` (and `bias`) a `[size]` parameter (IndRNN, peepholes). */
  elementwise(scale: string, input: tf.Tensor2D, bias?: string): tf.Tensor2D;
  /** A parameter used in any other way: differentiated for training, but not itemized. */
  param(name: string): tf.Tensor;
}

/** Sizes a cell is built for. */
export interface CellDims {
  /** Vocabulary size: inputs are one-hot vectors of this length. */
  readonly inputSize: number;
  /** Hidden size H. */
  readonly hiddenSize: number;
}

/**
 * A recurrent cell: one step `s_j = f(x_j, s_{j-1}; θ)` written as tfjs ops. That definition is
 * the reference path: autodiff, the itemizing engine and the conformance suite all run from it.
 * A cell may add a fused {@link GradientEngine} for speed; it must agree with `step`.
 */
export interface CellDefinition {
  /** Name used in configs, checkpoints and `--cell` (e.g. `rnn`, `lstm`, `gru`). */
  readonly name: string;
  /** One line for `--help` and error messages. */
  readonly description: string;
  /**
   * Names of the state components; the first is the hidden output `h` fed to the output head,
   * each is `[rows, hiddenSize]` (LSTM: `['h', 'c']`).
   */
  readonly state: readonly string[];
  /** Parameters of the recurrent part, PyTorch names and gate row order. */
  params(dims: CellDims): ParamSpec[];
  /**
   * One step over `rows` independent rows: `x` is one-hot `[rows, inputSize]`, `state[i]` is
   * `[rows, hiddenSize]`. Returns the new state, same order and shapes.
   */
  step(ctx: CellContext, x: tf.Tensor2D, state: tf.Tensor2D[]): tf.Tensor2D[];
  /** Optional fused implementation, used when the engine is `auto` or `fused`. */
  kernel?(dims: CellDims): GradientEngine;
}
