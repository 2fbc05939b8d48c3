import { afterAll, describe, expect, it } from 'vitest';
import type { CellDefinition } from '../../src/core/cell.js';
import type { Batch, GradientEngine, State } from '../../src/core/engine.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import type { FusedCell } from '../../src/core/engine/fused/fused-cell.js';
import { THREADS_ENV } from '../../src/core/engine/fused/thread-count.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { zerosLike } from '../../src/core/params.js';
import { SeededRandom } from '../../src/core/random.js';
import { randomProblem } from '../helpers/random-model.js';
import { expectFloored } from './compare.js';
import { BUILTIN_CELLS, ENGINE_FLOOR, ENGINE_REL, SHORT_N, SMALL_DIMS } from './problem-sizes.js';
import {
  batchGradientByDifferences,
  itemizeByDifferences,
  type Params64,
  REFERENCE_CELLS,
  reduceDirect,
  runSequence,
  sequenceOf,
  toParams64,
  referenceResidual,
} from './reference-model.js';

/**
 * The training gradient of L = (1/B) Σ_b Σ_t L_{b,t}, losses, predictions and final state of
 * whole batches (and of predict(), which sampling uses), on every engine and on batches split across two threads (by the `threads`
 * option and by RNNBOW_THREADS), against float64 central finite differences of a plain-loop
 * model (reference-model.ts); then a second batch from the carried state, and an itemization
 * of sequences that sit in either part of a split batch. test/kernels/threaded-engine.test.ts
 * compares the split engine with the one-thread engine (the same kernels); this holds both to
 * numbers computed without them.
 *
 * Tolerances: the finite differences are good to ~1e-9; the engines are float32 with errors
 * relative to the largest values they sum (see compare.ts). Gradients: 2e-4 relative above a
 * floor of 1e-3 of the parameter's largest entry (measured worst 4e-5, a factor 5 of margin).
 * Losses, probabilities and states: 1e-5 relative (float32 forward through six steps, measured
 * 5e-7; states with the floor STATE_FLOOR).
 */

const REL = ENGINE_REL;
const FLOOR = ENGINE_FLOOR;
const FORWARD_REL = 1e-5;
/**
 * States are tanh/σ of sums of O(1) float32 terms, so their error is absolute (~1e-7 of those
 * terms) whatever their own size: entries below a tenth of the largest are held to that level.
 */
const STATE_FLOOR = 0.1;
const DIMS = SMALL_DIMS;
const { inputSize: V, hiddenSize: H } = DIMS;
const N = SHORT_N;
const CELLS = BUILTIN_CELLS;

const savedThreads = process.env[THREADS_ENV];
afterAll(() => {
  if (savedThreads === undefined) delete process.env[THREADS_ENV];
  else process.env[THREADS_ENV] = savedThreads;
});

/** The engines under test: label, factory, and whether a batch of 8 or more must run split. */
function engines(cell: CellDefinition, fused: FusedCell): [string, () => GradientEngine, boolean][] {
  return [
    ['tfjs reference', () => new TfjsEngine(cell, DIMS), false],
    ['fused js', () => new FusedEngine(fused, DIMS, { backend: 'js', threads: 1 }), false],
    ['fused wasm-simd', () => new FusedEngine(fused, DIMS, { backend: 'wasm-simd', threads: 1 }), false],
    ['fused wasm-fma', () => new FusedEngine(fused, DIMS, { backend: 'wasm-fma', threads: 1 }), false],
    ['fused js on 2 threads', () => new FusedEngine(fused, DIMS, { backend: 'js', threads: 2 }), true],
    [
      `fused auto with ${THREADS_ENV}=2`,
      () => {
        process.env[THREADS_ENV] = '2';
        try {
          return new FusedEngine(fused, DIMS);
        } finally {
          if (savedThreads === undefined) delete process.env[THREADS_ENV];
          else process.env[THREADS_ENV] = savedThreads;
        }
      },
      true,
    ],
  ];
}

/** Float64 forward of every sequence of a batch: losses `[B n]`, predictions, final state `[B H]` per component. */
function forwardBatch(cellName: string, P: Params64, batch: Batch, state: State) {
  const ref = REFERENCE_CELLS[cellName];
  const losses: number[] = [];
  const predictions: number[] = [];
  const finalState = state.map(() => new Float64Array(batch.batchSize * H));
  for (let b = 0; b < batch.batchSize; b++) {
    const run = runSequence(ref, () => P, sequenceOf(batch, state, b, H), H, V);
    losses.push(...run.losses);
    predictions.push(...run.predictions);
    run.states[N].forEach((s, c) => finalState[c].set(s, b * H));
  }
  return { losses, predictions, finalState };
}

function randomBatch(B: number, rng: SeededRandom): Batch {
  return {
    batchSize: B,
    length: N,
    inputs: Int32Array.from({ length: B * N }, () => rng.int(V)),
    targets: Int32Array.from({ length: B * N }, () => rng.int(V)),
  };
}

