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
import type { SeededRandom } from '../../src/core/random.js';
import type { OptimizerKind } from '../../src/train/optimizer.js';
import { randomProblem, relativeError } from '../helpers/random-model.js';
import { thrownBy } from '../helpers/thrown-by.js';

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

/**
 * Two engines on copies of one random model: `plain` with a gradient store and the standalone
 * optimizer (parameters `a`), `owning` with its own optimizer (parameters `b`).
 */
function twins(cell: CellDefinition, fused: FusedCell, kind: OptimizerKind, lr: number, seed: number, threads = 1) {
  const { params: start, rng } = randomProblem(cell, DIMS, 5, 1, seed, 1);
  const a = cloneParams(start);
  const b = cloneParams(start);
  const plain = new FusedEngine(fused, DIMS, { threads });
  const owning = new FusedEngine(fused, DIMS, { threads });
  const standalone = new FusedOptimizer(kind, a, lr);
  const inEngine = owning.createOptimizer(kind, b, lr);
  const grads = zerosLike(start);
  return {
    start, rng, a, b, plain, owning, standalone, inEngine,
    /** One batch on both; returns both results and both norms. */
    step(batch: Batch, state: State, clip: number, itemize?: ItemizeRequest) {
      const results = [plain.train(a, batch, state, grads, itemize), owning.train(b, batch, state, null, itemize)];
      const norms = [standalone.clipAndUpdate(a, grads, clip), inEngine.clipAndUpdate(b, null, clip)];
      return { results, norms };
    },
    dispose() {
      plain.dispose();
      owning.dispose();
    },
  };
}

describe('FusedEngine.createOptimizer', () => {
  for (const [cell, fused] of CELLS) {
    for (const kind of ['adagrad', 'adam'] as const) {
      it(`${cell.name} ${kind}: follows the standalone optimizer step by step, with and without clipping, at B = 1 (itemized too) and B = 3`, () => {
        const t = twins(cell, fused, kind, 0.05, 31);
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
          const { batch, state } = randomBatch(cell, DIMS, B, 6, t.rng);
          const { results, norms } = t.step(batch, state, clip, itemize);
          // The parameters differ by rounding once the norms were summed in different orders.
          expect(relativeError(results[1].losses, results[0].losses), `step ${i}: losses`).toBeLessThan(1e-5);
          expect(Math.abs(norms[1] - norms[0]) / norms[0], `step ${i}: norm`).toBeLessThan(1e-6);
          expectClose(t.b, t.a, 1e-5, `step ${i}`);
        }
        expect(steps.filter(([, clip]) => clip < 1).length).toBeGreaterThan(1);
        t.dispose();
      });
    }
  }

  it('saves its moments in the standalone optimizer\'s form, and a restored optimizer goes on as the original', () => {
    for (const kind of ['adagrad', 'adam'] as const) {
      const t = twins(lstmCell, fusedLstm, kind, 0.05, 8);
      const batches = [0, 1, 2, 3].map(() => randomBatch(lstmCell, DIMS, 2, 5, t.rng));
      for (const { batch, state } of batches.slice(0, 3)) t.step(batch, state, 5);
      const saved = t.inEngine.save();
      const reference = t.standalone.save();
      expect(saved.name).toBe(kind);
      expect(saved.step).toBe(3);
      expect(Object.keys(saved.moments)).toEqual(Object.keys(reference.moments));
      for (const key of Object.keys(reference.moments)) {
        expect(Object.keys(saved.moments[key])).toEqual(Object.keys(reference.moments[key]));
        for (const name of Object.keys(t.start)) {
          expect(saved.moments[key][name].length, `${key} ${name}`).toBe(t.start[name].data.length);
          expect(relativeError(saved.moments[key][name], reference.moments[key][name]), `${key} ${name}`).toBeLessThan(1e-5);
        }
      }
      // A fresh engine and optimizer from the checkpoint, then one more step on both.
      const c = cloneParams(t.b);
      const resumed = new FusedEngine(fusedLstm, DIMS, { threads: 1 });
      const restored = resumed.createOptimizer(kind, c, 0.05);
      restored.load(JSON.parse(JSON.stringify(saved)));
      const { batch, state } = batches[3];
      t.owning.train(t.b, batch, state, null);
      resumed.train(c, batch, state, null);
      t.inEngine.clipAndUpdate(t.b, null, 5);
      restored.clipAndUpdate(c, null, 5);
      for (const name of Object.keys(t.b)) expect(Array.from(c[name].data), name).toEqual(Array.from(t.b[name].data));
      // The standalone optimizer resumes from the engine optimizer's checkpoint too.
      const fromEngine = new FusedOptimizer(kind, cloneParams(t.b), 0.05);
      fromEngine.load(saved);
      const key = kind === 'adam' ? 'v' : 'mem';
      expect(relativeError(fromEngine.save().moments[key].weight_hh, saved.moments[key].weight_hh)).toBe(0);
      t.dispose();
      resumed.dispose();
    }
  });

  it('takes a split batch\'s summed gradient from the threads, and keeps the batch gradient when the itemizer asks for the sequence\'s own', () => {
    const t = twins(vanillaCell, fusedRnn, 'adagrad', 0.1, 12, 2);
    const own: ItemizeRequest = { sequence: 1, k: 2, reduction: 'l2', residual: true };
    for (const [B, itemize] of [[8, undefined], [9, own], [3, own]] as const) {
      const { batch, state } = randomBatch(vanillaCell, DIMS, B, 5, t.rng);
      const { results } = t.step(batch, state, 5, itemize);
      if (itemize) {
        for (const name of Object.keys(t.start)) {
          const [ra, rb] = results.map((r) => r.itemized!.gradient![name].data);
          expect(relativeError(rb, ra), `B=${B} sequence gradient ${name}`).toBeLessThan(1e-5);
        }
      }
      expectClose(t.b, t.a, 1e-5, `B=${B}`);
    }
    expect(t.plain.liveWorkers + t.owning.liveWorkers).toBeGreaterThan(0);
    t.dispose();
  });

  it('updates the parameters train() read even when evaluate() ran on others in between', () => {
    const t = twins(gruCell, fusedGru, 'adam', 0.01, 5);
    const { batch, state } = randomBatch(gruCell, DIMS, 2, 4, t.rng);
    const grads = zerosLike(t.start);
    t.plain.train(t.a, batch, state, grads);
    t.owning.train(t.b, batch, state, null);
    t.owning.evaluate(randomProblem(gruCell, DIMS, 4, 2, 99, 1).params, batch, state);
    t.standalone.clipAndUpdate(t.a, grads, 5);
    t.inEngine.clipAndUpdate(t.b, null, 5);
    expectClose(t.b, t.a, 1e-6, 'after evaluate');
    t.dispose();
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
    // An update from a store writes over a kept gradient: it is no longer waiting.
    engine.train(params, batch, state, null);
    optimizer.update(params, zerosLike(params));
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
