import { describe, expect, it } from 'vitest';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import type { Reduction } from '../../src/core/engine.js';
import type { FusedCell } from '../../src/core/engine/fused/fused-cell.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import { fusedGru } from '../../src/core/engine/fused/gru-cell.js';
import { fusedLstm } from '../../src/core/engine/fused/lstm-cell.js';
import { createJsOps } from '../../src/core/engine/fused/js-ops.js';
import { type FusedOps, roundUp4, ROW_SUM, ROW_SUM_ABS, ROW_SUM_SQUARES } from '../../src/core/engine/fused/ops.js';
import { fusedRnn } from '../../src/core/engine/fused/rnn-cell.js';
import { loadWasmOps } from '../../src/core/engine/fused/wasm-ops.js';
import { ItemizationBuilder, type ItemizedSlot } from '../../src/core/engine/itemization-builder.js';
import { reduceVector } from '../../src/core/engine/magnitude.js';
import { zerosLike } from '../../src/core/params.js';
import { SeededRandom } from '../../src/core/random.js';
import { randomProblem, relativeError } from '../helpers/random-model.js';

/**
 * The itemizer's summary path: row sums from a kernel, magnitudes from the sums
 * (ItemizationBuilder.addStepSums), and at B = 1 the training gradient taken from the itemized
 * rows instead of a separate backward pass. Each is checked against the path it replaces.
 */

const REDUCTIONS: Reduction[] = ['l2', 'meanAbs', 'mean'];
const MODES = { l2: ROW_SUM_SQUARES, meanAbs: ROW_SUM_ABS, mean: ROW_SUM } as const;

describe('rowBlockSums kernel', () => {
  const simd = loadWasmOps('simd');
  const fma = loadWasmOps('fma');
  it('has both WebAssembly builds', () => {
    expect(simd).not.toBeNull();
    expect(fma).not.toBeNull();
  });
  const impls: [string, FusedOps][] = [['js', createJsOps(1 << 12)]];
  if (simd) impls.push(['wasm-simd', simd]);
  if (fma) impls.push(['wasm-fma', fma]);
  for (const [label, ops] of impls) {
    for (const [R, G, W] of [[1, 1, 5], [3, 4, 7], [5, 3, 13], [2, 1, 100]]) {
      it(`${label}: R=${R} G=${G} W=${W} matches a direct sum for every reduction`, () => {
        const ld = roundUp4(G * W) + 4;
        const src = roundUp4(ops.memory.base);
        const out = src + R * ld;
        ops.memory.ensure(out + R * G);
        const f = ops.memory.f32;
        const rng = new SeededRandom(R * 100 + G * 10 + W);
        for (let i = 0; i < R * ld; i++) f[src + i] = rng.uniform(-2, 2);
        for (const red of REDUCTIONS) {
          ops.rowBlockSums(R, G, W, src, ld, MODES[red], out);
          const want = new Float64Array(R * G);
          for (let r = 0; r < R; r++)
            for (let g = 0; g < G; g++)
              for (let i = 0; i < W; i++) {
                const x = f[src + r * ld + g * W + i];
                want[r * G + g] += red === 'l2' ? x * x : red === 'meanAbs' ? Math.abs(x) : x;
              }
          // Plain sums can cancel, so compare them with an absolute tolerance scaled to the data.
          const got = ops.memory.f32.slice(out, out + R * G);
          if (red === 'mean') got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5 * W));
          else expect(relativeError(got, want)).toBeLessThan(1e-6);
        }
      });
    }
  }
});

describe('ItemizationBuilder.addStepSums', () => {
  it('gives the magnitudes addStep gives for the rows the sums came from', () => {
    const H = 6;
    const gates = ['i', 'f', 'g', 'o'];
    const slots: ItemizedSlot[] = [
      { kind: 'linear', param: 'weight_ih', bias: 'bias_ih', outSize: 4 * H, gates },
      { kind: 'linear', param: 'weight_hh', bias: 'bias_hh', outSize: 4 * H, gates },
    ];
    const rng = new SeededRandom(5);
    const n = 5;
    for (const red of REDUCTIONS) {
      const a = new ItemizationBuilder(n, 2, red, slots, true, false);
      const b = new ItemizationBuilder(n, 2, red, slots, true, false);
      for (let j = n - 1; j >= 0; j--) {
        const tCount = Math.min(n - 1, j + 2) - j + 1;
        const residualRow = j + 2 < n - 1;
        const rows = tCount + (residualRow ? 1 : 0);
        const dzIh = Float32Array.from({ length: rows * 4 * H }, () => rng.uniform(-1, 1));
        const dzHh = Float32Array.from({ length: rows * 4 * H }, () => rng.uniform(-1, 1));
        const u = Float32Array.from({ length: 9 }, () => rng.uniform(-1, 1));
        const h = Float32Array.from({ length: H }, () => rng.uniform(-1, 1));
        a.addStep({ j, tCount, residualRow, dz: { weight_ih: dzIh, weight_hh: dzHh }, inputs: { weight_ih: u, weight_hh: h } });
        const sums = (dz: Float32Array) => {
          const s = new Float64Array(rows * 4);
          for (let i = 0; i < dz.length; i++) s[Math.floor(i / H)] += red === 'l2' ? dz[i] * dz[i] : red === 'meanAbs' ? Math.abs(dz[i]) : dz[i];
          return s;
        };
        b.addStepSums({
          j,
          tCount,
          residualRow,
          sums: { weight_ih: sums(dzIh), weight_hh: sums(dzHh) },
          offsets: { weight_ih: 0, weight_hh: 0 },
          inputFactors: { weight_ih: reduceVector(u, 0, u.length, red), weight_hh: reduceVector(h, 0, H, red) },
        });
      }
      const ra = a.result();
      const rb = b.result();
      for (const name of Object.keys(ra)) {
        expect(relativeError(ra[name].byDistance.flat(), rb[name].byDistance.flat()), `${red} ${name}`).toBeLessThan(1e-9);
        expect(relativeError(ra[name].residual!, rb[name].residual!), `${red} ${name} residual`).toBeLessThan(1e-9);
        for (const g of gates) expect(relativeError(ra[name].gates![g].flat(), rb[name].gates![g].flat()), `${red} ${name} ${g}`).toBeLessThan(1e-9);
      }
    }
  });
});

