import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import type { ItemizeRequest } from '../../src/core/engine.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { zerosLike } from '../../src/core/params.js';
import type { BatchRecord } from '../../src/core/record.js';
import { randomProblem } from '../../src/testing/problem.js';
import { buildRecord } from '../../src/train/record-builder.js';
import { requireBuild, runCli, tempDir, writeCorpus } from '../../test/plugins/helpers/repo.js';
import { chooseK, cutRecord, droppedBound, largestBar } from './adaptive-k.js';

const dims = { inputSize: 6, hiddenSize: 5 };
const n = 12;
const kMax = 8;

/** One batch recorded by the engine exactly as the trainer would record it. */
function recordOf(cell: CellDefinition, seed: number, scale: number, request: ItemizeRequest): BatchRecord {
  const { params, batch, state } = randomProblem(cell, dims, n, 2, seed, scale);
  const engine = new TfjsEngine(cell, dims);
  const result = engine.train(params, batch, state, zerosLike(params), request);
  return buildRecord({ runId: 'test', cell: cell.name, batch: 0, data: batch, offsets: [0, n], result }, 0);
}

describe('adaptive-k: choosing k from a record and cutting it down', () => {
  const cases: [CellDefinition, number, number][] = [
    [vanillaCell, 1, 1],
    [vanillaCell, 2, 2],
    [lstmCell, 3, 1.5],
    [lstmCell, 4, 3],
  ];
  for (const [cell, seed, scale] of cases) {
    it(`${cell.name}, seed ${seed}: the cut record equals the engine's own k* record, and what it drops is below epsilon`, () => {
      const epsilon = 0.05;
      const record = recordOf(cell, seed, scale, { sequence: 1, k: kMax, reduction: 'l2', residual: true });
      const param = record.params[record.primary];
      const k = chooseK(param, epsilon, kMax);
      const cut = cutRecord(record, k);
      // Independent: let the engine itemize the same batch truncated at k and measure the true residual.
      const direct = recordOf(cell, seed, scale, { sequence: 1, k, reduction: 'l2', residual: true });
      expect(cut.k).toBe(k);
      for (const [name, p] of Object.entries(direct.params)) {
        const got = cut.params[name];
        got.byDistance.forEach((row, t) => {
          expect(row).toHaveLength(Math.min(t, k) + 1);
          row.forEach((v, d) => expect(v).toBeCloseTo(p.byDistance[t][d], 6));
        });
        for (const [gate, rows] of Object.entries(p.gates ?? {})) rows.forEach((row, t) => row.forEach((v, d) => expect(got.gates![gate][t][d]).toBeCloseTo(v, 6)));
        // l2 is subadditive: the cut record's residual bounds the true one from above.
        p.residual!.forEach((actual, j) => expect(got.residual![j]).toBeGreaterThanOrEqual(actual * (1 - 1e-5) - 1e-9));
      }
      // The guarantee the recorder gives: the true dropped gradient is within epsilon of the largest bar.
      const limit = epsilon * largestBar(param);
      expect(Math.max(...direct.params[record.primary].residual!)).toBeLessThanOrEqual(limit);
      expect(cut.maxGradient).toBeCloseTo(direct.maxGradient, 6);
    });
  }

  it('for the linear `mean` reduction the cut residual is exact', () => {
    const record = recordOf(vanillaCell, 5, 2, { sequence: 0, k: kMax, reduction: 'mean', residual: true });
    for (const k of [0, 2, 5]) {
      const cut = cutRecord(record, k);
      const direct = recordOf(vanillaCell, 5, 2, { sequence: 0, k, reduction: 'mean', residual: true });
      for (const [name, p] of Object.entries(direct.params)) {
        const scale = Math.max(...p.residual!.map(Math.abs));
        p.residual!.forEach((v, j) => expect(Math.abs(cut.params[name].residual![j] - v)).toBeLessThanOrEqual(1e-5 * scale));
      }
    }
  });

  it('picks a short horizon when gradients vanish, the whole window when epsilon is tiny', () => {
    const small = recordOf(vanillaCell, 6, 0.5, { sequence: 0, k: kMax, reduction: 'l2', residual: true });
    const k = chooseK(small.params.weight_hh, 0.05, kMax);
    expect(k).toBeLessThan(kMax);
    // k is the first distance whose bound is small enough: one less is not.
    if (k > 0) expect(Math.max(...droppedBound(small.params.weight_hh, k - 1))).toBeGreaterThan(0.05 * largestBar(small.params.weight_hh));
    expect(chooseK(small.params.weight_hh, 1e-12, kMax)).toBe(kMax);
    expect(cutRecord(small, kMax)).toBe(small);
  });

  it('cuts a full record (no residual measured) too', () => {
    const full = recordOf(lstmCell, 7, 1, { sequence: 0, k: null, reduction: 'l2', residual: false });
    const cut = cutRecord(full, 3);
    const direct = recordOf(lstmCell, 7, 1, { sequence: 0, k: 3, reduction: 'l2', residual: true });
    direct.params.weight_hh.residual!.forEach((v, j) => expect(cut.params.weight_hh.residual![j]).toBeGreaterThanOrEqual(v * (1 - 1e-5) - 1e-9));
    expect(cut.params.weight_hh.gates!.f.every((row, t) => row.length === Math.min(t, 3) + 1)).toBe(true);
  });
});

