import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/builtins.js';
import { loadCheckpoint } from '../../src/core/checkpoint.js';
import type { Batch, EnginePreference } from '../../src/core/engine.js';
import { initParams } from '../../src/core/model.js';
import { SeededRandom } from '../../src/core/random.js';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { train } from '../../src/train/trainer.js';
import { tempDir } from '../helpers/temp.js';
import { expectFloored } from './compare.js';
import {
  batchGradientByDifferences,
  itemizeByDifferences,
  type Params64,
  REFERENCE_CELLS,
  reduceDirect,
  runSequence,
  toParams64,
  referenceResidual,
} from './reference-model.js';

/**
 * A whole training run replayed in float64, from the corpus text and the formulas alone: the
 * numbers a user sees in records.jsonl, scalars.jsonl and the final checkpoint.
 *
 * The replay cuts the text as README/stream-layout describe (B contiguous streams of L =
 * ⌊(T − 1)/B⌋ characters over the first T = len − ⌊0.1·len⌋ characters, batch k reads window
 * k mod ⌊L/n⌋ of each; the state is carried from batch to batch and zeroed when an epoch
 * starts over), takes the training gradient by central finite differences of (1/B) Σ L, clips to
 * the global norm and applies Adagrad (mem += g², θ -= lr·g/√(mem + 1e-8)). It itemizes the
 * recorded sequence by finite differences with respect to each step's copy of the weights, and
 * measures validation loss over the validation tail with its own carried state. The only code
 * shared with rnnbow is `initParams` with the run's seed (the starting point) and the run's
 * vocabulary (checked to be the text's characters).
 *
 * Covered: the periodic recorder's schedule with an inner truncated recorder (its byDistance,
 * residual, maxGradient, losses, predictions, inputs and targets), per-batch loss and gradNorm
 * scalars, clipping, the in-engine Adagrad (fused engine) and the standalone FusedOptimizer
 * (reference engine), carried state, the epoch reset, validation loss, and the final parameters.
 *
 * Tolerances: batch 0 uses the initial parameters exactly, so its numbers are held to the
 * engines' float32 accuracy (2e-4 above a floor of 1e-3 of the largest value, as in
 * itemized-vs-differences.test.ts). Later batches run on float32 parameters that have taken
 * float32 Adagrad steps; Adagrad divides by √mem, which at the first steps amplifies the
 * gradient's float32 error (~1e-7 of its largest entry) for entries whose gradient is small.
 * Measured drift after 9 steps: at most 1.3e-6 (records, scalars, final parameters relative to
 * each parameter's largest entry); the checks allow 1e-4. A skipped epoch reset or a missing
 * clip moves the losses by 1-3e-2 here, and a wrong rule by O(lr) = 0.1 per step.
 */

const N = 8;
const B = 2;
const H = 5;
const K = 2;
const EVERY = 3;
const VALIDATE_EVERY = 4;
const STEPS = 9;
const LR = 0.1;
const CLIP = 0.5;
const SEED = 5;

/** A small deterministic text: 156 characters of a 7-letter alphabet with some structure to learn. */
function corpusText(): string {
  const rng = new SeededRandom(9);
  const words = ['ab', 'cab', 'dead', 'bead', 'face', 'ace'];
  let text = '';
  while (text.length < 150) text += words[rng.int(words.length)] + (rng.int(4) === 0 ? '\n' : ' ');
  return text.slice(0, 156);
}

interface ReplayedBatch {
  loss: number;
  gradNorm: number;
  valLoss?: number;
  record?: { sequence: number; offset: number; inputs: number[]; targets: number[]; losses: number[]; predictions: number[]; byDistance: number[][]; residual: number[]; maxGradient: number };
}

