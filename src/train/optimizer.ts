import type { ParamStore } from '../core/params.js';
import { zerosLike } from '../core/params.js';

/**
 * The update rules rnnbow implements.
 *
 * @category Training
 */
export type OptimizerKind = 'adagrad' | 'adam';

/**
 * Serializable optimizer state (moment arrays by parameter name), kept in checkpoints for `--resume`.
 *
 * @category Training
 */
export interface OptimizerState {
  /** Optimizer name. */
  name: OptimizerKind;
  /** Updates applied so far. */
  step: number;
  /** Moment arrays: Adagrad `{mem}`, Adam `{m, v}`, each by parameter name. */
  moments: Record<string, Record<string, number[]>>;
}

/**
 * Updates parameters in place from gradients.
 *
 * @category Training
 */
export interface Optimizer {
  /** Applies one update. */
  update(params: ParamStore, grads: ParamStore): void;
  /** Current state for a checkpoint. */
  save(): OptimizerState;
  /** Restores state saved by {@link Optimizer.save}. */
  load(state: OptimizerState): void;
}

/**
 * An optimizer that also clips: what the trainer runs.
 *
 * @category Training
 */
export interface ClippingOptimizer extends Optimizer {
  /**
   * Scales the gradient to a global L2 norm of at most `maxNorm` (PyTorch's clip_grad_norm_),
   * then applies one update; returns the norm before clipping. `grads` is left as it was.
   * `null` means the gradient the engine's last `train` kept in its memory: only an optimizer
   * made by the engine (`GradientEngine.createOptimizer`) accepts it.
   */
  clipAndUpdate(params: ParamStore, grads: ParamStore | null, maxNorm: number): number;
}

function saveMoments(moments: Record<string, ParamStore>): OptimizerState['moments'] {
  return Object.fromEntries(
    Object.entries(moments).map(([k, store]) => [k, Object.fromEntries(Object.entries(store).map(([n, p]) => [n, Array.from(p.data)]))]),
  );
}

function loadMoments(target: Record<string, ParamStore>, saved: OptimizerState['moments']): void {
  for (const [k, store] of Object.entries(target)) {
    for (const [n, p] of Object.entries(store)) {
      const values = saved[k]?.[n];
      if (values && values.length === p.data.length) p.data.set(values);
    }
  }
}

/** Adagrad as in min-char-rnn: mem += g², θ -= lr·g/√(mem + 1e-8). */
export class Adagrad implements Optimizer {
  private readonly mem: ParamStore;
  private steps = 0;
  constructor(
    params: ParamStore,
    private readonly lr: number,
  ) {
    this.mem = zerosLike(params);
  }
  update(params: ParamStore, grads: ParamStore): void {
    for (const [name, p] of Object.entries(params)) {
      const g = grads[name].data;
      const m = this.mem[name].data;
      const d = p.data;
      for (let i = 0; i < d.length; i++) {
        m[i] += g[i] * g[i];
        d[i] -= (this.lr * g[i]) / Math.sqrt(m[i] + 1e-8);
      }
    }
    this.steps++;
  }
  save(): OptimizerState {
    return { name: 'adagrad', step: this.steps, moments: saveMoments({ mem: this.mem }) };
  }
  load(state: OptimizerState): void {
    this.steps = state.step;
    loadMoments({ mem: this.mem }, state.moments);
  }
}

/** Adam (Kingma & Ba) with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8. */
export class Adam implements Optimizer {
  private readonly m: ParamStore;
  private readonly v: ParamStore;
  private steps = 0;
  constructor(
    params: ParamStore,
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly eps = 1e-8,
  ) {
    this.m = zerosLike(params);
    this.v = zerosLike(params);
  }
  update(params: ParamStore, grads: ParamStore): void {
    this.steps++;
    const c1 = 1 - Math.pow(this.beta1, this.steps);
    const c2 = 1 - Math.pow(this.beta2, this.steps);
    const { beta1: b1, beta2: b2 } = this;
    for (const [name, p] of Object.entries(params)) {
      const g = grads[name].data;
      const m = this.m[name].data;
      const v = this.v[name].data;
      const d = p.data;
      for (let i = 0; i < d.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        d[i] -= (this.lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + this.eps);
      }
    }
  }
  save(): OptimizerState {
    return { name: 'adam', step: this.steps, moments: saveMoments({ m: this.m, v: this.v }) };
  }
  load(state: OptimizerState): void {
    this.steps = state.step;
    loadMoments({ m: this.m, v: this.v }, state.moments);
  }
}

/** Builds the named optimizer. */
export function createOptimizer(name: OptimizerKind, params: ParamStore, lr: number): Optimizer {
  return name === 'adam' ? new Adam(params, lr) : new Adagrad(params, lr);
}
