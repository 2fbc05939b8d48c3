import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunReader } from '../../src/exporters/tensorboard/reader-run.js';
import { relativeError } from '../../src/testing/compare.js';
import { train } from '../../src/train/trainer.js';
import { itemizeText, type ItemizeOutput, type Nested } from '../../src/train/itemize-text.js';
import { requireBuild, runCli, tempDir, writeCorpus } from './helpers/repo.js';

const GATES: Record<string, string[] | undefined> = { rnn: undefined, lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] };
const TEXT = 'for (i = 0; i < n; i++) {';
const root = tempDir('itemize');
const checkpoints: Record<string, string> = {};
const runDirs: Record<string, string> = {};

beforeAll(async () => {
  const corpus = writeCorpus(root);
  for (const cell of Object.keys(GATES)) {
    const result = await train({
      cell,
      hiddenSize: 6,
      seqLength: 10,
      batchSize: 2,
      steps: 4,
      recorder: { name: 'truncated', options: { k: 3 } },
      exporters: ['json', 'tensorboard'],
      corpus: { paths: [corpus] },
      logdir: root,
      runName: cell,
      validateEvery: 0,
      sampleEvery: 0,
    });
    checkpoints[cell] = result.checkpoint;
    runDirs[cell] = result.runDir;
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const flat = (x: Nested): number[] => (x as (number | number[])[]).flat() as number[];

/** For the l2 reduction the gates partition the rows, so their squared magnitudes add up to the whole's. */
function expectGatesPartition(whole: number[][], gates: Record<string, number[][]>) {
  whole.forEach((row, t) =>
    row.forEach((m, d) => {
      const fromGates = Math.sqrt(Object.values(gates).reduce((s, g) => s + g[t][d] ** 2, 0));
      expect(fromGates).toBeCloseTo(m, 5);
    }),
  );
}

describe('itemize on LSTM and GRU checkpoints, like vanilla', () => {
  for (const cell of Object.keys(GATES)) {
    it(`${cell}: itemized matrices sum to the gradient, on the fused and the reference engine`, async () => {
      for (const engine of ['auto', 'tfjs'] as const) {
        const out = await itemizeText(checkpoints[cell], TEXT, { reduction: 'none', engine });
        expect(out.cell).toBe(cell);
        expect(out.n).toBe([...TEXT].length - 1);
        for (const [name, rows] of Object.entries(out.itemized)) {
          const size = flat(out.gradients[name]).length;
          const sum = new Float64Array(size);
          rows.forEach((row, t) => {
            expect(row).toHaveLength(t + 1);
            for (const m of row) flat(m as Nested).forEach((v, i) => (sum[i] += v));
          });
          expect(relativeError(sum, flat(out.gradients[name]))).toBeLessThan(1e-5);
        }
      }
    });

    it(`${cell}: per-gate magnitudes with the same output fields as vanilla`, async () => {
      const out = await itemizeText(checkpoints[cell], TEXT, { reduction: 'l2' });
      const vanilla = await itemizeText(checkpoints.rnn, TEXT, { reduction: 'l2' });
      expect(Object.keys(out).filter((k) => k !== 'gates').sort()).toEqual(Object.keys(vanilla).sort());
      expect(Object.keys(out.itemized).sort()).toEqual(['bias_hh', 'bias_ih', 'weight_hh', 'weight_ih']);
      const gates = GATES[cell];
      if (!gates) {
        expect(out.gates).toBeUndefined();
        return;
      }
      for (const name of Object.keys(out.itemized)) {
        const g = (out as Required<ItemizeOutput>).gates[name];
        expect(Object.keys(g)).toEqual(gates);
        // itemize output is indexed [t][j]; the partition identity holds entry by entry.
        expectGatesPartition(out.itemized[name] as number[][], g);
      }
    });

    it(`${cell}: records.jsonl holds per-gate records for gated parameters`, () => {
      const records = readFileSync(path.join(runDirs[cell], 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(records).toHaveLength(4);
      const run = JSON.parse(readFileSync(path.join(runDirs[cell], 'run.json'), 'utf8'));
      const gates = GATES[cell];
      for (const r of records) {
        expect(r.cell).toBe(cell);
        expect(r.primary).toBe('weight_hh');
        for (const name of ['weight_hh', 'weight_ih', 'bias_hh', 'bias_ih']) {
          const p = r.params[name];
          expect(p.byDistance.map((row: number[]) => row.length)).toEqual(Array.from({ length: 10 }, (_, t) => Math.min(t, 3) + 1));
          if (!gates) {
            expect(p.gates).toBeUndefined();
            continue;
          }
          expect(Object.keys(p.gates)).toEqual(gates);
          expectGatesPartition(p.byDistance, p.gates);
        }
      }
      expect(run.itemizedParams.find((p: { name: string }) => p.name === 'weight_hh').gates).toEqual(gates);
    });

    it(`${cell}: the TensorBoard event files carry the same per-gate records`, async () => {
      const json = readFileSync(path.join(runDirs[cell], 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      const { records } = await new RunReader(runDirs[cell]).poll();
      expect(records.map((r) => r.batch)).toEqual(json.map((r) => r.batch));
      records.forEach((r, i) => {
        for (const [name, p] of Object.entries(r.params)) {
          expect(p.gates).toEqual(json[i].params[name].gates);
          expect(p.byDistance).toEqual(json[i].params[name].byDistance);
        }
      });
    });
  }

  it('`rnnbow itemize` writes the same fields for an LSTM checkpoint from the command line', () => {
    requireBuild();
    const out = path.join(root, 'lstm-itemized.json');
    const r = runCli(['itemize', '--checkpoint', checkpoints.lstm, '--text', TEXT, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    // The line gives the loss per character, as train does; the file keeps the sum.
    expect(r.stdout).toBe(`itemized 24 steps of a "lstm" model (loss ${(json.loss / 24).toFixed(4)} per character) -> ${out}\n`);
    expect(Object.keys(json).sort()).toEqual(['cell', 'format', 'gates', 'gradients', 'itemized', 'loss', 'losses', 'n', 'predictions', 'reduction', 'text', 'version']);
    expect(Object.keys(json.gates.weight_hh)).toEqual(['i', 'f', 'g', 'o']);
    expect(json.gradients.weight_hh).toHaveLength(24); // [4H, H] = [24, 6]
  });
});
