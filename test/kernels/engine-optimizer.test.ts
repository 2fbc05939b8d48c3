import { describe, expect, it } from 'vitest';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition, CellDims } from '../../src/core/cell.js';
import type { Batch, ItemizeRequest, State } from '../../src/core/engine.js';
import { RnnbowError } from '../../src/core/errors.js';
import type { FusedCell } from '../../src/core/engine/fused/fused-cell.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import { FusedOptimizer } from '../../src/core/engine/fused/fused-optimizer.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { fusedGru } from '../../src/core/engine/fused/gru-cell.js';
import { fusedLstm } from '../../src/core/engine/fused/lstm-cell.js';
import { fusedRnn } from '../../src/core/engine/fused/rnn-cell.js';
import { cloneParams, type ParamStore, zerosLike } from '../../src/core/params.js';
import { type SeededRandom } from '../../src/core/random.js';
import { randomProblem, relativeError } from '../helpers/random-model.js';

/**
 * The optimizer that lives in the fused engine (gradient left in kernel memory, `train` and
 * `clipAndUpdate` given null) against the standalone FusedOptimizer fed the engine's gradient
 * store, which test/kernels/fused-optimizer.test.ts holds to the scalar optimizers. H = 7 and
 * V = 9 leave pad columns in every padded array, so a pad that took part in the update, or a
 * block copied to the wrong place, shows.
 */

const CELLS: [CellDefinition, FusedCell][] = [
  [vanillaCell, fusedRnn],
  [lstmCell, fusedLstm],
  [gruCell, fusedGru],
];
const DIMS: CellDims = { inputSize: 9, hiddenSize: 7 };

/** A random batch of B sequences of n steps with a random initial state. */
function randomBatch(cell: CellDefinition, dims: CellDims, B: number, n: number, rng: SeededRandom): { batch: Batch; state: State } {
  const inputs = Int32Array.from({ length: B * n }, () => rng.int(dims.inputSize));
  const targets = Int32Array.from({ length: B * n }, () => rng.int(dims.inputSize));
  const state = cell.state.map(() => Float32Array.from({ length: B * dims.hiddenSize }, () => rng.uniform(-0.5, 0.5)));
  return { batch: { batchSize: B, length: n, inputs, targets }, state };
}

function expectClose(a: ParamStore, b: ParamStore, tolerance: number, what: string): void {
  for (const name of Object.keys(a)) expect(relativeError(a[name].data, b[name].data), `${what}: ${name}`).toBeLessThan(tolerance);
}

