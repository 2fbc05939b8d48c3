import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import { RnnbowError } from '../../src/core/errors.js';
import { itemizationWeight, lightenPart, splitBatch } from '../../src/core/engine/fused/batch-split.js';
import type { FusedCell } from '../../src/core/engine/fused/fused-cell.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import { fusedGru } from '../../src/core/engine/fused/gru-cell.js';
import { fusedLstm } from '../../src/core/engine/fused/lstm-cell.js';
import { fusedRnn } from '../../src/core/engine/fused/rnn-cell.js';
import { busyCoresNow, explicitThreadCount, idleCoreThreads, THREADS_ENV } from '../../src/core/engine/fused/thread-count.js';
import { zerosLike } from '../../src/core/params.js';
import { randomProblem, relativeError } from '../helpers/random-model.js';
import { thrownBy } from '../helpers/thrown-by.js';

/**
 * The fused engine split across worker threads must compute what the one-thread engine does:
 * the same losses, predictions and final state (each sequence's forward pass is the same
 * arithmetic on either thread), and the same gradient up to the order in which the parts'
 * sums are added (float32 rounding: relative error below 1e-5).
 */


const CELLS: [CellDefinition, FusedCell][] = [
  [vanillaCell, fusedRnn],
  [lstmCell, fusedLstm],
  [gruCell, fusedGru],
];

describe('splitBatch', () => {
  it('keeps small batches whole and splits larger ones into contiguous parts of near-equal size', () => {
    expect(splitBatch(7, 2)).toEqual([{ start: 0, count: 7 }]);
    expect(splitBatch(32, 1)).toEqual([{ start: 0, count: 32 }]);
    expect(splitBatch(8, 2)).toEqual([{ start: 0, count: 4 }, { start: 4, count: 4 }]);
    expect(splitBatch(33, 2)).toEqual([{ start: 0, count: 16 }, { start: 16, count: 17 }]);
    // No part below 4 sequences: 9 sequences on 8 threads use 2.
    expect(splitBatch(9, 8)).toEqual([{ start: 0, count: 4 }, { start: 4, count: 5 }]);
    for (const [B, t] of [[33, 3], [100, 7], [8, 4]]) {
      const parts = splitBatch(B, t);
      expect(parts.reduce((s, p) => s + p.count, 0)).toBe(B);
      parts.forEach((p, i) => expect(p.start).toBe(i === 0 ? 0 : parts[i - 1].start + parts[i - 1].count));
    }
  });
});

describe('lightenPart', () => {
  it('moves sequences off the itemizing part to a neighbour, never the itemized one, never all of them', () => {
    const parts = splitBatch(32, 2);
    // Sequence 3 stays in part 0, which hands its last two sequences to part 1.
    expect(lightenPart(parts, 0, 2, 3)).toEqual([{ start: 0, count: 14 }, { start: 14, count: 18 }]);
    // Sequence 15 would go along: part 0 has no previous part, so nothing moves.
    expect(lightenPart(parts, 0, 2, 15)).toEqual(parts);
    // The last part gives from its start to the one before it.
    expect(lightenPart(parts, 1, 3, 30)).toEqual([{ start: 0, count: 19 }, { start: 19, count: 13 }]);
    expect(lightenPart(parts, 1, 100, 31)).toEqual([{ start: 0, count: 31 }, { start: 31, count: 1 }]);
    expect(lightenPart(parts, 1, 0, 31)).toEqual(parts);
    const three = splitBatch(33, 3);
    const moved = lightenPart(three, 1, 2, 11);
    expect(moved.reduce((s, p) => s + p.count, 0)).toBe(33);
    moved.forEach((p, i) => expect(p.start).toBe(i === 0 ? 0 : moved[i - 1].start + moved[i - 1].count));
    expect(moved[1].count).toBe(9);
  });

  it('weighs a full itemization above a truncated one, and an LSTM row above a vanilla one relative to its step', () => {
    const full = itemizationWeight(25, null, 100, 100);
    const k5 = itemizationWeight(25, 5, 100, 100);
    expect(full).toBeGreaterThan(k5);
    expect(itemizationWeight(25, 24, 100, 100)).toBe(full);
    expect(itemizationWeight(25, null, 400, 100)).toBeGreaterThan(full);
  });
});