describe('adaptive-k plugin through the CLI', () => {
  it('records each batch cut to its own k, also inside periodic, and rejects a bad epsilon in one line', () => {
    requireBuild();
    const dir = tempDir('adaptive');
    const corpus = writeCorpus(dir);
    const common = ['--plugin', './plugins/adaptive-k-recorder', '--cell', 'lstm', '--hidden', '8', '-n', '12', '--corpus', corpus, '--logdir', dir, '--export', 'json'];
    const every = runCli(['train', ...common, '--steps', '6', '--recorder', 'adaptive-k', '--every', '1', '--recorder-opt', 'epsilon=0.1', '--recorder-opt', 'kMax=6', '--run-name', 'every']);
    expect(every.status, every.stderr).toBe(0);
    const run = JSON.parse(readFileSync(path.join(dir, 'every/run.json'), 'utf8'));
    expect(run.recorder).toBe('adaptive-k(epsilon=0.1, kMax=6)');
    const records = readFileSync(path.join(dir, 'every/records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.batch)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const r of records) {
      expect(r.k).toBeGreaterThanOrEqual(0);
      expect(r.k).toBeLessThanOrEqual(6);
      const p = r.params.weight_hh;
      expect(p.byDistance.every((row: number[], t: number) => row.length === Math.min(t, r.k) + 1)).toBe(true);
      expect(Object.keys(p.gates)).toEqual(['i', 'f', 'g', 'o']);
      expect(p.gates.f.every((row: number[], t: number) => row.length === Math.min(t, r.k) + 1)).toBe(true);
      expect(p.residual).toHaveLength(12);
    }

    const periodic = runCli(['train', ...common, '--steps', '6', '--recorder', 'adaptive-k', '--every', '2', '--run-name', 'periodic']);
    expect(periodic.status, periodic.stderr).toBe(0);
    const periodicRecords = readFileSync(path.join(dir, 'periodic/records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(periodicRecords.map((r) => r.batch)).toEqual([0, 2, 4]);
    expect(periodicRecords.every((r) => r.k <= 10)).toBe(true);

    const bad = runCli(['train', ...common, '--steps', '1', '--recorder', 'adaptive-k', '--recorder-opt', 'epsilon=2', '--run-name', 'bad']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe('rnnbow: recorder "adaptive-k": option "epsilon" must be in (0, 1), got 2\n');
    rmSync(dir, { recursive: true, force: true });
  });
});
