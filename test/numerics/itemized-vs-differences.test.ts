import { describe, expect, it } from 'vitest';
import type { CellDefinition } from '../../src/core/cell.js';
import { REDUCTIONS, type GradientEngine, type ItemizedSequence, type ItemizeRequest } from '../../src/core/engine.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import type { FusedCell } from '../../src/core/engine/fused/fused-cell.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { zerosLike } from '../../src/core/params.js';
import { randomProblem } from '../helpers/random-model.js';
import { expectFloored } from './compare.js';
import { BUILTIN_CELLS, ENGINE_FLOOR, ENGINE_REL, SHORT_N, SMALL_DIMS } from './problem-sizes.js';
import {
  batchGradientByDifferences,
  itemizeByDifferences,
  REFERENCE_CELLS,
  reduceDirect,
  sequenceOf,
  sum64,
  toParams64,
  referenceResidual,
} from './reference-model.js';

/**
 * Every itemized number of one sequence, on every engine (the tfjs reference engine and the
 * fused js, wasm-simd and wasm-fma kernels), against float64 central finite differences of a
 * plain-loop model (test/numerics/reference-model.ts): G_{t,j} = ∂L_t/∂θ⁽ʲ⁾ is the derivative
 * of loss t with respect to the copy of θ used at step j only. That is the definition of the
 * itemized gradient itself, so each (t, j) is checked on its own, not only their sum: a loss
 * credited to the wrong distance, a gate block swapped, or a residual row that drops or keeps
 * one loss too many all show here.
 *
 * Tolerances. The reference is good to ~1e-9 (see FD_STEP). The engines run in float32: each
 * number carries error relative to the largest values it was computed from (cotangents of
 * order 1), so entries are compared with `expectFloored`: relative error 2e-4 for every entry
 * above 1e-3 of the largest entry of its kind, and that absolute level below. The measured
 * worst case on these sizes is 4e-5 (vanilla, whose scaled-up weights give the largest
 * cotangents), so the limit leaves a factor 5 for other platforms' rounding; a real
 * bookkeeping error is off by O(1).
 */

const REL = ENGINE_REL;
const FLOOR = ENGINE_FLOOR;
const DIMS = SMALL_DIMS;
const N = SHORT_N;
const B = 3;
const SEQUENCE = 1;
const ITEMIZED = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];
const CELLS = BUILTIN_CELLS;

/** The random problem of a cell and its float64 reference, computed once per cell. */
function problemFor(cell: CellDefinition) {
  const { params, batch, state } = randomProblem(cell, DIMS, N, B, 23, 1.5);
  const P = toParams64(params);
  const { hiddenSize: H, inputSize: V } = DIMS;
  const seq = sequenceOf(batch, state, SEQUENCE, H);
  const ref = REFERENCE_CELLS[cell.name];
  const G = itemizeByDifferences(ref, P, seq, ITEMIZED, H, V);
  const single = { batchSize: 1, length: N, inputs: Int32Array.from(seq.inputs), targets: Int32Array.from(seq.targets) };
  const singleState = seq.state.map((s) => Float32Array.from(s));
  const sequenceGradient = batchGradientByDifferences(ref, P, single, singleState, H, V);
  return { params, batch, state, G, sequenceGradient };
}

/** The reference's G_{t,t-d} triangle reduced entry by entry, over rows `[offset, offset + length)`. */
function reducedTriangle(G: Float64Array[][], k: number | null, reduction: (typeof REDUCTIONS)[number], offset = 0, length?: number): number[] {
  const out: number[] = [];
  G.forEach((row, t) => {
    for (let d = 0; d <= Math.min(t, k ?? t); d++) out.push(reduceDirect(row[t - d], reduction, offset, length ?? row[t - d].length - offset));
  });
  return out;
}

/** The engines under test, by label, made inside each test (the tfjs backend is set up by then). */
function engines(cell: CellDefinition, fused: FusedCell): [string, () => GradientEngine][] {
  return [
    ['tfjs reference', () => new TfjsEngine(cell, DIMS)],
    ...(['js', 'wasm-simd', 'wasm-fma'] as const).map((backend): [string, () => GradientEngine] => [`fused ${backend}`, () => new FusedEngine(fused, DIMS, { backend, threads: 1 })]),
  ];
}

function itemize(engine: GradientEngine, p: ReturnType<typeof problemFor>, req: Omit<ItemizeRequest, 'sequence'>): ItemizedSequence {
  return engine.train(p.params, p.batch, p.state, zerosLike(p.params), { sequence: SEQUENCE, ...req }).itemized!;
}