describe('thread count', () => {
  it('takes the option, then RNNBOW_THREADS (a number or auto), else the idle cores; rejects nonsense with a typed error', () => {
    const saved = process.env[THREADS_ENV];
    try {
      delete process.env[THREADS_ENV];
      expect(explicitThreadCount()).toBeNull();
      const idle = new FusedEngine(fusedRnn, { inputSize: 5, hiddenSize: 4 }).threads;
      expect(idle).toBeGreaterThanOrEqual(1);
      expect(idle).toBeLessThanOrEqual(availableParallelism());
      expect(idleCoreThreads(2, 0.3, 0)).toBe(2); // quiet machine, fresh process
      expect(idleCoreThreads(2, 1.1, 1)).toBe(2); // only our own training keeps a core busy
      expect(idleCoreThreads(2, 1.6, 0, () => 1.2)).toBe(1); // another process holds a core and more
      expect(idleCoreThreads(2, 4, 1, () => 2)).toBe(1); // CI beside us
      // The load average still counts a job that has just ended; the cores say they are free.
      expect(idleCoreThreads(2, 1.6, 0, () => 0.1)).toBe(2);
      // The cores are watched only when the load average says one is taken.
      const watched = () => {
        throw new Error('watched the cores on a quiet machine');
      };
      expect(idleCoreThreads(2, 0.3, 0, watched)).toBe(2);
      expect(idleCoreThreads(8, 2.5, 0.5, () => 2)).toBe(6);
      expect(idleCoreThreads(1, 0, 0)).toBe(1);
      process.env[THREADS_ENV] = 'auto';
      expect(explicitThreadCount()).toBe(Math.max(1, availableParallelism()));
      process.env[THREADS_ENV] = '1';
      expect(explicitThreadCount()).toBe(1);
      expect(explicitThreadCount(3)).toBe(3);
      expect(new FusedEngine(fusedRnn, { inputSize: 5, hiddenSize: 4 }).threads).toBe(1);
      process.env[THREADS_ENV] = 'two';
      expect(() => explicitThreadCount()).toThrow(RnnbowError);
      expect(() => explicitThreadCount(0)).toThrow(/positive whole number/);
    } finally {
      if (saved === undefined) delete process.env[THREADS_ENV];
      else process.env[THREADS_ENV] = saved;
    }
  });
});

describe('busyCoresNow', () => {
  it('counts a core that another process keeps busy', async () => {
    const child = spawn(process.execPath, ['-e', "process.stdout.write('go'); const end = Date.now() + 3000; while (Date.now() < end);"], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise<void>((started) => child.stdout!.once('data', () => started()));
      expect(busyCoresNow(200)).toBeGreaterThan(0.5);
    } finally {
      child.kill();
    }
  });
});