/** What `fn` throws (null when it returns). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return null;
}

describe('FusedEngine.createOptimizer', () => {
  for (const [cell, fused] of CELLS) {
    for (const kind of ['adagrad', 'adam'] as const) {
      it(`${cell.name} ${kind}: follows the standalone optimizer step by step, with and without clipping, at B = 1 (itemized too) and B = 3`, () => {
        const { params: start, rng } = randomProblem(cell, DIMS, 6, 1, 31, 1);
        const a = cloneParams(start);
        const b = cloneParams(start);
        const plain = new FusedEngine(fused, DIMS, { threads: 1 });
        const owning = new FusedEngine(fused, DIMS, { threads: 1 });
        const standalone = new FusedOptimizer(kind, a, 0.05);
        const inEngine = owning.createOptimizer(kind, b, 0.05);
        const grads = zerosLike(start);
        const full: ItemizeRequest = { sequence: 0, k: null, reduction: 'l2', residual: false, sequenceGradient: false };
        // Clip norms far below and far above the gradients' norms: both branches run.
        const steps: [number, number, ItemizeRequest | undefined][] = [
          [1, 0.05, undefined],
          [3, 100, undefined],
          [1, 100, full],
          [3, 0.05, { ...full, sequence: 2 }],
          [1, 0.05, undefined],
        ];
        for (const [i, [B, clip, itemize]] of steps.entries()) {
          const { batch, state } = randomBatch(cell, DIMS, B, 6, rng);
          const ra = plain.train(a, batch, state, grads, itemize);
          const rb = owning.train(b, batch, state, null, itemize);
          // The parameters differ by rounding once the norms were summed in different orders.
          expect(relativeError(rb.losses, ra.losses), `step ${i}: losses`).toBeLessThan(1e-5);
          const na = standalone.clipAndUpdate(a, grads, clip);
          const nb = inEngine.clipAndUpdate(b, null, clip);
          expect(Math.abs(nb - na) / na, `step ${i}: norm`).toBeLessThan(1e-6);
          expectClose(b, a, 1e-5, `step ${i}`);
        }
        expect(steps.filter(([, clip]) => clip < 1).length).toBeGreaterThan(1);
        plain.dispose();
        owning.dispose();
      });
    }
  }

  it('saves its moments in the standalone optimizer\'s form, and a restored optimizer goes on as the original', () => {
    for (const kind of ['adagrad', 'adam'] as const) {
      const { params: start, rng } = randomProblem(lstmCell, DIMS, 5, 1, 8, 1);
      const a = cloneParams(start);
      const b = cloneParams(start);
      const plain = new FusedEngine(fusedLstm, DIMS, { threads: 1 });
      const owning = new FusedEngine(fusedLstm, DIMS, { threads: 1 });
      const standalone = new FusedOptimizer(kind, a, 0.05);
      const inEngine = owning.createOptimizer(kind, b, 0.05);
      const grads = zerosLike(start);
      const batches = [0, 1, 2, 3].map(() => randomBatch(lstmCell, DIMS, 2, 5, rng));
      for (const { batch, state } of batches.slice(0, 3)) {
        plain.train(a, batch, state, grads);
        owning.train(b, batch, state, null);
        standalone.clipAndUpdate(a, grads, 5);
        inEngine.clipAndUpdate(b, null, 5);
      }
      const saved = inEngine.save();
      const reference = standalone.save();
      expect(saved.name).toBe(kind);
      expect(saved.step).toBe(3);
      expect(Object.keys(saved.moments)).toEqual(Object.keys(reference.moments));
      for (const key of Object.keys(reference.moments)) {
        expect(Object.keys(saved.moments[key])).toEqual(Object.keys(reference.moments[key]));
        for (const name of Object.keys(start)) {
          expect(saved.moments[key][name].length, `${key} ${name}`).toBe(start[name].data.length);
          expect(relativeError(saved.moments[key][name], reference.moments[key][name]), `${key} ${name}`).toBeLessThan(1e-5);
        }
      }
      // A fresh engine and optimizer from the checkpoint, then one more step on both.
      const c = cloneParams(b);
      const resumed = new FusedEngine(fusedLstm, DIMS, { threads: 1 });
      const restored = resumed.createOptimizer(kind, c, 0.05);
      restored.load(JSON.parse(JSON.stringify(saved)));
      const { batch, state } = batches[3];
      owning.train(b, batch, state, null);
      resumed.train(c, batch, state, null);
      inEngine.clipAndUpdate(b, null, 5);
      restored.clipAndUpdate(c, null, 5);
      for (const name of Object.keys(b)) expect(Array.from(c[name].data), name).toEqual(Array.from(b[name].data));
      // The standalone optimizer resumes from the engine optimizer's checkpoint too (and back).
      const fromEngine = new FusedOptimizer(kind, cloneParams(b), 0.05);
      fromEngine.load(saved);
      expect(relativeError(fromEngine.save().moments[kind === 'adam' ? 'v' : 'mem']['weight_hh'], saved.moments[kind === 'adam' ? 'v' : 'mem']['weight_hh'])).toBe(0);
      for (const e of [plain, owning, resumed]) e.dispose();
    }
  });

  it('takes a split batch\'s summed gradient from the threads, and keeps the batch gradient when the itemizer asks for the sequence\'s own', () => {
    const { params: start, rng } = randomProblem(vanillaCell, DIMS, 5, 1, 12, 1);
    const a = cloneParams(start);
    const b = cloneParams(start);
    const plain = new FusedEngine(fusedRnn, DIMS, { threads: 2 });
    const owning = new FusedEngine(fusedRnn, DIMS, { threads: 2 });
    const standalone = new FusedOptimizer('adagrad', a, 0.1);
    const inEngine = owning.createOptimizer('adagrad', b, 0.1);
    const grads = zerosLike(start);
    const own: ItemizeRequest = { sequence: 1, k: 2, reduction: 'l2', residual: true };
    for (const [B, itemize] of [[8, undefined], [9, own], [3, own]] as const) {
      const { batch, state } = randomBatch(vanillaCell, DIMS, B, 5, rng);
      const ra = plain.train(a, batch, state, grads, itemize);
      const rb = owning.train(b, batch, state, null, itemize);
      if (itemize) {
        for (const name of Object.keys(start)) {
          expect(relativeError(rb.itemized!.gradient![name].data, ra.itemized!.gradient![name].data), `B=${B} sequence gradient ${name}`).toBeLessThan(1e-5);
        }
      }
      standalone.clipAndUpdate(a, grads, 5);
      inEngine.clipAndUpdate(b, null, 5);
      expectClose(b, a, 1e-5, `B=${B}`);
    }
    expect(plain.liveWorkers + owning.liveWorkers).toBeGreaterThan(0);
    plain.dispose();
    owning.dispose();
  });

  it('updates the parameters train() read even when evaluate() ran on others in between', () => {
    const { params: start, rng } = randomProblem(gruCell, DIMS, 4, 1, 5, 1);
    const a = cloneParams(start);
    const b = cloneParams(start);
    const plain = new FusedEngine(fusedGru, DIMS, { threads: 1 });
    const owning = new FusedEngine(fusedGru, DIMS, { threads: 1 });
    const standalone = new FusedOptimizer('adam', a, 0.01);
    const inEngine = owning.createOptimizer('adam', b, 0.01);
    const grads = zerosLike(start);
    const { batch, state } = randomBatch(gruCell, DIMS, 2, 4, rng);
    plain.train(a, batch, state, grads);
    owning.train(b, batch, state, null);
    const other = randomProblem(gruCell, DIMS, 4, 2, 99, 1).params;
    owning.evaluate(other, batch, state);
    standalone.clipAndUpdate(a, grads, 5);
    inEngine.clipAndUpdate(b, null, 5);
    expectClose(b, a, 1e-6, 'after evaluate');
    plain.dispose();
    owning.dispose();
  });

  it('reports misuse as typed errors', () => {
    const { params, batch, state } = randomProblem(vanillaCell, DIMS, 3, 1, 2, 1);
    const engine = new FusedEngine(fusedRnn, DIMS, { threads: 1 });
    const noOptimizer = thrownBy(() => engine.train(params, batch, state, null));
    expect(noOptimizer).toBeInstanceOf(RnnbowError);
    expect((noOptimizer as RnnbowError).message).toMatch(/createOptimizer/);
    const optimizer = engine.createOptimizer('adagrad', params, 0.1);
    expect(thrownBy(() => engine.createOptimizer('adam', params, 0.1))).toBeInstanceOf(RnnbowError);
    // No gradient waiting: nothing trained yet, then a gradient already taken.
    expect(thrownBy(() => optimizer.clipAndUpdate(params, null, 5))).toBeInstanceOf(RnnbowError);
    engine.train(params, batch, state, null);
    expect(thrownBy(() => optimizer.clipAndUpdate(cloneParams(params), null, 5))).toBeInstanceOf(RnnbowError);
    optimizer.clipAndUpdate(params, null, 5);
    expect(thrownBy(() => optimizer.clipAndUpdate(params, null, 5))).toBeInstanceOf(RnnbowError);
    // A standalone optimizer has no engine to take a gradient from, nor has the reference engine an optimizer.
    expect(thrownBy(() => new FusedOptimizer('adagrad', params, 0.1).clipAndUpdate(params, null, 5))).toBeInstanceOf(RnnbowError);
    const reference = new TfjsEngine(vanillaCell, DIMS);
    expect(reference.createOptimizer).toBeUndefined();
    expect(thrownBy(() => reference.train(params, batch, state, null))).toBeInstanceOf(RnnbowError);
    reference.dispose();
    engine.dispose();
  });

  it('also updates from a gradient store, like any optimizer', () => {
    const { params: start, batch, state } = randomProblem(lstmCell, DIMS, 4, 2, 21, 1);
    const a = cloneParams(start);
    const b = cloneParams(start);
    const engine = new FusedEngine(fusedLstm, DIMS, { threads: 1 });
    const grads = zerosLike(start);
    engine.train(a, batch, state, grads);
    const standalone = new FusedOptimizer('adagrad', a, 0.1);
    const inEngine = new FusedEngine(fusedLstm, DIMS, { threads: 1 }).createOptimizer('adagrad', b, 0.1);
    standalone.update(a, grads);
    inEngine.update(b, grads);
    expectClose(b, a, 1e-6, 'update from a store');
    expect(relativeError(b.weight_hh.data, start.weight_hh.data)).toBeGreaterThan(1e-4);
    engine.dispose();
  });
});
