import { describe, expect, it } from 'vitest';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { cloneParams, zerosLike } from '../../src/core/params.js';
import { randomProblem, relativeError } from '../helpers/random-model.js';
import { vanillaLoss, vanillaReference } from '../helpers/vanilla-reference.js';

const dims = { inputSize: 7, hiddenSize: 6 };
const norm = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + b * b, 0));
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const meanAbs = (v: number[]) => v.reduce((a, b) => a + Math.abs(b), 0) / v.length;

describe('TfjsEngine itemization: the central invariant', () => {
  const cells: CellDefinition[] = [vanillaCell, lstmCell, gruCell];
  for (const cell of cells) {
    for (const [seed, k] of [
      [1, null],
      [2, 2],
      [3, 0],
    ] as const) {
      it(`${cell.name}, seed ${seed}, k=${k}: itemized gradients sum to the whole-sequence autodiff gradient`, () => {
        const n = 7;
        const { params, batch, state } = randomProblem(cell, dims, n, 1, seed, 1.5);
        const engine = new TfjsEngine(cell, dims);
        const grads = zerosLike(params);
        const res = engine.train(params, batch, state, grads, { sequence: 0, k, reduction: 'l2', residual: true, full: true });
        const it = res.itemized!;
        // (a) the engine's per-sequence gradient equals autodiff of the whole sequence
        for (const name of Object.keys(params)) expect(relativeError(it.gradient![name].data, grads[name].data)).toBeLessThan(1e-5);
        // (b) summing the full itemized matrices (plus, when truncated, nothing else) gives autodiff restricted accordingly;
        // with k = null the sum over all t >= j is the whole gradient.
        if (k === null) {
          for (const [name, p] of Object.entries(it.params)) {
            const sum = new Float64Array(params[name].data.length);
            for (const row of p.full!) for (const g of row) g.forEach((v, i) => (sum[i] += v));
            expect(relativeError(sum, grads[name].data)).toBeLessThan(1e-5);
          }
        }
      });
    }
  }

  it('vanilla magnitudes match the closed-form δ recursion of DESIGN.md (all three reductions)', () => {
    const n = 6;
    const { params, batch, state } = randomProblem(vanillaCell, dims, n, 1, 7, 1.5);
    const ref = vanillaReference(params, batch, state[0]);
    const engine = new TfjsEngine(vanillaCell, dims);
    for (const reduction of ['l2', 'meanAbs', 'mean'] as const) {
      const res = engine.train(params, batch, state, zerosLike(params), { sequence: 0, k: null, reduction, residual: false });
      const red = reduction === 'l2' ? norm : reduction === 'mean' ? mean : meanAbs;
      for (let t = 0; t < n; t++) {
        const delta = ref.delta(t);
        for (let j = 0; j <= t; j++) {
          const d = t - j;
          const expectHH = red(delta[j]) * red(ref.hs[j]);
          const onehot = Array.from({ length: dims.inputSize }, (_, v) => (v === ref.x[j] ? 1 : 0));
          const expectIH = red(delta[j]) * red(onehot);
          const expectB = red(delta[j]);
          const got = res.itemized!.params;
          expect(got.weight_hh.byDistance[t][d]).toBeCloseTo(expectHH, 5);
          expect(got.weight_ih.byDistance[t][d]).toBeCloseTo(expectIH, 5);
          expect(got.bias_hh.byDistance[t][d]).toBeCloseTo(expectB, 5);
          expect(got.bias_ih.byDistance[t][d]).toBeCloseTo(expectB, 5);
        }
      }
    }
  });

  it('vanilla full BPTT matches float64 central finite differences', () => {
    const n = 5;
    const { params, batch, state } = randomProblem(vanillaCell, dims, n, 1, 11, 1);
    const grads = zerosLike(params);
    new TfjsEngine(vanillaCell, dims).train(params, batch, state, grads);
    const eps = 1e-3;
    for (const name of Object.keys(params)) {
      const fd = new Float64Array(params[name].data.length);
      for (let i = 0; i < fd.length; i++) {
        const plus = cloneParams(params);
        const minus = cloneParams(params);
        plus[name].data[i] += eps;
        minus[name].data[i] -= eps;
        fd[i] = (vanillaLoss(plus, batch, state[0]) - vanillaLoss(minus, batch, state[0])) / (2 * eps);
      }
      expect(relativeError(grads[name].data, fd)).toBeLessThan(2e-3);
    }
  });

  for (const cell of [vanillaCell, lstmCell, gruCell]) {
    it(`${cell.name}: truncated-k equals the full record restricted to d <= k, and the residual is what was dropped`, () => {
      const n = 8;
      const k = 3;
      const { params, batch, state } = randomProblem(cell, dims, n, 1, 5, 1.5);
      const engine = new TfjsEngine(cell, dims);
      const full = engine.train(params, batch, state, zerosLike(params), { sequence: 0, k: null, reduction: 'l2', residual: false, full: true }).itemized!;
      const trunc = engine.train(params, batch, state, zerosLike(params), { sequence: 0, k, reduction: 'l2', residual: true }).itemized!;
      for (const [name, p] of Object.entries(trunc.params)) {
        for (let t = 0; t < n; t++) {
          expect(p.byDistance[t].length).toBe(Math.min(t, k) + 1);
          p.byDistance[t].forEach((v, d) => expect(v).toBeCloseTo(full.params[name].byDistance[t][d], 5));
          if (p.gates) for (const [g, m] of Object.entries(p.gates)) m[t].forEach((v, d) => expect(v).toBeCloseTo(full.params[name].gates![g][t][d], 5));
        }
        // residual[j] = ‖Σ_{t > j+k} G_{t,j}‖_F, from the full matrices
        for (let j = 0; j < n; j++) {
          const size = params[name].data.length;
          const sum = new Float64Array(size);
          for (let t = j + k + 1; t < n; t++) full.params[name].full![t][t - j].forEach((v, i) => (sum[i] += v));
          expect(p.residual![j]).toBeCloseTo(norm(Array.from(sum)), 4);
        }
      }
    });
  }

  it('truncated without residual measurement still returns the exact sequence gradient', () => {
    const { params, batch, state } = randomProblem(lstmCell, dims, 6, 1, 13, 1.5);
    const grads = zerosLike(params);
    const res = new TfjsEngine(lstmCell, dims).train(params, batch, state, grads, { sequence: 0, k: 1, reduction: 'meanAbs', residual: false });
    expect(res.itemized!.params.weight_hh.residual).toBeUndefined();
    for (const name of Object.keys(params)) expect(relativeError(res.itemized!.gradient![name].data, grads[name].data)).toBeLessThan(1e-5);
  });

  it('itemizes the requested sequence of a batch of several', () => {
    const n = 5;
    const { params, batch, state } = randomProblem(vanillaCell, dims, n, 3, 9, 1.5);
    const engine = new TfjsEngine(vanillaCell, dims);
    const res = engine.train(params, batch, state, zerosLike(params), { sequence: 2, k: null, reduction: 'l2', residual: false });
    const h0 = state[0].subarray(2 * dims.hiddenSize, 3 * dims.hiddenSize);
    const ref = vanillaReference(params, batch, h0, 2);
    expect(res.itemized!.params.weight_hh.byDistance[4][2]).toBeCloseTo(norm(ref.delta(4)[2]) * norm(ref.hs[2]), 5);
    ref.losses.forEach((l, j) => expect(res.losses[2 * n + j]).toBeCloseTo(l, 4));
  });
});
