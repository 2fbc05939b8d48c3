import { describe, expect, it } from 'vitest';
import { lstmCell } from '../../src/cells/lstm.js';
import { FusedOptimizer } from '../../src/core/engine/fused/fused-optimizer.js';
import { initParams } from '../../src/core/model.js';
import { cloneParams, zerosLike } from '../../src/core/params.js';
import { SeededRandom } from '../../src/core/random.js';
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
});
