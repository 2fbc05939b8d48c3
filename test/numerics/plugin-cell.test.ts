import type * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupBackend } from '../../src/core/backend.js';
import type { CellDefinition } from '../../src/core/cell.js';
import { REDUCTIONS } from '../../src/core/engine.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { zerosLike } from '../../src/core/params.js';
import { tfjs } from '../../src/core/tfjs.js';
import { randomProblem } from '../helpers/random-model.js';
import { expectFloored } from './compare.js';
import { ENGINE_FLOOR, ENGINE_REL, SHORT_N, SMALL_DIMS } from './problem-sizes.js';
import {
  batchGradientByDifferences,
  itemizeByDifferences,
  type ReferenceCell,
  reduceDirect,
  sequenceOf,
  toParams64,
  referenceResidual,
} from './reference-model.js';

/**
 * A plugin-style cell on the reference engine, against float64 finite differences of the same
 * equations written as loops. It uses every helper a plugin may: `linear` with a bias, an
 * `elementwise` recurrent scale with a bias (IndRNN's form, itemized as dz ⊙ u), a plain `param`
 * (trained, not itemized), and a second state component that carries gradient between steps:
 *
 *   h' = tanh(W_ih x + b_ih + u ⊙ h + b_hh + m / 2),   m' = σ(λ) ⊙ m + (1 − σ(λ)) ⊙ h'.
 *
 * The built-in cells only use `linear`; this covers the elementwise magnitudes (hadamard
 * reductions), the residual row through a two-component state, and plain parameters' gradients.
 * Tolerances as in itemized-vs-differences.test.ts (float32 engine, float64 reference): 2e-4
 * relative above a floor of 1e-3 of the largest entry.
 */

const REL = ENGINE_REL;
const FLOOR = ENGINE_FLOOR;
const DIMS = SMALL_DIMS;
const { inputSize: V, hiddenSize: H } = DIMS;
const N = SHORT_N;
const ITEMIZED = ['weight_ih', 'bias_ih', 'weight_hh', 'bias_hh'];

const leakyIndCell: CellDefinition = {
  name: 'leaky-ind',
  description: 'IndRNN with a leaky memory (numerics test cell)',
  state: ['h', 'm'],
  params: ({ inputSize, hiddenSize }) => [
    { name: 'weight_ih', shape: [hiddenSize, inputSize] },
    { name: 'bias_ih', shape: [hiddenSize] },
    { name: 'weight_hh', shape: [hiddenSize] },
    { name: 'bias_hh', shape: [hiddenSize] },
    { name: 'leak', shape: [hiddenSize] },
  ],
  step: (ctx, x, [h, m]) => {
    const a = ctx.linear('weight_ih', x, 'bias_ih');
    const r = ctx.elementwise('weight_hh', h, 'bias_hh');
    const h2 = tfjs.tanh(tfjs.add(tfjs.add(a, r), tfjs.mul(m, 0.5))) as tf.Tensor2D;
    const keep = tfjs.sigmoid(ctx.param('leak'));
    const m2 = tfjs.add(tfjs.mul(keep, m), tfjs.mul(tfjs.sub(1, keep), h2)) as tf.Tensor2D;
    return [h2, m2];
  },
};

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** The same equations in float64 loops. */
const referenceLeakyInd: ReferenceCell = {
  components: 2,
  step(P, x, [h, m], hidden, inputs) {
    const h2 = new Float64Array(hidden);
    const m2 = new Float64Array(hidden);
    for (let i = 0; i < hidden; i++) {
      h2[i] = Math.tanh(P.weight_ih[i * inputs + x] + P.bias_ih[i] + P.weight_hh[i] * h[i] + P.bias_hh[i] + 0.5 * m[i]);
      const keep = sigmoid(P.leak[i]);
      m2[i] = keep * m[i] + (1 - keep) * h2[i];
    }
    return [h2, m2];
  },
};

describe('a plugin cell (linear, elementwise, plain param, two states) on the reference engine', () => {
  const { params, batch, state } = randomProblem(leakyIndCell, DIMS, N, 3, 31, 1.5);
  const P = toParams64(params);
  const sequence = 2;
  const seq = sequenceOf(batch, state, sequence, H);
  const G = itemizeByDifferences(referenceLeakyInd, P, seq, ITEMIZED, H, V);

  it('itemized matrices, every reduction, truncated residual, and the gradients against float64 finite differences', async () => {
    await setupBackend('cpu');
    const engine = new TfjsEngine(leakyIndCell, DIMS);
    expect(engine.slots.map((s) => [s.kind, s.param, s.bias])).toEqual([
      ['linear', 'weight_ih', 'bias_ih'],
      ['elementwise', 'weight_hh', 'bias_hh'],
    ]);
    const grads = zerosLike(params);
    const full = engine.train(params, batch, state, grads, { sequence, k: null, reduction: 'l2', residual: false, full: true }).itemized!;
    // The batch's training gradient, plain parameter and head included.
    const want = batchGradientByDifferences(referenceLeakyInd, P, batch, state, H, V);
    for (const name of Object.keys(params)) expectFloored(grads[name].data, want[name], REL, FLOOR, `batch gradient ${name}`);
    for (const name of ITEMIZED) {
      const largest = Math.max(...G[name].flat().map((m) => Math.max(...Array.from(m, Math.abs))));
      full.params[name].full!.forEach((row, t) =>
        row.forEach((m, d) => {
          const ref = G[name][t][t - d];
          const scale = Math.max(Math.max(...Array.from(ref, Math.abs)), FLOOR * largest);
          const err = Math.max(...Array.from(m, (v, i) => Math.abs(v - ref[i]))) / scale;
          expect(err, `${name} full[${t}][${d}]`).toBeLessThanOrEqual(REL);
        }),
      );
    }
    const k = 2;
    for (const reduction of REDUCTIONS) {
      const summary = engine.train(params, batch, state, zerosLike(params), { sequence, k: null, reduction, residual: false }).itemized!;
      const trunc = engine.train(params, batch, state, zerosLike(params), { sequence, k, reduction, residual: true }).itemized!;
      for (const name of ITEMIZED) {
        const triangle = G[name].flatMap((row, t) => row.map((_, d) => reduceDirect(row[t - d], reduction)));
        expectFloored(summary.params[name].byDistance.flat(), triangle, REL, FLOOR, `${name} ${reduction}`);
        const truncated = G[name].flatMap((row, t) => Array.from({ length: Math.min(t, k) + 1 }, (_, d) => reduceDirect(row[t - d], reduction)));
        expectFloored(trunc.params[name].byDistance.flat(), truncated, REL, FLOOR, `${name} k=${k} ${reduction}`);
        const residual = referenceResidual(G[name], k, reduction);
        const scale = Math.max(...triangle.map(Math.abs));
        const err = Math.max(...residual.map((r, j) => Math.abs(trunc.params[name].residual![j] - r) / Math.max(Math.abs(r), FLOOR * scale)));
        expect(err, `${name} residual ${reduction}`).toBeLessThanOrEqual(REL);
      }
      // The sequence's own gradient: Σ of the itemized matrices for itemized parameters, and the plain one.
      const single = { batchSize: 1, length: N, inputs: Int32Array.from(seq.inputs), targets: Int32Array.from(seq.targets) };
      const own = batchGradientByDifferences(referenceLeakyInd, P, single, seq.state.map((s) => Float32Array.from(s)), H, V);
      for (const name of Object.keys(params)) expectFloored(trunc.gradient![name].data, own[name], REL, FLOOR, `sequence gradient ${name} (${reduction})`);
    }
    engine.dispose();
  });
});
