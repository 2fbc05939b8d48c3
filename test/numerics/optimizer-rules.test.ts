import { describe, expect, it } from 'vitest';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import type { Batch, State } from '../../src/core/engine.js';
import type { FusedCell } from '../../src/core/engine/fused/fused-cell.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import { FusedOptimizer } from '../../src/core/engine/fused/fused-optimizer.js';
import { fusedLstm } from '../../src/core/engine/fused/lstm-cell.js';
import { fusedRnn } from '../../src/core/engine/fused/rnn-cell.js';
import { initParams } from '../../src/core/model.js';
import { cloneParams, type ParamStore, zerosLike } from '../../src/core/params.js';
import { SeededRandom } from '../../src/core/random.js';
import { clipByGlobalNorm } from '../../src/train/clip.js';
import { createOptimizer, type OptimizerKind, type OptimizerState } from '../../src/train/optimizer.js';
import { scaledError } from './reference-model.js';

/**
 * The update rules and clipping every optimizer path applies, against float64 loops written
 * from the published formulas, not from src/train/optimizer.ts:
 * - Adagrad (min-char-rnn): mem += g², θ -= lr g / √(mem + 1e-8);
 * - Adam (Kingma & Ba, β₁ = 0.9, β₂ = 0.999, ε = 1e-8): m = β₁m + (1-β₁)g, v = β₂v + (1-β₂)g²,
 *   θ -= lr m̂ / (√v̂ + ε) with m̂ = m/(1-β₁ᵗ), v̂ = v/(1-β₂ᵗ);
 * - clipping to a global L2 norm (PyTorch's clip_grad_norm_, whose 1e-6 in the denominator
 *   rnnbow leaves out): g ← g · maxNorm/‖g‖ when ‖g‖ > maxNorm, the norm before clipping returned.
 * Paths: the scalar optimizers (src/train/optimizer.ts) with clipByGlobalNorm, the standalone
 * FusedOptimizer on every kernel build, and the fused engine's own optimizer fed the gradient a
 * train() left in kernel memory (what the trainer runs), at B = 1, 3 and a B = 9 split on two
 * threads. SGD: rnnbow has none (the config accepts adagrad and adam only).
 *
 * Tolerance: every path gets the same float32 gradient as the float64 loop, so they differ only
 * by float32 rounding in the update (relative ~1e-7 per operation) and in the norm. After five
 * steps parameters agree to 1e-5 of their scale and norms to 1e-6. Moments are held to 2e-6 of
 * their scale: they are a few float32 multiply-adds per step (measured ≤ 2.4e-7 where rnnbow
 * rounds only the operations), so 2e-6 leaves a factor 8 and still catches a decay constant that
 * is itself off in its fifth digit. A wrong rule (a missing bias correction, ε inside the root,
 * clipping by the wrong factor) is off by percent.
 */

const BETA1 = 0.9;
const BETA2 = 0.999;

/** The float64 optimizer of the formulas above. */
class Reference64 {
  readonly params: Record<string, Float64Array>;
  readonly moments: Record<string, Record<string, Float64Array>>;
  private step = 0;

  constructor(
    private readonly kind: OptimizerKind,
    start: ParamStore,
    private readonly lr: number,
  ) {
    this.params = Object.fromEntries(Object.entries(start).map(([n, p]) => [n, Float64Array.from(p.data)]));
    const zeros = () => Object.fromEntries(Object.entries(start).map(([n, p]) => [n, new Float64Array(p.data.length)]));
    this.moments = kind === 'adagrad' ? { mem: zeros() } : { m: zeros(), v: zeros() };
  }

  /** One clipped update from `grads`; returns the norm before clipping. */
  clipAndUpdate(grads: ParamStore, maxNorm: number): number {
    let sq = 0;
    for (const g of Object.values(grads)) for (const v of g.data) sq += v * v;
    const norm = Math.sqrt(sq);
    const scale = norm > maxNorm ? maxNorm / norm : 1;
    this.step++;
    for (const [name, theta] of Object.entries(this.params)) {
      const g = grads[name].data;
      for (let i = 0; i < theta.length; i++) {
        const gi = g[i] * scale;
        if (this.kind === 'adagrad') {
          const mem = this.moments.mem[name];
          mem[i] += gi * gi;
          theta[i] -= (this.lr * gi) / Math.sqrt(mem[i] + 1e-8);
        } else {
          const m = this.moments.m[name];
          const v = this.moments.v[name];
          m[i] = BETA1 * m[i] + (1 - BETA1) * gi;
          v[i] = BETA2 * v[i] + (1 - BETA2) * gi * gi;
          const mHat = m[i] / (1 - BETA1 ** this.step);
          const vHat = v[i] / (1 - BETA2 ** this.step);
          theta[i] -= (this.lr * mHat) / (Math.sqrt(vHat) + 1e-8);
        }
      }
    }
    return norm;
  }
}

function expectParams(got: ParamStore, ref: Reference64, what: string): void {
  for (const [name, theta] of Object.entries(ref.params)) expect(scaledError(got[name].data, theta), `${what}: ${name}`).toBeLessThan(1e-5);
}

/** The saved moments (Adagrad `mem`, Adam `m`, `v`) against the float64 ones; see the tolerance above. */
function expectMoments(saved: OptimizerState, ref: Reference64, what: string): void {
  expect(Object.keys(saved.moments).sort(), what).toEqual(Object.keys(ref.moments).sort());
  for (const [key, store] of Object.entries(ref.moments)) {
    for (const [name, m] of Object.entries(store)) expect(scaledError(saved.moments[key][name], m), `${what}: moment ${key} of ${name}`).toBeLessThan(2e-6);
  }
}

