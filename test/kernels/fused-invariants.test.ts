import { describe, expect, it } from 'vitest';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import { RnnbowError } from '../../src/core/errors.js';
import type { FusedCell } from '../../src/core/engine/fused/fused-cell.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import { fusedGru } from '../../src/core/engine/fused/gru-cell.js';
import { fusedLstm } from '../../src/core/engine/fused/lstm-cell.js';
import { fusedRnn } from '../../src/core/engine/fused/rnn-cell.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { zerosLike } from '../../src/core/params.js';
import { randomProblem, relativeError } from '../helpers/random-model.js';

/** The central invariant on the fused path, and how the engine copes with changing batch shapes. */

const CELLS: [CellDefinition, FusedCell][] = [
  [vanillaCell, fusedRnn],
  [lstmCell, fusedLstm],
  [gruCell, fusedGru],
];

describe('fused engines: itemized gradients add up to the autodiff gradient', () => {
  for (const [cell, fused] of CELLS) {
    for (const backend of ['js', 'wasm-simd', 'wasm-fma'] as const) {
      it(`${cell.name} ${backend}: Σ full matrices = sequence gradient; mean of sequence gradients = tfjs training gradient`, () => {
        const dims = { inputSize: 9, hiddenSize: 6 };
        const n = 7;
        const B = 3;
        const { params, batch, state } = randomProblem(cell, dims, n, B, 11);
        const refGrads = zerosLike(params);
        new TfjsEngine(cell, dims).train(params, batch, state, refGrads);

        const engine = new FusedEngine(fused, dims, { backend });
        const mean = zerosLike(params);
        for (let b = 0; b < B; b++) {
          const grads = zerosLike(params);
          const res = engine.train(params, batch, state, grads, { sequence: b, k: null, reduction: 'l2', residual: false, full: true });
          const item = res.itemized!;
          for (const [name, p] of Object.entries(item.params)) {
            const sum = new Float64Array(params[name].data.length);
            for (const row of p.full!) for (const g of row) g.forEach((v, i) => (sum[i] += v));
            expect(relativeError(sum, item.gradient![name].data), `${name} sequence ${b}`).toBeLessThan(2e-5);
          }
          for (const name of Object.keys(params)) item.gradient![name].data.forEach((v, i) => (mean[name].data[i] += v / B));
          // A truncated itemization of the same batch still carries the exact sequence gradient (residual row).
          const truncated = engine.train(params, batch, state, zerosLike(params), { sequence: b, k: 1, reduction: 'l2', residual: true });
          for (const name of Object.keys(params)) {
            expect(relativeError(truncated.itemized!.gradient![name].data, item.gradient![name].data), `${name} truncated`).toBeLessThan(2e-5);
          }
        }
        for (const name of Object.keys(params)) {
          expect(relativeError(mean[name].data, refGrads[name].data), `mean ${name}`).toBeLessThan(2e-4);
        }
      });
    }
  }
});

describe('fused engines: state between calls', () => {
  it('gives the same results when batch shapes change between calls (memory is re-laid out and reused)', () => {
    const dims = { inputSize: 7, hiddenSize: 5 };
    const a = randomProblem(lstmCell, dims, 6, 3, 21);
    const b = randomProblem(lstmCell, dims, 9, 1, 22);
    const fresh = (p: typeof a) => {
      const g = zerosLike(p.params);
      const r = new FusedEngine(fusedLstm, dims, { backend: 'wasm' }).train(p.params, p.batch, p.state, g, { sequence: 0, k: 2, reduction: 'l2', residual: true });
      return { g, r };
    };
    const expectA = fresh(a);
    const expectB = fresh(b);
    const engine = new FusedEngine(fusedLstm, dims, { backend: 'wasm' });
    for (const [p, want] of [[a, expectA], [b, expectB], [a, expectA], [b, expectB]] as const) {
      const g = zerosLike(p.params);
      const r = engine.train(p.params, p.batch, p.state, g, { sequence: 0, k: 2, reduction: 'l2', residual: true });
      engine.predict(p.params, new Int32Array([1, 2, 3, 4, 5]), lstmCell.state.map(() => new Float32Array(5 * dims.hiddenSize)));
      expect(Array.from(r.losses)).toEqual(Array.from(want.r.losses));
      for (const name of Object.keys(g)) expect(Array.from(g[name].data)).toEqual(Array.from(want.g[name].data));
      expect(r.itemized!.params.weight_hh.byDistance).toEqual(want.r.itemized!.params.weight_hh.byDistance);
    }
  });

  it('rejects token ids outside the vocabulary and a sequence index outside the batch with typed errors', () => {
    const dims = { inputSize: 7, hiddenSize: 5 };
    const { params, batch, state } = randomProblem(vanillaCell, dims, 4, 2, 3);
    const engine = new FusedEngine(fusedRnn, dims);
    const bad = { ...batch, inputs: batch.inputs.map((x, i) => (i === 3 ? 7 : x)) };
    expect(() => engine.train(params, bad, state, zerosLike(params))).toThrow(RnnbowError);
    expect(() => engine.train(params, batch, state, zerosLike(params), { sequence: 2, k: 1, reduction: 'l2', residual: true })).toThrow(RnnbowError);
    expect(() => engine.evaluate(params, batch, [new Float32Array(3)])).toThrow(RnnbowError);
  });
});