describe('fused engine on several threads', () => {
  for (const [cell, fused] of CELLS) {
    it(`${cell.name}: B = 8, 32, 33 on 2 and 3 threads match one thread (two batches, state carried)`, async () => {
      const dims = { inputSize: 11, hiddenSize: 10 };
      const n = 6;
      const single = new FusedEngine(fused, dims, { backend: 'wasm', threads: 1 });
      for (const threads of [2, 3]) {
        const threaded = new FusedEngine(fused, dims, { backend: 'wasm', threads });
        for (const B of [8, 32, 33]) {
          const { params, batch, state, rng } = randomProblem(cell, dims, n, B, 100 + B + threads);
          const g1 = zerosLike(params);
          const gT = zerosLike(params);
          const r1 = single.train(params, batch, state, g1);
          const rT = threaded.train(params, batch, state, gT);
          expect(rT.losses).toEqual(r1.losses);
          expect(rT.predictions).toEqual(r1.predictions);
          expect(rT.finalState).toEqual(r1.finalState);
          for (const name of Object.keys(params)) {
            expect(relativeError(gT[name].data, g1[name].data), `${name} B=${B} threads=${threads}`).toBeLessThan(1e-5);
          }
          // A second batch from the carried state, with changed parameters (as after an update).
          for (const name of Object.keys(params)) params[name].data.forEach((v, i, a) => (a[i] = v - 0.1 * g1[name].data[i]));
          const next = { ...batch, inputs: batch.inputs.map(() => rng.int(dims.inputSize)), targets: batch.targets.map(() => rng.int(dims.inputSize)) };
          const s1 = single.train(params, next, r1.finalState, g1);
          const sT = threaded.train(params, next, rT.finalState, gT);
          expect(sT.losses).toEqual(s1.losses);
          expect(sT.finalState).toEqual(s1.finalState);
          for (const name of Object.keys(params)) {
            expect(relativeError(gT[name].data, g1[name].data), `${name} second batch B=${B}`).toBeLessThan(1e-5);
          }
          // The same batch again gives bit-identical gradients: the parts are summed in a fixed order.
          const again = zerosLike(params);
          threaded.train(params, next, rT.finalState, again);
          for (const name of Object.keys(params)) expect(again[name].data).toEqual(gT[name].data);
        }
        expect(threaded.liveWorkers).toBe(threads - 1);
        threaded.dispose();
        await threaded.whenWorkersExited();
        expect(threaded.liveWorkers).toBe(0);
      }
    });
  }

  it('itemizes on the main thread whichever part holds the sequence, with the same records as one thread', async () => {
    const dims = { inputSize: 9, hiddenSize: 7 };
    const n = 5;
    const B = 12;
    const single = new FusedEngine(fusedLstm, dims, { backend: 'wasm', threads: 1 });
    const threaded = new FusedEngine(fusedLstm, dims, { backend: 'wasm', threads: 2 });
    const { params, batch, state } = randomProblem(lstmCell, dims, n, B, 5);
    for (const sequence of [0, 7, 11]) {
      for (const k of [2, null]) {
        const req = { sequence, k, reduction: 'l2' as const, residual: k !== null, full: k === null };
        const g1 = zerosLike(params);
        const gT = zerosLike(params);
        const a = single.train(params, batch, state, g1, req);
        const b = threaded.train(params, batch, state, gT, req);
        expect(b.itemized!.sequence).toBe(sequence);
        expect(b.losses).toEqual(a.losses);
        for (const name of Object.keys(params)) {
          expect(relativeError(gT[name].data, g1[name].data), name).toBeLessThan(1e-5);
          expect(relativeError(b.itemized!.gradient![name].data, a.itemized!.gradient![name].data), `sequence gradient ${name}`).toBeLessThan(1e-5);
        }
        for (const [name, p] of Object.entries(a.itemized!.params)) {
          const q = b.itemized!.params[name];
          p.byDistance.forEach((row, t) => row.forEach((v, d) => expect(q.byDistance[t][d]).toBeCloseTo(v, 5)));
          if (p.full) p.full.forEach((row, t) => row.forEach((m, d) => expect(relativeError(q.full![t][d], m)).toBeLessThan(1e-5)));
        }
      }
    }
    threaded.dispose();
    await threaded.whenWorkersExited();
    expect(threaded.liveWorkers).toBe(0);
  });

  it("reports a bad token in a worker's part as the one-thread engine does, and keeps working", async () => {
    const dims = { inputSize: 6, hiddenSize: 5 };
    const engine = new FusedEngine(fusedGru, dims, { backend: 'wasm', threads: 2 });
    const { params, batch, state } = randomProblem(gruCell, dims, 4, 8, 3);
    const bad = { ...batch, inputs: batch.inputs.slice() };
    bad.inputs[7 * 4 + 2] = 6; // sequence 7 is in the worker's part
    const err = thrownBy(() => engine.train(params, bad, state, zerosLike(params)));
    expect(err).toBeInstanceOf(RnnbowError);
    expect((err as RnnbowError).code).toBe('INPUT');
    expect((err as RnnbowError).message).toMatch(/outside the vocabulary/);
    const ok = engine.train(params, batch, state, zerosLike(params));
    const ref = new FusedEngine(fusedGru, dims, { backend: 'wasm', threads: 1 }).train(params, batch, state, zerosLike(params));
    expect(ok.losses).toEqual(ref.losses);
    engine.dispose();
    await engine.whenWorkersExited();
    expect(engine.liveWorkers).toBe(0);
  });

  it('a worker that dies mid-run fails that batch with a typed error, not a hang, and the engine goes on alone', async () => {
    const dims = { inputSize: 7, hiddenSize: 6 };
    const engine = new FusedEngine(fusedRnn, dims, { backend: 'wasm', threads: 2, workerTimeoutMs: 500 });
    const { params, batch, state } = randomProblem(vanillaCell, dims, 5, 8, 12);
    const first = engine.train(params, batch, state, zerosLike(params));
    expect(engine.liveWorkers).toBe(1);
    // Kill the worker the way an out-of-memory abort would: it never answers again.
    const pool = (engine as unknown as { pool: { slots: { worker: { terminate(): Promise<number> } }[] } }).pool;
    await pool.slots[0].worker.terminate();
    const err = thrownBy(() => engine.train(params, batch, state, zerosLike(params)));
    expect(err).toBeInstanceOf(RnnbowError);
    expect((err as RnnbowError).code).toBe('BACKEND');
    expect((err as RnnbowError).message).toMatch(/did not finish its part of the batch within 0.5 s/);
    expect((err as RnnbowError).hint).toMatch(/RNNBOW_THREADS=1/);
    expect(engine.threadsUnavailableReason).toMatch(/did not answer/);
    const again = engine.train(params, batch, state, zerosLike(params));
    expect(again.losses).toEqual(first.losses);
    engine.dispose();
  });

  it('runs on the JS kernels too, and a disposed engine goes on alone without starting workers', async () => {
    const dims = { inputSize: 7, hiddenSize: 6 };
    const single = new FusedEngine(fusedRnn, dims, { backend: 'js', threads: 1 });
    const threaded = new FusedEngine(fusedRnn, dims, { backend: 'js', threads: 2 });
    const { params, batch, state } = randomProblem(vanillaCell, dims, 5, 8, 9);
    const g1 = zerosLike(params);
    const gT = zerosLike(params);
    expect(threaded.train(params, batch, state, gT).losses).toEqual(single.train(params, batch, state, g1).losses);
    for (const name of Object.keys(params)) expect(relativeError(gT[name].data, g1[name].data)).toBeLessThan(1e-5);
    expect(threaded.liveWorkers).toBe(1);
    threaded.dispose();
    await threaded.whenWorkersExited();
    threaded.train(params, batch, state, gT);
    expect(threaded.liveWorkers).toBe(0);
  });
});