describe('itemized gradients against float64 finite differences of L_t w.r.t. step j\'s copy of θ', () => {
  for (const [cell, fused] of CELLS) {
    const gates = cell.params(DIMS)[0].gates;
    const G = gates?.length ?? 1;
    const { hiddenSize: H } = DIMS;
    const p = problemFor(cell);

    it(`${cell.name}: the reference itself: Σ_t Σ_j G_{t,j} = finite differences of the sequence's whole loss`, () => {
      // Ties the per-step derivatives to the ordinary gradient (DESIGN.md's central invariant, in
      // float64). Both sides are differences good to ~1e-9 absolute; 21 of them are summed, and
      // entries near the floor (1e-3 of the largest) then show ~4e-7 relative: limit 1e-5.
      for (const name of ITEMIZED) {
        const size = p.params[name].data.length;
        const sum = sum64(p.G[name].flat(), size);
        expectFloored(sum, p.sequenceGradient[name], 1e-5, FLOOR, `${name}`);
      }
    });

    for (const [label, make] of engines(cell, fused)) {
      it(`${cell.name} on ${label}: full matrices G_{t,j}, every reduction and gate, truncated k = 2 with residual, sequence gradient`, () => {
        const engine = make();
        const what = `${cell.name} ${engine.name}`;
        // Full matrices, each (t, d) on its own scale: max |G - ref| <= REL · max(‖ref‖∞, FLOOR · largest).
        const full = itemize(engine, p, { k: null, reduction: 'l2', residual: false, full: true });
        for (const name of ITEMIZED) {
          const ref = p.G[name];
          const largest = Math.max(...ref.flat().map((m) => Math.max(...Array.from(m, Math.abs))));
          full.params[name].full!.forEach((row, t) =>
            row.forEach((m, d) => {
              const want = ref[t][t - d];
              const scale = Math.max(Math.max(...Array.from(want, Math.abs)), FLOOR * largest);
              const err = Math.max(...Array.from(m, (v, i) => Math.abs(v - want[i]))) / scale;
              expect(err, `${what} ${name} full[${t}][${d}]`).toBeLessThanOrEqual(REL);
            }),
          );
        }
        // Magnitudes by definition: reduction of the whole matrix, and of each gate's row block.
        for (const reduction of REDUCTIONS) {
          const summary = reduction === 'l2' ? full : itemize(engine, p, { k: null, reduction, residual: false });
          for (const name of ITEMIZED) {
            const got = summary.params[name];
            expect(got.byDistance.map((r) => r.length), `${what} ${name} triangle`).toEqual(Array.from({ length: N }, (_, t) => t + 1));
            expectFloored(got.byDistance.flat(), reducedTriangle(p.G[name], null, reduction), REL, FLOOR, `${what} ${name} ${reduction}`);
            expect(Object.keys(got.gates ?? {}), `${what} ${name} gates`).toEqual(gates ? [...gates] : []);
            const cols = p.params[name].data.length / (G * H);
            gates?.forEach((gate, g) => {
              const want = reducedTriangle(p.G[name], null, reduction, g * H * cols, H * cols);
              expectFloored(got.gates![gate].flat(), want, REL, FLOOR, `${what} ${name} gate ${gate} ${reduction}`);
            });
          }
        }
        // Truncated k = 2: distances d <= 2, and residual[j] = reduction of Σ_{t > j+2} G_{t,j}.
        const k = 2;
        for (const reduction of REDUCTIONS) {
          const trunc = itemize(engine, p, { k, reduction, residual: true });
          for (const name of ITEMIZED) {
            const got = trunc.params[name];
            expect(got.byDistance.map((r) => r.length), `${what} ${name} truncated triangle`).toEqual(Array.from({ length: N }, (_, t) => Math.min(t, k) + 1));
            expectFloored(got.byDistance.flat(), reducedTriangle(p.G[name], k, reduction), REL, FLOOR, `${what} ${name} k=${k} ${reduction}`);
            const residual = referenceResidual(p.G[name], k, reduction);
            // Steps with nothing dropped have residual 0 exactly; the floor uses the triangle's scale.
            const scale = Math.max(...reducedTriangle(p.G[name], null, reduction).map(Math.abs));
            const err = Math.max(...residual.map((r, j) => Math.abs(got.residual![j] - r) / Math.max(Math.abs(r), FLOOR * scale)));
            expect(err, `${what} ${name} residual ${reduction}`).toBeLessThanOrEqual(REL);
          }
          // The sequence's own gradient (the invariant's right side), head included.
          for (const name of Object.keys(p.params)) {
            expectFloored(trunc.gradient![name].data, p.sequenceGradient[name], REL, FLOOR, `${what} sequence gradient ${name} (k=${k} ${reduction})`);
          }
        }
        engine.dispose();
      });
    }
  }
});
