import { describe, expect, it } from 'vitest';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition, CellDims } from '../../src/core/cell.js';
import type { EngineResult, ItemizedParam, ItemizeRequest } from '../../src/core/engine.js';
import type { FusedCell } from '../../src/core/engine/fused/fused-cell.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import { fusedGru } from '../../src/core/engine/fused/gru-cell.js';
import { fusedLstm } from '../../src/core/engine/fused/lstm-cell.js';
import { fusedRnn } from '../../src/core/engine/fused/rnn-cell.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { probeCell } from '../../src/core/engine/probe-cell.js';
import { zerosLike, type ParamStore } from '../../src/core/params.js';
import { randomProblem, relativeError } from '../helpers/random-model.js';

/**
 * The fused engines (both kernel implementations) against the reference engine (tfjs autodiff
 * of the cell's own step) on random models: training outputs and gradients, evaluation,
 * prediction, and every part of an itemization.
 */

const TOL = 2e-4;
const CELLS: [CellDefinition, FusedCell][] = [
  [vanillaCell, fusedRnn],
  [lstmCell, fusedLstm],
  [gruCell, fusedGru],
];
const BACKENDS = ['js', 'wasm-simd', 'wasm-fma'] as const;

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  const err = relativeError(actual, expected);
  expect(err, `${what}: relative error ${err}`).toBeLessThan(TOL);
}

function expectResultsClose(a: EngineResult, b: EngineResult, what: string): void {
  expectClose(a.losses, b.losses, `${what} losses`);
  expect(Array.from(a.predictions), `${what} predictions`).toEqual(Array.from(b.predictions));
  expect(a.finalState.length).toBe(b.finalState.length);
  a.finalState.forEach((s, i) => expectClose(s, b.finalState[i], `${what} state ${i}`));
}

function expectStoresClose(a: ParamStore, b: ParamStore, what: string): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const name of Object.keys(b)) expectClose(a[name].data, b[name].data, `${what} ${name}`);
}

const flat = (rows: number[][]): number[] => rows.flat();

function expectItemizedClose(a: ItemizedParam, b: ItemizedParam, what: string): void {
  expect(a.byDistance.map((r) => r.length)).toEqual(b.byDistance.map((r) => r.length));
  expectClose(flat(a.byDistance), flat(b.byDistance), `${what} byDistance`);
  expect(Object.keys(a.gates ?? {})).toEqual(Object.keys(b.gates ?? {}));
  for (const g of Object.keys(b.gates ?? {})) expectClose(flat(a.gates![g]), flat(b.gates![g]), `${what} gate ${g}`);
  expect(a.residual === undefined).toBe(b.residual === undefined);
  if (b.residual) expectClose(a.residual!, b.residual, `${what} residual`);
  expect(a.full === undefined).toBe(b.full === undefined);
  if (b.full) {
    b.full.forEach((row, t) => row.forEach((m, d) => expectClose(a.full![t][d], m, `${what} full[${t}][${d}]`)));
  }
}

interface Case {
  readonly seed: number;
  readonly B: number;
  readonly n: number;
  readonly dims: CellDims;
  readonly req: ItemizeRequest;
}

// H = 5 exercises the padded layouts (rows of 8), H = 8 the unpadded ones; V = 7 and 11 the softmax tails.
const CASES: Case[] = [
  { seed: 1, B: 1, n: 6, dims: { inputSize: 7, hiddenSize: 5 }, req: { sequence: 0, k: 2, reduction: 'l2', residual: true } },
  { seed: 2, B: 3, n: 7, dims: { inputSize: 11, hiddenSize: 8 }, req: { sequence: 2, k: 1, reduction: 'meanAbs', residual: true } },
  { seed: 3, B: 2, n: 5, dims: { inputSize: 7, hiddenSize: 5 }, req: { sequence: 1, k: null, reduction: 'mean', residual: false, full: true } },
  { seed: 4, B: 1, n: 8, dims: { inputSize: 11, hiddenSize: 8 }, req: { sequence: 0, k: 0, reduction: 'l2', residual: true, full: true } },
  { seed: 5, B: 4, n: 4, dims: { inputSize: 6, hiddenSize: 12 }, req: { sequence: 3, k: 9, reduction: 'l2', residual: true } },
];

describe('fused engines agree with the tfjs reference engine', () => {
  for (const [cell, fused] of CELLS) {
    it(`${cell.name}: the fused slots are the ones the reference engine finds by probing the step`, () => {
      const dims = { inputSize: 7, hiddenSize: 5 };
      const engine = new FusedEngine(fused, dims, { backend: 'js' });
      expect(engine.slots).toEqual(probeCell(cell, dims).slots);
    });

    for (const c of CASES) {
      const label = `${cell.name} seed=${c.seed} B=${c.B} n=${c.n} H=${c.dims.hiddenSize} k=${c.req.k} ${c.req.reduction}${c.req.full ? ' full' : ''}`;
      it(`${label}: train, itemize, evaluate and predict`, () => {
        const { params, batch, state } = randomProblem(cell, c.dims, c.n, c.B, c.seed);
        const reference = new TfjsEngine(cell, c.dims);
        const refGrads = zerosLike(params);
        // The reference needs the residual row to itemize a truncated window (see the report on TfjsEngine).
        const refReq = { ...c.req, residual: c.req.residual || c.req.k !== null };
        const ref = reference.train(params, batch, state, refGrads, refReq);
        const refEval = reference.evaluate(params, batch, state);
        const tokens = batch.inputs.filter((_, i) => i % c.n === 0);
        const refPredict = reference.predict(params, tokens, state);

        for (const backend of BACKENDS) {
          const engine = new FusedEngine(fused, c.dims, { backend });
          const what = `${label} ${engine.name}`;
          const grads = zerosLike(params);
          const res = engine.train(params, batch, state, grads, c.req);
          expectResultsClose(res, ref, what);
          expectStoresClose(grads, refGrads, `${what} gradient`);

          const item = res.itemized!;
          expect(item.sequence).toBe(c.req.sequence);
          expect(item.k).toBe(c.req.k);
          expect(item.reduction).toBe(c.req.reduction);
          expect(Object.keys(item.params)).toEqual(Object.keys(ref.itemized!.params));
          for (const name of Object.keys(ref.itemized!.params)) {
            const expected = { ...ref.itemized!.params[name] };
            if (!c.req.residual) delete (expected as { residual?: number[] }).residual;
            expectItemizedClose(item.params[name], expected, `${what} ${name}`);
          }
          expectStoresClose(item.gradient!, ref.itemized!.gradient!, `${what} sequence gradient`);

          expectResultsClose(engine.evaluate(params, batch, state), refEval, `${what} evaluate`);
          const pred = engine.predict(params, tokens, state);
          expectClose(pred.probs, refPredict.probs, `${what} predict probs`);
          pred.state.forEach((s, i) => expectClose(s, refPredict.state[i], `${what} predict state ${i}`));
          engine.dispose();
        }
      });
    }
  }
});