describe('batch gradients, forward results and carried state against float64 finite differences', () => {
  for (const [cell, fused] of CELLS) {
    const ref = REFERENCE_CELLS[cell.name];
    // One problem per cell, B = 9: split 4 + 5 on two threads (8 is the smallest batch that splits).
    const { params, batch, state } = randomProblem(cell, DIMS, N, 9, 41, 1.5);
    const P = toParams64(params);
    const small: Batch = { ...batch, batchSize: 3, inputs: batch.inputs.slice(0, 3 * N), targets: batch.targets.slice(0, 3 * N) };
    const smallState = state.map((s) => s.slice(0, 3 * H));
    const expected = {
      small: batchGradientByDifferences(ref, P, small, smallState, H, V),
      big: batchGradientByDifferences(ref, P, batch, state, H, V),
    };
    // A second batch from the first one's final state (float64, so the engine's carried float32 state is checked too).
    const second = randomBatch(9, new SeededRandom(77));
    const carried = forwardBatch(cell.name, P, batch, state).finalState;
    const secondGradient = batchGradientByDifferences(ref, P, second, carried.map((s) => Float32Array.from(s)), H, V);

    for (const [label, make, splits] of engines(cell, fused)) {
      it(`${cell.name} on ${label}: B = 3 and B = 9 batches, then a batch from the carried state`, () => {
        const engine = make();
        const what = `${cell.name} ${label}`;
        for (const [name, b, s, want] of [['B=3', small, smallState, expected.small], ['B=9', batch, state, expected.big]] as const) {
          const grads = zerosLike(params);
          const res = engine.train(params, b, s, grads);
          const fwd = forwardBatch(cell.name, P, b, s);
          expectFloored(res.losses, fwd.losses, FORWARD_REL, 0, `${what} ${name} losses`);
          expect(Array.from(res.predictions), `${what} ${name} predictions`).toEqual(fwd.predictions);
          res.finalState.forEach((c, i) => expectFloored(c, fwd.finalState[i], FORWARD_REL, STATE_FLOOR, `${what} ${name} final state ${i}`));
          for (const p of Object.keys(params)) expectFloored(grads[p].data, want[p], REL, FLOOR, `${what} ${name} gradient ${p}`);
          // Validation runs evaluate(): the same forward numbers, no gradient.
          const ev = engine.evaluate(params, b, s);
          expectFloored(ev.losses, fwd.losses, FORWARD_REL, 0, `${what} ${name} evaluate losses`);
          ev.finalState.forEach((c, i) => expectFloored(c, fwd.finalState[i], FORWARD_REL, STATE_FLOOR, `${what} ${name} evaluate state ${i}`));
        }
        if (engine instanceof FusedEngine) expect(engine.liveWorkers > 0, `${what}: the B = 9 batch ran split`).toBe(splits);

        // Sampling runs predict(): one step's softmax probabilities and the next state, per stream.
        const tokens = Int32Array.from({ length: 3 }, (_, b) => small.inputs[b * N]);
        const pred = engine.predict(params, tokens, smallState);
        for (let b = 0; b < 3; b++) {
          const one = runSequence(ref, () => P, { inputs: [tokens[b]], targets: [0], state: smallState.map((c) => c.subarray(b * H, (b + 1) * H)) }, H, V);
          expectFloored(pred.probs.subarray(b * V, (b + 1) * V), one.probs[0], FORWARD_REL, 0, `${what} predict probabilities of stream ${b}`);
          one.states[1].forEach((c, i) => expectFloored(pred.state[i].subarray(b * H, (b + 1) * H), c, FORWARD_REL, STATE_FLOOR, `${what} predict state ${i} of stream ${b}`));
        }

        // The carried state: the engine's own final state of the first batch goes into the second.
        const first = engine.train(params, batch, state, zerosLike(params));
        const grads = zerosLike(params);
        const res = engine.train(params, second, first.finalState, grads);
        const fwd = forwardBatch(cell.name, P, second, carried.map((c) => Float32Array.from(c)));
        expectFloored(res.losses, fwd.losses, FORWARD_REL, 0, `${what} carried losses`);
        for (const p of Object.keys(params)) expectFloored(grads[p].data, secondGradient[p], REL, FLOOR, `${what} carried gradient ${p}`);
        engine.dispose();
      });
    }

    it(`${cell.name}: itemizing a sequence of either part of a split batch gives its float64 itemization and keeps the batch gradient`, () => {
      const engine = new FusedEngine(fused, DIMS, { backend: 'wasm', threads: 2 });
      const names = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];
      const k = 2;
      for (const sequence of [0, 4, 8]) {
        const seq = sequenceOf(batch, state, sequence, H);
        const G = itemizeByDifferences(ref, P, seq, names, H, V);
        const grads = zerosLike(params);
        const res = engine.train(params, batch, state, grads, { sequence, k, reduction: 'l2', residual: true });
        const what = `${cell.name} split batch, sequence ${sequence}`;
        expect(res.itemized!.sequence, what).toBe(sequence);
        for (const name of names) {
          const got = res.itemized!.params[name];
          const want: number[] = [];
          G[name].forEach((row, t) => {
            for (let d = 0; d <= Math.min(t, k); d++) want.push(reduceDirect(row[t - d], 'l2'));
          });
          expectFloored(got.byDistance.flat(), want, REL, FLOOR, `${what} ${name} byDistance`);
          const residual = referenceResidual(G[name], k, 'l2');
          const scale = Math.max(...want);
          residual.forEach((r, j) => expect(Math.abs(got.residual![j] - r) / Math.max(r, FLOOR * scale), `${what} ${name} residual[${j}]`).toBeLessThanOrEqual(REL));
        }
        // Itemizing must not disturb the batch's training gradient.
        for (const p of Object.keys(params)) expectFloored(grads[p].data, expected.big[p], REL, FLOOR, `${what} batch gradient ${p}`);
      }
      expect(engine.liveWorkers).toBeGreaterThan(0);
      engine.dispose();
    });
  }
});
