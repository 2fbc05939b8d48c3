import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { loadCheckpoint } from '../../src/core/checkpoint.js';
import { createRegistry } from '../../src/builtins.js';
import { NonFiniteLossError } from '../../src/core/errors.js';
import { saveCheckpoint } from '../../src/core/checkpoint.js';
import { train } from '../../src/train/trainer.js';
import { smallCorpus, smallRunConfig, tempDir } from '../helpers/temp.js';

const dir = tempDir();
const corpus = smallCorpus(dir);
const base = smallRunConfig(dir, corpus);

describe('train()', () => {
  it('periodic(every=7, truncated k=2) records exactly the scheduled batches, with the planned k', async () => {
    const said: string[] = [];
    const res = await train(
      { ...base, steps: 30, recorder: { name: 'periodic', options: { every: 7, inner: { name: 'truncated', options: { k: 2 } } } } },
      { onMessage: (line) => said.push(line) },
    );
    expect(said[0]).toMatch(/^training rnn \(H=\d+, B=1, n=10\) on fused:(wasm-fma|wasm-simd|js)$/);
    const run = readJsonRun(res.runDir);
    expect(run.records.map((r) => r.batch)).toEqual([0, 7, 14, 21, 28]);
    for (const r of run.records) {
      expect(r.k).toBe(2);
      expect(r.params.weight_hh.byDistance[9]).toHaveLength(3);
      expect(r.params.weight_hh.residual).toHaveLength(10);
      expect(r.inputs).toHaveLength(10);
      // targets are the next characters of the inputs
      expect(r.inputs.slice(1)).toEqual(r.targets.slice(0, 9));
    }
    expect(run.scalars).toHaveLength(30);
    expect(run.summary?.status).toBe('completed');
    expect(run.summary?.records).toBe(5);
    // The run's duration and average speed, as the CLI's last line prints them.
    const { seconds, charsPerSec } = run.summary!;
    expect(seconds).toBeGreaterThan(0);
    expect(charsPerSec! * seconds!).toBeCloseTo(30 * run.run.batchSize * run.run.seqLength, 6);
    expect(run.run.vocab.length).toBeGreaterThan(20);
    expect(run.summary).not.toHaveProperty('finalValLoss');
  });

  it('ends with the last validation loss it measured', async () => {
    const said: string[] = [];
    const res = await train({ ...base, steps: 25, validateEvery: 10, runName: 'validated' }, { onMessage: (m) => said.push(m) });
    const run = readJsonRun(res.runDir);
    const measured = run.scalars.filter((s) => s.valLoss !== undefined);
    expect(measured.map((s) => s.batch)).toEqual([9, 19]);
    // The log names the batch as TensorBoard's step and the viewer do.
    expect(said.filter((m) => m.includes('validation loss'))).toEqual(measured.map((s) => `batch ${s.batch}: validation loss ${s.valLoss!.toFixed(4)}`));
    expect(measured[0].valLoss).not.toBe(measured[1].valLoss);
    expect(run.summary?.finalValLoss).toBe(measured[1].valLoss);
    expect(res.summary.finalValLoss).toBe(measured[1].valLoss);
  });

  it('records every batch with the full recorder, and the corpus offsets point at the inputs', async () => {
    const res = await train({ ...base, steps: 4, recorder: { name: 'full' }, runName: 'full-run' });
    const run = readJsonRun(res.runDir);
    expect(run.records.map((r) => r.batch)).toEqual([0, 1, 2, 3]);
    const text = readFileSync(corpus, 'utf8');
    for (const r of run.records) {
      expect(r.k).toBeNull();
      expect(r.params.weight_hh.byDistance[9]).toHaveLength(10);
      const decoded = r.inputs.map((id) => run.run.vocab[id]).join('');
      expect(text.slice(r.corpusOffset, r.corpusOffset + 10)).toBe(decoded);
    }
  });

  it('is deterministic for a seed: equal seeds give equal records, another seed differs', async () => {
    const strip = (dir: string) => readJsonRun(dir).records.map(({ wallTime: _w, runId: _r, ...rest }) => rest);
    const cfg = { ...base, steps: 12, recorder: { name: 'periodic', options: { every: 4 } } };
    const a = await train({ ...cfg, seed: 7, runName: 'seed-a' });
    const b = await train({ ...cfg, seed: 7, runName: 'seed-b' });
    const c = await train({ ...cfg, seed: 8, runName: 'seed-c' });
    expect(strip(a.runDir)).toEqual(strip(b.runDir));
    expect(strip(a.runDir)).not.toEqual(strip(c.runDir));
  });

  it('logs every logEvery-th batch and always the last one, so charts and HParams end at the run\'s last value', async () => {
    const run = readJsonRun((await train({ ...base, steps: 25, logEvery: 10, runName: 'log-last' })).runDir);
    expect(run.scalars.map((s) => s.batch)).toEqual([0, 10, 20, 24]);
    const exact = readJsonRun((await train({ ...base, steps: 21, logEvery: 10, runName: 'log-exact' })).runDir);
    expect(exact.scalars.map((s) => s.batch)).toEqual([0, 10, 20]);
  });

  it('logs the smoothed loss beside each batch loss, ending on the summary\'s finalLoss', async () => {
    const res = await train({ ...base, steps: 30, logEvery: 1, runName: 'smoothed' });
    const { scalars, summary } = readJsonRun(res.runDir);
    expect(scalars).toHaveLength(30);
    let ema = NaN;
    for (const s of scalars) {
      ema = Number.isNaN(ema) ? s.loss : 0.99 * ema + 0.01 * s.loss;
      expect(s.smoothedLoss).toBeCloseTo(ema, 12);
    }
    // A raw batch loss is not what the smoothed series settles on.
    expect(scalars.at(-1)!.smoothedLoss).not.toBe(scalars.at(-1)!.loss);
    expect(summary?.finalLoss).toBe(scalars.at(-1)!.smoothedLoss);
  });

  it('an aborted run ends interrupted, as a signal does', async () => {
    const ac = new AbortController();
    const res = await train({ ...base, steps: 50, runName: 'aborted' }, { signal: ac.signal, onProgress: (p) => (p.batch === 7 ? ac.abort() : undefined) });
    expect(res.summary).toMatchObject({ status: 'interrupted', batches: 7 });
    expect(readJsonRun(res.runDir).summary?.status).toBe('interrupted');
  });

  it('refuses to overwrite an existing run folder', async () => {
    await expect(train({ ...base, steps: 1, runName: 'full-run' })).rejects.toThrow(/already exists/);
  });

  it('keeps the number of live tensors flat over thousands of steps (reference engine)', async () => {
    const counts: number[] = [];
    const said: string[] = [];
    await train(
      { ...base, steps: 2000, engine: 'tfjs', seqLength: 5, hiddenSize: 4, recorder: { name: 'periodic', options: { every: 10 } }, sampleEvery: 500, validateEvery: 500 },
      { onProgress: (p) => (p.batch % 250 === 0 ? counts.push(tf.memory().numTensors) : undefined), onMessage: (line) => said.push(line) },
    );
    // The run says up front which engine trains it, and that the reference one is slow.
    expect(said[0]).toMatch(/^training rnn \(H=4, B=1, n=5\) on tfjs:\w+ — the reference engine, far slower than the fused one$/);
    expect(counts.length).toBe(8);
    expect(new Set(counts).size).toBe(1);
  });

  it('stops on a non-finite loss naming the batch, after flushing what was recorded', async () => {
    const first = await train({ ...base, steps: 2, runName: 'finite' });
    const registry = await createRegistry();
    const ckpt = loadCheckpoint(first.checkpoint, (n) => registry.cell(n));
    const json = JSON.parse(readFileSync(first.checkpoint, 'utf8'));
    json.params['out.weight'] = json.params['out.weight'].map((row: number[]) => row.map(() => 3e38));
    json.params['out.weight'][0] = json.params['out.weight'][0].map(() => -3e38);
    const bad = path.join(dir, 'exploding.json');
    saveCheckpoint(bad, json);
    expect(ckpt.vocab.length).toBeGreaterThan(0);
    const err = await train({ ...base, steps: 5, resume: bad, runName: 'nan', recorder: { name: 'full' } }).catch((e) => e);
    expect(err).toBeInstanceOf(NonFiniteLossError);
    expect(err.message).toMatch(/batch 2/);
    const run = readJsonRun(path.join(base.logdir, 'nan'));
    expect(run.records).toHaveLength(1);
    expect(run.records[0].losses.some((l) => !Number.isFinite(l))).toBe(true);
    expect(run.summary?.status).toBe('failed');
    // with onNonFinite=continue the run goes on
    const said: string[] = [];
    const cont = await train({ ...base, steps: 3, resume: bad, runName: 'nan-continue', onNonFinite: 'continue' }, { onMessage: (l) => said.push(l) });
    expect(cont.summary.status).toBe('completed');
    // Every batch of the exploded model is skipped: one line says so, the summary counts them all.
    expect(cont.summary.skippedBatches).toBe(3);
    expect(readJsonRun(cont.runDir).summary?.skippedBatches).toBe(3);
    expect(said.filter((l) => l.includes('loss is'))).toEqual([
      'batch 2: loss is NaN; skipping the update and resetting the state (--on-non-finite continue; later skips are counted, with a line at most every 10 s)',
    ]);
    expect(first.summary).not.toHaveProperty('skippedBatches');
  });

  it('resumes from a checkpoint: batch counter, data position, weights, optimizer state and carried state carry over', async () => {
    // Every run records every batch: the itemizer sums the training gradient in another order
    // than the plain backward pass, so a run recorded differently drifts by an ulp or so.
    const full = { name: 'full' };
    const a = await train({ ...base, steps: 20, runName: 'resume-a', recorder: full });
    const b = await train({ ...base, steps: 5, runName: 'resume-b', resume: a.checkpoint, recorder: full });
    const run = readJsonRun(b.runDir);
    expect(run.records[0].batch).toBe(20);
    const files = readdirSync(b.runDir);
    expect(files).toContain('checkpoint.json');
    // 20 + 5 batches in two runs are the 25 batches of one run, to the last float.
    const whole = readJsonRun((await train({ ...base, steps: 25, runName: 'resume-whole', recorder: full })).runDir);
    const tail = whole.records.slice(20);
    expect(run.records.map((r) => r.corpusOffset)).toEqual(tail.map((r) => r.corpusOffset));
    expect(run.records.map((r) => r.inputs)).toEqual(tail.map((r) => r.inputs));
    expect(run.records.map((r) => r.losses)).toEqual(tail.map((r) => r.losses));
    // The smoothed loss goes on too: the resumed run ends on the whole run's finalLoss.
    expect(b.summary.finalLoss).toBe(readJsonRun(path.join(base.logdir, 'resume-whole')).summary!.finalLoss);
    // Same text, so no warning; another --max-chars reads other windows, and says so.
    const said: string[] = [];
    await train({ ...base, steps: 1, runName: 'resume-same', resume: a.checkpoint, recorder: full }, { onMessage: (m) => said.push(m) });
    expect(said.filter((m) => /other text/.test(m))).toEqual([]);
    await train({ ...base, steps: 1, runName: 'resume-cut', resume: a.checkpoint, recorder: full, corpus: { ...base.corpus, maxChars: 1500 } }, { onMessage: (m) => said.push(m) });
    expect(said.filter((m) => /other text/.test(m))).toHaveLength(1);
  });

  it('a resumed run takes the optimizer, n and B the input leaves out from the checkpoint, as the CLI does', async () => {
    const { seqLength: _n, hiddenSize: _h, ...shapeless } = base;
    const a = await train({ ...base, steps: 4, batchSize: 3, seqLength: 7, optimizer: 'adam', runName: 'lib-shape-a', recorder: { name: 'full' } });
    const said: string[] = [];
    const b = await train({ ...shapeless, steps: 2, resume: a.checkpoint, runName: 'lib-shape-b', recorder: { name: 'full' } }, { onMessage: (m) => said.push(m) });
    expect([b.config.seqLength, b.config.batchSize, b.config.optimizer]).toEqual([7, 3, 'adam']);
    expect(said.filter((m) => /resuming with|state starts at zero/.test(m))).toEqual([]);
    // The streams go on: the first resumed sequence starts n characters after the last recorded one.
    const before = readJsonRun(a.runDir).records.at(-1)!.corpusOffset;
    expect(readJsonRun(b.runDir).records[0].corpusOffset).toBe(before + 7);
    // What the input does say wins, and is said.
    const c = await train({ ...shapeless, seqLength: 5, steps: 1, resume: a.checkpoint, runName: 'lib-shape-c' }, { onMessage: (m) => said.push(m) });
    expect(c.config.seqLength).toBe(5);
    expect(said.some((m) => /resuming with n=5: the checkpoint trained with n=7/.test(m))).toBe(true);
  });

  it('a checkpoint written every N batches, or when a callback fails, resumes after the last batch trained', async () => {
    const file = path.join(base.logdir, 'periodic-ckpt', 'checkpoint.json');
    let periodic: number | undefined;
    const failing = train(
      { ...base, steps: 30, checkpointEvery: 10, runName: 'periodic-ckpt', recorder: { name: 'full' } },
      {
        onProgress: (p) => {
          if (p.batch === 12) periodic = JSON.parse(readFileSync(file, 'utf8')).training.batch;
          if (p.batch === 15) throw new Error('callback failed');
        },
      },
    );
    // The caller gets its own error; the run ends failed with the 15 batches it trained.
    await expect(failing).rejects.toThrow('callback failed');
    expect(periodic).toBe(10);
    const run = readJsonRun(path.join(base.logdir, 'periodic-ckpt'));
    expect(run.summary).toMatchObject({ status: 'failed', batches: 15 });
    expect(JSON.parse(readFileSync(file, 'utf8')).training.batch).toBe(15);
    const resumed = readJsonRun((await train({ ...base, steps: 2, resume: file, runName: 'periodic-resumed', recorder: { name: 'full' } })).runDir);
    const whole = readJsonRun((await train({ ...base, steps: 17, runName: 'periodic-whole', recorder: { name: 'full' } })).runDir);
    expect(resumed.records.map((r) => r.batch)).toEqual([15, 16]);
    expect(resumed.records.map((r) => r.losses)).toEqual(whole.records.slice(15).map((r) => r.losses));
  });

  it('without checkpointEvery, writes a checkpoint every checkpointSeconds of training, not every N batches', async () => {
    const { checkpointEvery: _none, ...byTime } = base;
    const file = path.join(base.logdir, 'timed-ckpt', 'checkpoint.json');
    const seen = new Set<number>();
    const res = await train(
      { ...byTime, steps: 10_000_000, maxSeconds: 1.2, checkpointSeconds: 0.25, runName: 'timed-ckpt' },
      {
        onProgress: () => {
          if (existsSync(file)) seen.add(JSON.parse(readFileSync(file, 'utf8')).training.batch);
        },
      },
    );
    expect(res.config.checkpointEvery).toBeUndefined();
    // Saved during the run, a few times: more than the final save, far fewer than the batches.
    const during = [...seen].filter((b) => b < res.summary.batches);
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.length).toBeLessThanOrEqual(6);
    expect(JSON.parse(readFileSync(file, 'utf8')).training.batch).toBe(res.summary.batches);
    // 0 keeps only the final save.
    const never = new Set<number>();
    const endOnly = path.join(base.logdir, 'end-only-ckpt', 'checkpoint.json');
    await train({ ...byTime, steps: 300, checkpointSeconds: 0, runName: 'end-only-ckpt' }, { onProgress: () => void (existsSync(endOnly) && never.add(1)) });
    expect(never.size).toBe(0);
    expect(existsSync(endOnly)).toBe(true);
  });

  it('a failing onStart still ends the run with a summary', async () => {
    await expect(train({ ...base, steps: 5, runName: 'start-fails' }, { onStart: () => Promise.reject(new Error('no viewer')) })).rejects.toThrow('no viewer');
    expect(readJsonRun(path.join(base.logdir, 'start-fails')).summary).toMatchObject({ status: 'failed', batches: 0 });
  });

  it('a diverged model that skips every batch still reports progress and stops when asked', async () => {
    const stop = new AbortController();
    const progress: number[] = [];
    const started = Date.now();
    setTimeout(() => stop.abort(), 400);
    const res = await train(
      { ...base, steps: 10_000_000, maxSeconds: 30, optimizer: 'adam', lr: 1e36, clip: 1e38, onNonFinite: 'continue', recorder: { name: 'full' }, runName: 'nan-storm' },
      { signal: stop.signal, onProgress: (p) => progress.push(p.batch) },
    );
    // Stopped by the signal long before its 30 s, not at the end of them.
    expect(res.summary.status).toBe('interrupted');
    expect((Date.now() - started) / 1000).toBeLessThan(20);
    expect(res.summary.skippedBatches).toBeGreaterThan(10);
    // Every batch, skipped or not, was reported.
    expect(progress).toHaveLength(res.summary.batches);
    expect(readJsonRun(res.runDir).records.length).toBe(res.summary.records);
  });

  it('never writes a checkpoint of non-finite weights: the last finite one stays', async () => {
    const said: string[] = [];
    const exploding = train({ ...base, steps: 50, optimizer: 'adam', lr: 1e36, clip: 1e38, checkpointEvery: 1, runName: 'exploding' }, { onMessage: (l) => said.push(l) });
    await expect(exploding).rejects.toBeInstanceOf(NonFiniteLossError);
    const registry = await createRegistry();
    const ckpt = loadCheckpoint(path.join(base.logdir, 'exploding', 'checkpoint.json'), (n) => registry.cell(n));
    for (const p of Object.values(ckpt.params)) expect(p.data.every(Number.isFinite)).toBe(true);
    expect(said.some((l) => /parameters are not finite; .*checkpoint\.json keeps the last finite checkpoint$/.test(l))).toBe(true);
  });
});
