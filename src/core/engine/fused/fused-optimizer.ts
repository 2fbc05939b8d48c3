import type { ParamStore } from '../../params.js';
import type { ClippingOptimizer, OptimizerKind, OptimizerState } from '../../../train/optimizer.js';
import { RnnbowError } from '../../errors.js';
import type { FusedOps } from './ops.js';
import { type FusedBackend, selectOps } from './select-ops.js';

/**
 * Adagrad or Adam with the same formulas as src/train/optimizer.ts, run as one SIMD kernel over
 * all parameters at once. At the paper's sizes the scalar JavaScript update (a square root and a
 * division per parameter) costs more than the fused training step itself; this does it in a
 * fraction. Parameters and gradients are copied into kernel memory, updated, and copied back, so
 * the caller's arrays stay the source of truth; moments live in kernel memory.
 */
export class FusedOptimizer implements ClippingOptimizer {
  private readonly ops: FusedOps;
  private readonly names: string[];
  private readonly offsets: number[];
  private readonly total: number;
  private readonly p: number;
  private readonly g: number;
  private readonly m1: number;
  private readonly m2: number;
  private steps = 0;

  /**
   * @param kind which update rule
   * @param params the parameters it will update (names and sizes are fixed from here on)
   * @param lr learning rate
   * @param backend kernel implementation (default `auto`: the fastest WebAssembly build that loads, else JavaScript)
   * @param beta1 Adam's first-moment decay
   * @param beta2 Adam's second-moment decay
   */
  constructor(
    private readonly kind: OptimizerKind,
    params: ParamStore,
    private readonly lr: number,
    backend: FusedBackend = 'auto',
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
  ) {
    this.ops = selectOps(backend);
    this.names = Object.keys(params);
    let total = 0;
    this.offsets = this.names.map((n) => {
      const at = total;
      total += params[n].data.length;
      return at;
    });
    this.total = total;
    const base = (this.ops.memory.base + 3) & ~3;
    const stride = (total + 3) & ~3;
    [this.p, this.g, this.m1, this.m2] = [0, 1, 2, 3].map((i) => base + i * stride);
    this.ops.memory.ensure(this.m2 + stride);
    this.ops.memory.f32.fill(0, this.m1, this.m1 + 2 * stride);
  }

  /** One update of `params` in place from `grads`. */
  update(params: ParamStore, grads: ParamStore): void {
    this.copyIn(params, grads);
    this.apply(1);
    this.copyOut(params);
  }

  /**
   * Scales the gradients to a global L2 norm of at most `maxNorm` (PyTorch's clip_grad_norm_,
   * like `clipByGlobalNorm`), then one update of `params` in place; returns the norm before
   * clipping. Both happen on the copy in kernel memory: `grads` itself is left as it was. At
   * the paper's sizes the JavaScript norm and scaling loops cost as much as the training step.
   */
  clipAndUpdate(params: ParamStore, grads: ParamStore | null, maxNorm: number): number {
    if (!grads) throw new RnnbowError('INPUT', 'optimizer: FusedOptimizer needs the gradients; only an engine\'s own optimizer (createOptimizer) reads them from the engine');
    this.copyIn(params, grads);
    const norm = Math.sqrt(this.ops.sumSquares(this.total, this.g));
    this.apply(norm > maxNorm && Number.isFinite(norm) ? maxNorm / norm : 1);
    this.copyOut(params);
    return norm;
  }

  private copyIn(params: ParamStore, grads: ParamStore): void {
    const f = this.ops.memory.f32;
    this.names.forEach((name, i) => {
      const p = params[name];
      const g = grads[name];
      if (!p || !g) throw new RnnbowError('INPUT', `optimizer: parameter "${name}" is missing from the update`);
      f.set(p.data, this.p + this.offsets[i]);
      f.set(g.data, this.g + this.offsets[i]);
    });
  }

  /** One step of the rule on the gradient times `clip`. */
  private apply(clip: number): void {
    this.steps++;
    if (this.kind === 'adagrad') this.ops.adagrad(this.total, this.p, this.g, this.m1, this.lr, 1e-8, clip);
    else {
      const c1 = 1 - Math.pow(this.beta1, this.steps);
      const c2 = 1 - Math.pow(this.beta2, this.steps);
      this.ops.adam(this.total, this.p, this.g, this.m1, this.m2, this.lr, this.beta1, this.beta2, c1, c2, 1e-8, clip);
    }
  }

  private copyOut(params: ParamStore): void {
    const f = this.ops.memory.f32;
    this.names.forEach((name, i) => params[name].data.set(f.subarray(this.p + this.offsets[i], this.p + this.offsets[i] + params[name].data.length)));
  }

  /** Moments and step count, in the same form as src/train/optimizer.ts saves them. */
  save(): OptimizerState {
    const f = this.ops.memory.f32;
    const moment = (at: number) =>
      Object.fromEntries(this.names.map((n, i) => [n, Array.from(f.subarray(at + this.offsets[i], at + (this.offsets[i + 1] ?? this.total)))]));
    const moments: OptimizerState['moments'] = this.kind === 'adagrad' ? { mem: moment(this.m1) } : { m: moment(this.m1), v: moment(this.m2) };
    return { name: this.kind, step: this.steps, moments };
  }

  /** Restores what {@link FusedOptimizer.save} (or the scalar optimizer of the same kind) saved. */
  load(state: OptimizerState): void {
    this.steps = state.step;
    const f = this.ops.memory.f32;
    const keys = this.kind === 'adagrad' ? [['mem', this.m1]] : [['m', this.m1], ['v', this.m2]];
    for (const [key, at] of keys as [string, number][]) {
      this.names.forEach((n, i) => {
        const values = state.moments[key]?.[n];
        const size = (this.offsets[i + 1] ?? this.total) - this.offsets[i];
        if (values && values.length === size) f.set(values, at + this.offsets[i]);
      });
    }
  }
}
