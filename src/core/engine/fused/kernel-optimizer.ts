import type { ParamStore } from '../../params.js';
import { zerosLike } from '../../params.js';
import type { ClippingOptimizer, OptimizerKind, OptimizerState } from '../../../train/optimizer.js';
import { RnnbowError } from '../../errors.js';
import type { FusedOps } from './ops.js';

/** Regions of kernel memory of equal size and order: parameters, gradient, moments. */
export interface OptimizerRegions {
  /** Values per region (pad values and derived ones included: their gradient is zero). */
  readonly count: number;
  /** Start of the parameters. */
  readonly params: number;
  /** Start of the gradient. */
  readonly grads: number;
  /** Start of each moment region (one for Adagrad, two for Adam). */
  readonly moments: readonly number[];
}

/** Where a {@link KernelOptimizer}'s regions live, and how named arrays get in and out. */
export interface OptimizerHost {
  /** The kernels and their memory. */
  readonly ops: FusedOps;
  /** Where the regions are now. */
  regions(): OptimizerRegions;
  /**
   * Takes the gradient a fused engine's last `train` kept in memory for `params` (the
   * parameter region then holds `params` as they were at that `train`); throws a typed error
   * when none is waiting, or when this host never keeps one.
   */
  takeGradient(params: ParamStore): void;
  /** Copies named arrays into a region. */
  write(region: number, src: ParamStore): void;
  /** Copies a region out into named arrays. */
  read(region: number, out: ParamStore): void;
  /**
   * Called after an update: a fused engine rewrites the parameter region from the store at its
   * next batch, and no gradient is waiting any more.
   */
  parametersChanged(): void;
}

/**
 * Adagrad or Adam with the formulas of src/train/optimizer.ts, run by one kernel over regions
 * of kernel memory (parameters, gradient, moments; see {@link OptimizerHost}), with clipping
 * in the same pass. Two hosts: the standalone `FusedOptimizer` copies parameters and gradients
 * into memory of its own; `FusedEngine.createOptimizer` uses the engine's regions, where the
 * gradient of the engine's last `train` is read in place and only the updated parameters are
 * copied out (5-9% of a vanilla batch at the paper's sizes). The checkpoint state has the form
 * of src/train/optimizer.ts either way.
 */
export class KernelOptimizer implements ClippingOptimizer {
  private readonly names: string[];
  /** Zeros of every parameter's shape: the form moments are saved in. */
  private readonly template: ParamStore;
  private steps = 0;

  /**
   * @param kind update rule
   * @param params the parameters it updates (names fixed from here on)
   * @param lr learning rate
   * @param host the engine's side
   * @param beta1 Adam's first-moment decay
   * @param beta2 Adam's second-moment decay
   */
  constructor(
    private readonly kind: OptimizerKind,
    params: ParamStore,
    private readonly lr: number,
    private readonly host: OptimizerHost,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
  ) {
    this.names = Object.keys(params);
    this.template = zerosLike(params);
  }

  /** One update of `params` from `grads`, or from a fused engine's kept gradient when `grads` is null. */
  update(params: ParamStore, grads: ParamStore | null): void {
    this.prepare(params, grads);
    this.apply(params, 1);
  }

  /** {@inheritDoc ClippingOptimizer.clipAndUpdate} */
  clipAndUpdate(params: ParamStore, grads: ParamStore | null, maxNorm: number): number {
    const r = this.prepare(params, grads);
    const norm = Math.sqrt(this.host.ops.sumSquares(r.count, r.grads));
    this.apply(params, norm > maxNorm && Number.isFinite(norm) ? maxNorm / norm : 1);
    return norm;
  }

  /** Puts parameters and gradient in their regions unless a fused engine already holds them. */
  private prepare(params: ParamStore, grads: ParamStore | null): OptimizerRegions {
    const r = this.host.regions();
    if (!grads) {
      this.host.takeGradient(params);
      return r;
    }
    for (const name of this.names) {
      if (!params[name] || !grads[name]) throw new RnnbowError('INPUT', `optimizer: parameter "${name}" is missing from the update`);
    }
    this.host.write(r.params, params);
    this.host.write(r.grads, grads);
    return r;
  }

  /** One step of the rule on the gradient times `clip`, then the parameters out. */
  private apply(params: ParamStore, clip: number): void {
    const { ops } = this.host;
    const r = this.host.regions();
    this.steps++;
    if (this.kind === 'adagrad') ops.adagrad(r.count, r.params, r.grads, r.moments[0], this.lr, 1e-8, clip);
    else {
      const c1 = 1 - Math.pow(this.beta1, this.steps);
      const c2 = 1 - Math.pow(this.beta2, this.steps);
      ops.adam(r.count, r.params, r.grads, r.moments[0], r.moments[1], this.lr, this.beta1, this.beta2, c1, c2, 1e-8, clip);
    }
    this.host.parametersChanged();
    this.host.read(r.params, params);
  }

  /** Moments and step count, in the form src/train/optimizer.ts saves them. */
  save(): OptimizerState {
    const r = this.host.regions();
    const moments: OptimizerState['moments'] = {};
    this.momentKeys().forEach((key, i) => {
      const store = this.emptyStore();
      this.host.read(r.moments[i], store);
      moments[key] = Object.fromEntries(Object.entries(store).map(([n, p]) => [n, Array.from(p.data)]));
    });
    return { name: this.kind, step: this.steps, moments };
  }

  /** Restores what {@link KernelOptimizer.save} (or the scalar optimizer of the same kind) saved. */
  load(state: OptimizerState): void {
    this.steps = state.step;
    const r = this.host.regions();
    this.momentKeys().forEach((key, i) => {
      const store = this.emptyStore();
      // Parts missing from the state, or of another size, stay as they are.
      this.host.read(r.moments[i], store);
      for (const [name, p] of Object.entries(store)) {
        const values = state.moments[key]?.[name];
        if (values && values.length === p.data.length) p.data.set(values);
      }
      this.host.write(r.moments[i], store);
    });
  }

  /** The names src/train/optimizer.ts saves the moment regions under, in region order. */
  private momentKeys(): string[] {
    return this.kind === 'adagrad' ? ['mem'] : ['m', 'v'];
  }

  /** Zeroed arrays of every parameter's size (the host reads regions into them). */
  private emptyStore(): ParamStore {
    return zerosLike(this.template);
  }
}
