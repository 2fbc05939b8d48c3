import { describe, expect, it } from 'vitest';
import { lstmCell } from '../../src/cells/lstm.js';
import { FusedOptimizer } from '../../src/core/engine/fused/fused-optimizer.js';
import { initParams } from '../../src/core/model.js';
import { cloneParams, zerosLike } from '../../src/core/params.js';
import { SeededRandom } from '../../src/core/random.js';
import { clipByGlobalNorm, globalNorm } from '../../src/train/clip.js';
import { createOptimizer } from '../../src/train/optimizer.js';
import { relativeError } from '../helpers/random-model.js';

/** The SIMD optimizers against the project's scalar ones, over several steps, and their checkpoints. */
describe('FusedOptimizer', () => {
  for (const kind of ['adagrad', 'adam'] as const) {
    for (const backend of ['js', 'wasm-simd', 'wasm-fma'] as const) {
      it(`${kind} (${backend}) follows src/train/optimizer.ts step by step and round-trips its state`, () => {
        const rng = new SeededRandom(7);
        const start = initParams(lstmCell, { inputSize: 9, hiddenSize: 7 }, rng);
        const a = cloneParams(start);
        const b = cloneParams(start);
        const reference = createOptimizer(kind, a, 0.05);
        const fused = new FusedOptimizer(kind, b, 0.05, backend);
        const grads = zerosLike(start);
        for (let step = 0; step < 6; step++) {
          for (const g of Object.values(grads)) for (let i = 0; i < g.data.length; i++) g.data[i] = rng.uniform(-2, 2);
          reference.update(a, grads);
          fused.update(b, grads);
        }
        for (const name of Object.keys(a)) expect(relativeError(b[name].data, a[name].data), name).toBeLessThan(1e-5);
        const saved = fused.save();
        const ref = reference.save();
        expect(saved.name).toBe(ref.name);
        expect(saved.step).toBe(ref.step);
        for (const key of Object.keys(ref.moments)) {
          for (const name of Object.keys(a)) expect(relativeError(saved.moments[key][name], ref.moments[key][name]), `${key} ${name}`).toBeLessThan(5e-5);
        }
        const restored = new FusedOptimizer(kind, b, 0.05, backend);
        restored.load(saved);
        const c = cloneParams(b);
        fused.update(b, grads);
        restored.update(c, grads);
        for (const name of Object.keys(b)) expect(Array.from(c[name].data)).toEqual(Array.from(b[name].data));
      });
    }
  }

  for (const backend of ['js', 'wasm-simd', 'wasm-fma'] as const) {
    it(`clipAndUpdate (${backend}) clips as clipByGlobalNorm does, updates as update does, and leaves the gradients alone`, () => {
      const rng = new SeededRandom(11);
      // H = 40 makes more than one chunk of the norm's partial sums, plus a tail.
      const start = initParams(lstmCell, { inputSize: 13, hiddenSize: 40 }, rng);
      const a = cloneParams(start);
      const b = cloneParams(start);
      const reference = createOptimizer('adagrad', a, 0.1);
      const fused = new FusedOptimizer('adagrad', b, 0.1, backend);
      const grads = zerosLike(start);
      const norms: number[] = [];
      // Large gradients (clipped), then small ones (not), then large again.
      for (const scale of [3, 3, 0.001, 0.001, 2]) {
        for (const g of Object.values(grads)) for (let i = 0; i < g.data.length; i++) g.data[i] = rng.uniform(-scale, scale);
        const before = cloneParams(grads);
        const norm = fused.clipAndUpdate(b, grads, 5);
        for (const name of Object.keys(grads)) expect(grads[name].data).toEqual(before[name].data);
        expect(Math.abs(norm - globalNorm(grads)) / globalNorm(grads)).toBeLessThan(1e-6);
        expect(clipByGlobalNorm(before, 5)).toBeCloseTo(norm, 3);
        reference.update(a, before);
        norms.push(norm);
      }
      expect(norms.filter((n) => n > 5).length).toBe(3);
      for (const name of Object.keys(a)) expect(relativeError(b[name].data, a[name].data), name).toBeLessThan(1e-5);
    });
  }
});