/** Everything the run shows, recomputed in float64. */
function replay(cellName: string, start: Params64, ids: number[]) {
  const cell = REFERENCE_CELLS[cellName];
  const V = start['out.bias'].length;
  const trainLength = ids.length - Math.floor(ids.length * 0.1);
  const trainIds = ids.slice(0, trainLength);
  const valIds = ids.slice(trainLength);
  const L = Math.floor((trainLength - 1) / B);
  const perEpoch = Math.floor(L / N);
  const P: Params64 = Object.fromEntries(Object.entries(start).map(([k, v]) => [k, Float64Array.from(v)]));
  const mem: Params64 = Object.fromEntries(Object.entries(start).map(([k, v]) => [k, new Float64Array(v.length)]));
  const zero = () => Array.from({ length: cell.components }, () => new Float64Array(B * H));
  let state = zero();
  const out: ReplayedBatch[] = [];
  for (let k = 0; k < STEPS; k++) {
    const window = k % perEpoch;
    if (window === 0 && k > 0) state = zero();
    const offsets = Array.from({ length: B }, (_, b) => b * L + window * N);
    const batch: Batch = {
      batchSize: B,
      length: N,
      inputs: Int32Array.from(offsets.flatMap((o) => trainIds.slice(o, o + N))),
      targets: Int32Array.from(offsets.flatMap((o) => trainIds.slice(o + 1, o + N + 1))),
    };
    const state32 = state.map((c) => Float32Array.from(c));
    const seqs = offsets.map((_, b) => ({
      inputs: batch.inputs.subarray(b * N, (b + 1) * N),
      targets: batch.targets.subarray(b * N, (b + 1) * N),
      state: state32.map((c) => c.subarray(b * H, (b + 1) * H)),
    }));
    const runs = seqs.map((s) => runSequence(cell, () => P, s, H, V));
    const entry: ReplayedBatch = { loss: runs.flatMap((r) => r.losses).reduce((a, c) => a + c, 0) / (B * N), gradNorm: 0 };
    if (k % EVERY === 0) {
      const b = 1;
      const G = itemizeByDifferences(cell, P, seqs[b], ['weight_hh'], H, V).weight_hh;
      const byDistance = G.map((row, t) => Array.from({ length: Math.min(t, K) + 1 }, (_, d) => reduceDirect(row[t - d], 'l2')));
      const residual = referenceResidual(G, K, 'l2');
      const bars = new Array<number>(N).fill(0);
      byDistance.forEach((row, t) => row.forEach((m, d) => (bars[t - d] += Math.abs(m))));
      entry.record = {
        sequence: b,
        offset: offsets[b],
        inputs: Array.from(seqs[b].inputs),
        targets: Array.from(seqs[b].targets),
        losses: runs[b].losses,
        predictions: runs[b].predictions,
        byDistance,
        residual,
        maxGradient: Math.max(...bars),
      };
    }
    const g = batchGradientByDifferences(cell, P, batch, state32, H, V);
    let sq = 0;
    for (const v of Object.values(g)) for (const x of v) sq += x * x;
    entry.gradNorm = Math.sqrt(sq);
    const scale = entry.gradNorm > CLIP ? CLIP / entry.gradNorm : 1;
    for (const [name, theta] of Object.entries(P)) {
      for (let i = 0; i < theta.length; i++) {
        const gi = g[name][i] * scale;
        mem[name][i] += gi * gi;
        theta[i] -= (LR * gi) / Math.sqrt(mem[name][i] + 1e-8);
      }
    }
    state = zero();
    runs.forEach((r, b) => r.states[N].forEach((c, i) => state[i].set(c, b * H)));
    if ((k + 1) % VALIDATE_EVERY === 0) {
      // The validation tail: as many streams of n + 1 characters as fit (at most B), carried state from zero.
      const streams = Math.min(B, Math.floor((valIds.length - 1) / N));
      const vL = Math.floor((valIds.length - 1) / streams);
      let vState: Float64Array[][] = Array.from({ length: cell.components }, () => Array.from({ length: streams }, () => new Float64Array(H)));
      let sum = 0;
      let count = 0;
      for (let w = 0; w < Math.min(Math.floor(vL / N), 20); w++) {
        const next: Float64Array[][] = vState.map((c) => c.map(() => new Float64Array(H)));
        for (let s = 0; s < streams; s++) {
          const o = s * vL + w * N;
          const run = runSequence(cell, () => P, { inputs: valIds.slice(o, o + N), targets: valIds.slice(o + 1, o + N + 1), state: vState.map((c) => c[s]) }, H, V);
          for (const l of run.losses) sum += l;
          count += N;
          run.states[N].forEach((c, i) => (next[i][s] = c));
        }
        vState = next;
      }
      entry.valLoss = sum / count;
    }
    out.push(entry);
  }
  return { batches: out, params: P, perEpoch };
}

const dir = tempDir('rnnbow-replay-');
const text = corpusText();
const corpusFile = path.join(dir, 'corpus.txt');
writeFileSync(corpusFile, text);