const CELLS: [CellDefinition, FusedCell][] = [
  [vanillaCell, fusedRnn],
  [lstmCell, fusedLstm],
  [gruCell, fusedGru],
];

describe('fused engine: the summary path and the single-sequence shortcut', () => {
  for (const [cell, fused] of CELLS) {
    for (const backend of ['js', 'wasm-simd', 'wasm-fma'] as const) {
      it(`${cell.name} ${backend}: summaries equal those of the full-matrix path; at B = 1 an itemized batch trains with the plain gradient`, () => {
        const dims = { inputSize: 9, hiddenSize: 7 };
        const n = 8;
        const { params, batch, state } = randomProblem(cell, dims, n, 1, 17);
        const engine = new FusedEngine(fused, dims, { backend });
        const plain = zerosLike(params);
        const plainRes = engine.train(params, batch, state, plain);
        for (const red of REDUCTIONS) {
          for (const k of [null, 2]) {
            const grads = zerosLike(params);
            const res = engine.train(params, batch, state, grads, { sequence: 0, k, reduction: red, residual: true });
            const viaRows = engine.train(params, batch, state, zerosLike(params), { sequence: 0, k, reduction: red, residual: true, full: true });
            expect(Array.from(res.losses)).toEqual(Array.from(plainRes.losses));
            for (const name of Object.keys(params)) {
              expect(relativeError(grads[name].data, plain[name].data), `${red} k=${k} training gradient ${name}`).toBeLessThan(2e-5);
              expect(Array.from(res.itemized!.gradient![name].data)).toEqual(Array.from(grads[name].data));
            }
            for (const [name, p] of Object.entries(res.itemized!.params)) {
              const q = viaRows.itemized!.params[name];
              const tol = red === 'mean' ? 1e-4 : 1e-5;
              expect(relativeError(p.byDistance.flat(), q.byDistance.flat()), `${red} k=${k} ${name}`).toBeLessThan(tol);
              if (k !== null) expect(relativeError(p.residual!, q.residual!), `${red} ${name} residual`).toBeLessThan(tol);
              for (const g of Object.keys(p.gates ?? {})) {
                expect(relativeError(p.gates![g].flat(), q.gates![g].flat()), `${red} k=${k} ${name} ${g}`).toBeLessThan(tol);
              }
            }
          }
        }
      });
    }
  }

  it('sequenceGradient: false leaves the sequence gradient (and unasked residual rows) out and changes nothing else', () => {
    // B = 1 (the itemizer's gradient is the training gradient), B = 3 (after the plain
    // backward, which has the gradient already) and a split B = 8; with and without residuals,
    // whose row the itemizer then drops, truncated and full.
    const dims = { inputSize: 9, hiddenSize: 7 };
    const cells = [[vanillaCell, fusedRnn], [lstmCell, fusedLstm], [gruCell, fusedGru]] as const;
    for (const [def, cell] of cells) {
      for (const B of [1, 3, 8]) {
        const { params, batch, state } = randomProblem(def, dims, 6, B, 5);
        const engine = new FusedEngine(cell, dims, { threads: 2 });
        for (const [k, residual] of [[3, true], [3, false], [null, false]] as const) {
          const req = { sequence: B - 1, k, reduction: 'l2' as const, residual };
          const withGrads = zerosLike(params);
          const without = zerosLike(params);
          const a = engine.train(params, batch, state, withGrads, req);
          const b = engine.train(params, batch, state, without, { ...req, sequenceGradient: false });
          const what = `${def.name} B=${B} k=${k} residual=${residual}`;
          expect(Object.keys(a.itemized!.gradient!), what).toEqual(Object.keys(params));
          expect(b.itemized!.gradient, what).toBeUndefined();
          expect(b.itemized!.params, what).toEqual(a.itemized!.params);
          for (const name of Object.keys(params)) expect(Array.from(without[name].data), `${what} ${name}`).toEqual(Array.from(withGrads[name].data));
          expect(Array.from(b.losses), what).toEqual(Array.from(a.losses));
        }
        engine.dispose();
      }
    }
  });
});
