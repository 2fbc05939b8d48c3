import type { ParamStore } from '../../params.js';
import type { OptimizerKind } from '../../../train/optimizer.js';
import { RnnbowError } from '../../errors.js';
import { KernelOptimizer, type OptimizerHost } from './kernel-optimizer.js';
import { type FusedBackend, selectOps } from './select-ops.js';

/**
 * Adagrad or Adam with the same formulas as src/train/optimizer.ts, run as one SIMD kernel over
 * all parameters at once. At the paper's sizes the scalar JavaScript update (a square root and a
 * division per parameter) costs more than the fused training step itself; this does it in a
 * fraction. Parameters and gradients are copied into a kernel memory of its own, updated, and
 * the parameters copied back, so the caller's arrays stay the source of truth; moments live in
 * kernel memory. `clipAndUpdate` clips on that copy: `grads` itself is left as it was. For an
 * engine with an optimizer of its own (`GradientEngine.createOptimizer`), use that one: it
 * skips the copies.
 */
export class FusedOptimizer extends KernelOptimizer {
  /**
   * @param kind which update rule
   * @param params the parameters it will update (names and sizes are fixed from here on)
   * @param lr learning rate
   * @param backend kernel implementation (default `auto`: the fastest WebAssembly build that loads, else JavaScript)
   * @param beta1 Adam's first-moment decay
   * @param beta2 Adam's second-moment decay
   */
  constructor(kind: OptimizerKind, params: ParamStore, lr: number, backend: FusedBackend = 'auto', beta1 = 0.9, beta2 = 0.999) {
    super(kind, params, lr, flatHost(params, backend), beta1, beta2);
  }
}

/**
 * Parameters, gradient and two moment regions side by side in a fresh kernel memory, each the
 * named arrays one after the other (in the order of `params`' keys), with no pads.
 */
function flatHost(params: ParamStore, backend: FusedBackend): OptimizerHost {
  const ops = selectOps(backend);
  const names = Object.keys(params);
  const offsets: number[] = [];
  let total = 0;
  for (const name of names) {
    offsets.push(total);
    total += params[name].data.length;
  }
  const base = (ops.memory.base + 3) & ~3;
  const stride = (total + 3) & ~3;
  const [p, g, m1, m2] = [0, 1, 2, 3].map((i) => base + i * stride);
  ops.memory.ensure(m2 + stride);
  ops.memory.f32.fill(0, m1, m1 + 2 * stride);
  return {
    ops,
    regions: () => ({ count: total, params: p, grads: g, moments: [m1, m2] }),
    takeGradient: () => {
      throw new RnnbowError('INPUT', "optimizer: FusedOptimizer needs the gradients; only an engine's own optimizer (createOptimizer) reads them from the engine");
    },
    write: (region, src) => names.forEach((name, i) => ops.memory.f32.set(src[name].data, region + offsets[i])),
    read: (region, out) =>
      names.forEach((name, i) => out[name].data.set(ops.memory.f32.subarray(region + offsets[i], region + offsets[i] + out[name].data.length))),
    parametersChanged: () => {},
  };
}