describe('a training run replayed in float64 from the text and the formulas', () => {
  const cases: [string, EnginePreference][] = [
    ['rnn', 'auto'],
    ['lstm', 'auto'],
    ['rnn', 'tfjs'],
  ];
  for (const [cellName, engine] of cases) {
    it(`${cellName} on the ${engine === 'tfjs' ? 'reference engine with the standalone optimizer' : 'fused engine with its own optimizer'}: records, scalars and the final parameters`, async () => {
      const result = await train({
        cell: cellName,
        hiddenSize: H,
        seqLength: N,
        batchSize: B,
        steps: STEPS,
        optimizer: 'adagrad',
        lr: LR,
        clip: CLIP,
        seed: SEED,
        engine,
        backend: 'cpu',
        recorder: { name: 'periodic', options: { every: EVERY, inner: { name: 'truncated', options: { k: K } } } },
        recordSequence: 1,
        corpus: { paths: [corpusFile], validationFraction: 0.1 },
        exporters: ['json'],
        logdir: path.join(dir, 'runs'),
        runName: `${cellName}-${engine}`,
        logEvery: 1,
        validateEvery: VALIDATE_EVERY,
        sampleEvery: 0,
        checkpointEvery: 0,
      });
      const run = readJsonRun(result.runDir);
      const vocab = run.run.vocab;
      expect([...vocab].sort()).toEqual([...new Set(text)].sort());
      const ids = [...text].map((ch) => vocab.indexOf(ch));
      const registry = await createRegistry();
      const cell = registry.cell(cellName);
      const start = toParams64(initParams(cell, { inputSize: vocab.length, hiddenSize: H }, new SeededRandom(SEED)));
      const want = replay(cellName, start, ids);
      // The run must cross an epoch (so the state reset is exercised) and clip at least once.
      expect(want.perEpoch).toBeLessThan(STEPS);
      expect(want.batches.filter((b) => b.gradNorm > CLIP).length).toBeGreaterThan(0);

      const tol = (batch: number) => (batch === 0 ? 2e-4 : 1e-4);
      expect(run.records.map((r) => r.batch)).toEqual(want.batches.flatMap((b, k) => (b.record ? [k] : [])));
      for (const r of run.records) {
        const w = want.batches[r.batch].record!;
        const what = `${cellName} ${engine} record ${r.batch}`;
        expect(r.sequence, what).toBe(w.sequence);
        expect(r.k, what).toBe(K);
        expect(r.corpusOffset, `${what} offset`).toBe(w.offset);
        expect(r.inputs, `${what} inputs`).toEqual(w.inputs);
        expect(r.targets, `${what} targets`).toEqual(w.targets);
        expect(r.predictions, `${what} predictions`).toEqual(w.predictions);
        expectFloored(r.losses, w.losses, tol(r.batch), 0, `${what} losses`);
        expectFloored(r.params.weight_hh.byDistance.flat(), w.byDistance.flat(), tol(r.batch), 1e-3, `${what} byDistance`);
        const resScale = 1e-3 * Math.max(...w.byDistance.flat());
        const resErr = Math.max(...w.residual.map((v, j) => Math.abs(r.params.weight_hh.residual![j] - v) / Math.max(v, resScale)));
        expect(resErr, `${what} residual`).toBeLessThanOrEqual(tol(r.batch));
        expect(Math.abs(r.maxGradient - w.maxGradient) / w.maxGradient, `${what} maxGradient`).toBeLessThanOrEqual(tol(r.batch));
      }
      expect(run.scalars.map((s) => s.batch)).toEqual(want.batches.map((_, k) => k));
      run.scalars.forEach((s, k) => {
        const w = want.batches[k];
        const what = `${cellName} ${engine} scalars of batch ${k}`;
        expect(Math.abs(s.loss - w.loss) / w.loss, `${what}: loss`).toBeLessThanOrEqual(tol(k));
        expect(Math.abs(s.gradNorm! - w.gradNorm) / w.gradNorm, `${what}: gradNorm`).toBeLessThanOrEqual(tol(k));
        expect(s.valLoss === undefined, `${what}: valLoss measured`).toBe(w.valLoss === undefined);
        if (w.valLoss !== undefined) expect(Math.abs(s.valLoss! - w.valLoss) / w.valLoss, `${what}: valLoss`).toBeLessThanOrEqual(1e-4);
      });
      expect(result.summary.finalValLoss).toBe(run.scalars.filter((s) => s.valLoss !== undefined).at(-1)!.valLoss);
      const saved = loadCheckpoint(result.checkpoint, (n) => registry.cell(n));
      for (const [name, theta] of Object.entries(want.params)) expectFloored(saved.params[name].data, theta, 1e-4, 1, `${cellName} ${engine} final ${name}`);
    });
  }
});
