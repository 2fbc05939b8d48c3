import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import { saveCheckpoint, toCheckpoint } from '../../src/core/checkpoint.js';
import type { EnginePreference } from '../../src/core/engine.js';
import { initParams } from '../../src/core/model.js';
import { SeededRandom } from '../../src/core/random.js';
import { itemizeText, type ItemizeReduction, type Nested } from '../../src/train/itemize-text.js';
import { tempDir } from '../helpers/temp.js';
import { expectFloored } from './compare.js';
import { batchGradientByDifferences, itemizeByDifferences, REFERENCE_CELLS, reduceDirect, runSequence, toParams64 } from './reference-model.js';

/**
 * `rnnbow itemize` in library form (itemizeText) against float64 finite differences: per-step
 * losses, their sum (`loss`; the CLI prints loss / n per character), predictions, the full BPTT
 * gradient, and the itemized gradients, which the output indexes by step j (`itemized[p][t][j]`,
 * where the engines index by distance d = t - j): as numbers for every reduction, per gate for
 * gated cells, and as whole matrices for `none`. On the fused engine (`auto`) and the reference
 * engine (`tfjs`).
 *
 * Tolerances as in itemized-vs-differences.test.ts: 2e-4 relative above a floor of 1e-3 of the
 * largest entry (float32 engines against a reference good to ~1e-9), losses 1e-5.
 */

const VOCAB = ['a', 'b', 'c', 'd', 'e'];
const TEXT = 'abcabdcbae';
const H = 4;
const REL = 2e-4;
const FLOOR = 1e-3;
const ITEMIZED = ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'];

const flat = (x: Nested | number): number[] => (typeof x === 'number' ? [x] : ((x as (number | number[])[]).flat() as number[]));

describe('itemizeText against float64 finite differences', () => {
  const dir = tempDir('rnnbow-itemize-numerics-');
  const cells: CellDefinition[] = [vanillaCell, lstmCell, gruCell];
  for (const cell of cells) {
    const dims = { inputSize: VOCAB.length, hiddenSize: H };
    const rng = new SeededRandom(17);
    const params = initParams(cell, dims, rng);
    for (const p of Object.values(params)) for (let i = 0; i < p.data.length; i++) p.data[i] *= 1.5;
    const file = path.join(dir, `${cell.name}.json`);
    saveCheckpoint(file, toCheckpoint(cell.name, H, VOCAB, params));
    const ids = [...TEXT].map((c) => VOCAB.indexOf(c));
    const n = ids.length - 1;
    const seq = { inputs: ids.slice(0, n), targets: ids.slice(1), state: cell.state.map(() => new Float64Array(H)) };
    const P = toParams64(params);
    const ref = REFERENCE_CELLS[cell.name];
    const run = runSequence(ref, () => P, seq, H, VOCAB.length);
    const G = itemizeByDifferences(ref, P, seq, ITEMIZED, H, VOCAB.length);
    const batch = { batchSize: 1, length: n, inputs: Int32Array.from(seq.inputs), targets: Int32Array.from(seq.targets) };
    const gradient = batchGradientByDifferences(ref, P, batch, cell.state.map(() => new Float32Array(H)), H, VOCAB.length);
    const gates = cell.params(dims)[0].gates;

    for (const engine of ['auto', 'tfjs'] as EnginePreference[]) {
      it(`${cell.name} on engine ${engine}: losses, loss, gradients and itemized[t][j] for every reduction`, async () => {
        for (const reduction of ['none', 'l2', 'meanAbs', 'mean'] as ItemizeReduction[]) {
          const out = await itemizeText(file, TEXT, { reduction, engine, backend: 'cpu' });
          const what = `${cell.name} ${engine} ${reduction}`;
          expect(out.n).toBe(n);
          expectFloored(out.losses, run.losses, 1e-5, 0, `${what} losses`);
          const sum = run.losses.reduce((a, b) => a + b, 0);
          expect(Math.abs(out.loss - sum) / sum, `${what} loss (sum)`).toBeLessThan(1e-5);
          expect(Math.abs(out.loss / out.n - sum / n) / (sum / n), `${what} per-character loss`).toBeLessThan(1e-5);
          expect(out.predictions, `${what} predictions`).toEqual(run.predictions);
          for (const name of Object.keys(params)) expectFloored(flat(out.gradients[name]), gradient[name], REL, FLOOR, `${what} gradient ${name}`);
          for (const name of ITEMIZED) {
            const rows = out.itemized[name];
            expect(rows.map((r) => r.length), `${what} ${name} rows`).toEqual(Array.from({ length: n }, (_, t) => t + 1));
            if (reduction === 'none') {
              const largest = Math.max(...G[name].flat().map((m) => Math.max(...Array.from(m, Math.abs))));
              rows.forEach((row, t) =>
                row.forEach((m, j) => {
                  const want = G[name][t][j];
                  const got = flat(m);
                  const scale = Math.max(Math.max(...Array.from(want, Math.abs)), FLOOR * largest);
                  const err = Math.max(...got.map((v, i) => Math.abs(v - want[i]))) / scale;
                  expect(err, `${what} ${name} [t=${t}][j=${j}]`).toBeLessThanOrEqual(REL);
                }),
              );
              continue;
            }
            const want = G[name].flatMap((row) => row.map((m) => reduceDirect(m, reduction)));
            expectFloored(rows.flat() as number[], want, REL, FLOOR, `${what} ${name}`);
            if (!gates) {
              expect(out.gates?.[name], `${what} ${name} gates`).toBeUndefined();
              continue;
            }
            const block = params[name].data.length / gates.length;
            gates.forEach((gate, g) => {
              const wantGate = G[name].flatMap((row) => row.map((m) => reduceDirect(m, reduction, g * block, block)));
              expectFloored(out.gates![name][gate].flat(), wantGate, REL, FLOOR, `${what} ${name} gate ${gate}`);
            });
          }
        }
      });
    }
  }
});