/** Random gradients of mixed sizes: some entries exactly zero (unused tokens), some tiny, most O(scale). */
function randomGradients(like: ParamStore, rng: SeededRandom, scale: number): ParamStore {
  const g = zerosLike(like);
  for (const p of Object.values(g)) {
    for (let i = 0; i < p.data.length; i++) {
      const r = rng.uniform(0, 1);
      p.data[i] = r < 0.1 ? 0 : r < 0.2 ? rng.uniform(-1e-5, 1e-5) : rng.uniform(-scale, scale);
    }
  }
  return g;
}

const KINDS: OptimizerKind[] = ['adagrad', 'adam'];
/** Gradient scales and clip norms: clipped, not clipped, clipped again. */
const SCHEDULE: [number, number][] = [[2, 1], [0.01, 5], [0.5, 0.3], [0.01, 5], [3, 2]];

describe('optimizers against the float64 update rules', () => {
  for (const kind of KINDS) {
    it(`${kind}: the scalar optimizer after clipByGlobalNorm`, () => {
      const rng = new SeededRandom(3);
      const start = initParams(lstmCell, { inputSize: 7, hiddenSize: 5 }, rng);
      const params = cloneParams(start);
      const scalar = createOptimizer(kind, params, 0.05);
      const ref = new Reference64(kind, start, 0.05);
      let clipped = 0;
      for (const [scale, clip] of SCHEDULE) {
        const grads = randomGradients(start, rng, scale);
        const want = ref.clipAndUpdate(grads, clip);
        const norm = clipByGlobalNorm(grads, clip);
        expect(Math.abs(norm - want) / want).toBeLessThan(1e-6);
        if (norm > clip) clipped++;
        scalar.update(params, grads);
        expectParams(params, ref, `${kind} scalar`);
      }
      expect(clipped).toBeGreaterThanOrEqual(2);
      expectMoments(scalar.save(), ref, `${kind} scalar`);
    });

    for (const backend of ['js', 'wasm-simd', 'wasm-fma'] as const) {
      it(`${kind}: FusedOptimizer (${backend}) clipAndUpdate`, () => {
        const rng = new SeededRandom(4);
        const start = initParams(lstmCell, { inputSize: 7, hiddenSize: 5 }, rng);
        const params = cloneParams(start);
        const fused = new FusedOptimizer(kind, params, 0.05, backend);
        const ref = new Reference64(kind, start, 0.05);
        for (const [scale, clip] of SCHEDULE) {
          const grads = randomGradients(start, rng, scale);
          const want = ref.clipAndUpdate(grads, clip);
          const norm = fused.clipAndUpdate(params, grads, clip);
          expect(Math.abs(norm - want) / want, `${kind} ${backend} norm`).toBeLessThan(1e-6);
          expectParams(params, ref, `${kind} ${backend}`);
        }
        const saved = fused.save();
        expect(saved.step).toBe(SCHEDULE.length);
        expectMoments(saved, ref, `${kind} ${backend}`);
      });
    }
  }

  const CELLS: [CellDefinition, FusedCell][] = [
    [vanillaCell, fusedRnn],
    [lstmCell, fusedLstm],
  ];
  for (const [cell, fused] of CELLS) {
    for (const kind of KINDS) {
      it(`${cell.name} ${kind}: the fused engine's own optimizer on the gradient train() kept, at B = 1, 3 and 9 (split on two threads)`, () => {
        const dims = { inputSize: 9, hiddenSize: 7 };
        const rng = new SeededRandom(12);
        const start = initParams(cell, dims, rng);
        const params = cloneParams(start);
        // `owning` keeps its gradient in kernel memory; `twin` (same kernels, same threads) hands
        // the same gradient out in a store for the float64 rule.
        const owning = new FusedEngine(fused, dims, { backend: 'wasm', threads: 2 });
        const twin = new FusedEngine(fused, dims, { backend: 'wasm', threads: 2 });
        const optimizer = owning.createOptimizer(kind, params, 0.05);
        const ref = new Reference64(kind, start, 0.05);
        const steps: [number, number][] = [[1, 0.1], [3, 50], [9, 0.1], [9, 50], [1, 50]];
        let clipped = 0;
        for (const [B, clip] of steps) {
          const batch: Batch = {
            batchSize: B,
            length: 5,
            inputs: Int32Array.from({ length: B * 5 }, () => rng.int(dims.inputSize)),
            targets: Int32Array.from({ length: B * 5 }, () => rng.int(dims.inputSize)),
          };
          const state: State = cell.state.map(() => Float32Array.from({ length: B * dims.hiddenSize }, () => rng.uniform(-0.5, 0.5)));
          // The twin reads the parameters as they are now, before the update (a copy: the optimizer writes `params`).
          const grads = zerosLike(start);
          twin.train(cloneParams(params), batch, state, grads);
          owning.train(params, batch, state, null);
          const norm = optimizer.clipAndUpdate(params, null, clip);
          const want = ref.clipAndUpdate(grads, clip);
          if (want > clip) clipped++;
          expect(Math.abs(norm - want) / want, `B=${B} norm`).toBeLessThan(1e-6);
          expectParams(params, ref, `${cell.name} ${kind} B=${B} clip=${clip}`);
        }
        expect(clipped).toBeGreaterThanOrEqual(1);
        expect(owning.liveWorkers).toBeGreaterThan(0);
        expectMoments(optimizer.save(), ref, `${cell.name} ${kind} in the engine`);
        owning.dispose();
        twin.dispose();
      });
    }
  }
});
