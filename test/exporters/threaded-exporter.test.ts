import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportError } from '../../src/core/errors.js';
import type { Exporter, ExporterDefinition } from '../../src/core/exporter.js';
import type { BatchRecord } from '../../src/core/record.js';
import { JsonExporter, jsonExporter } from '../../src/exporters/json/json-exporter.js';
import { RunReader } from '../../src/exporters/tensorboard/reader-run.js';
import { tensorboardExporter } from '../../src/exporters/tensorboard/index.js';
import { createRunExporter, EXPORT_THREAD_ENV, MAX_QUEUED_RECORDS, ThreadedExporter } from '../../src/exporters/threaded-exporter.js';
import { sampleRunInfo, syntheticRecord, tempDir } from './tensorboard/helpers.js';

const SUMMARY = { batches: 3, finalLoss: 1.5, records: 3, status: 'completed' as const };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function folder(): string {
  const t = tempDir('rnnbow-export-thread-');
  cleanups.push(t.cleanup);
  return t.dir;
}

/** The same calls, in the same order, that a short run makes. */
async function drive(exporter: Exporter, dir: string, records: number): Promise<void> {
  await exporter.open(sampleRunInfo(), dir);
  for (let b = 0; b < records; b++) {
    // Several scalars per record, so that some go in full messages of held calls and some with the next record.
    for (let s = 0; s < 5; s++) exporter.writeScalars(b * 5 + s, { loss: 2 - b / 10 - s / 100, gradNorm: 0.5 + b }, 1_700_000_000 + b * 5 + s);
    exporter.writeRecord(syntheticRecord(b, { seed: b + 1 }));
    if (b % 4 === 3) exporter.writeSample(b, `sample ${b}: ab\n|a`, 1_700_000_000 + b);
  }
  await exporter.flush();
  await exporter.close(SUMMARY);
}

const files = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('ThreadedExporter', () => {
  it('JSON on its own thread writes the same files as on the training thread', async () => {
    const here = folder();
    const there = folder();
    await drive(new JsonExporter(), here, 12);
    await drive(new ThreadedExporter('json', {}), there, 12);
    const a = files(here);
    expect(Object.keys(a).sort()).toEqual(['records.jsonl', 'run.json', 'samples.jsonl', 'scalars.jsonl', 'summary.json']);
    expect(a['records.jsonl'].split('\n').filter(Boolean)).toHaveLength(12);
    expect(files(there)).toEqual(a);
  });

  it('counts how long its thread was at work from open on: the rendering, not the hand-off', async () => {
    const exporter = new ThreadedExporter('tensorboard', {});
    const started = performance.now();
    await exporter.open(sampleRunInfo(), folder());
    const opened = exporter.busySeconds();
    for (let b = 0; b < 40; b++) exporter.writeRecord(syntheticRecord(b, { seed: b + 1, n: 25 }));
    await exporter.flush();
    const busy = exporter.busySeconds();
    const wall = (performance.now() - started) / 1000;
    // Forty rendered records are real work, done on the thread within the time that passed here.
    expect(busy).toBeGreaterThan(opened);
    expect(busy).toBeGreaterThan(0.005);
    expect(busy).toBeLessThanOrEqual(wall);
    await exporter.close(SUMMARY);
    // A thread that has exited reads as idle; the exporter keeps what it last read instead.
    expect(exporter.busySeconds()).toBeGreaterThanOrEqual(busy);
  });

  it('TensorBoard on its own thread writes the same values and records', async () => {
    const here = folder();
    const there = folder();
    await drive(tensorboardExporter.create({}), here, 6);
    await drive(new ThreadedExporter('tensorboard', {}), there, 6);
    const read = async (dir: string) => {
      const update = await new RunReader(dir).poll();
      // The session's end is stamped with the time close() ran; everything else with the times given.
      const when = (v: { tag: string; wallTime: number }) => (v.tag === '_hparams_/session_end_info' ? 'close' : v.wallTime);
      return { values: update.values.map((v) => [v.tag, v.step, when(v), v.plugin]), records: update.records };
    };
    const a = await read(here);
    expect(a.records).toHaveLength(6);
    expect(a.values.length).toBeGreaterThan(6 * 4);
    expect(await read(there)).toEqual(a);
  });

  it('flushSync returns only once everything written before it is on disk', async () => {
    const dir = folder();
    const exporter = new ThreadedExporter('json', { flushSeconds: 3600 });
    await exporter.open(sampleRunInfo(), dir);
    for (let b = 0; b < 5; b++) exporter.writeRecord(syntheticRecord(b));
    exporter.flushSync();
    expect(readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(5);
    await exporter.close(SUMMARY);
  });

  it('records written faster than the thread renders them all arrive, in order, with the queue bounded', async () => {
    const dir = folder();
    const exporter = new ThreadedExporter('tensorboard', {});
    await exporter.open(sampleRunInfo(), dir);
    const count = MAX_QUEUED_RECORDS * 4;
    let most = 0;
    for (let b = 0; b < count; b++) {
      exporter.writeRecord(syntheticRecord(b, { n: 25, k: null }));
      most = Math.max(most, exporter.queuedRecords);
    }
    // The thread renders a record in about a millisecond, far slower than this loop hands them over.
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(MAX_QUEUED_RECORDS + 1);
    await exporter.close(SUMMARY);
    const { records } = await new RunReader(dir).poll();
    expect(records.map((r) => r.batch)).toEqual(Array.from({ length: count }, (_, b) => b));
  });

  it('an unwritable folder fails open with the ExportError the exporter itself raises', async () => {
    const missing = join(folder(), 'no', 'such', 'folder');
    const local = await new JsonExporter().open(sampleRunInfo(), missing).catch((e: unknown) => e);
    const threaded = new ThreadedExporter('json', {});
    const remote = await threaded.open(sampleRunInfo(), missing).catch((e: unknown) => e);
    await threaded.terminate();
    expect(local).toBeInstanceOf(ExportError);
    expect(remote).toBeInstanceOf(ExportError);
    expect((remote as ExportError).message).toBe((local as ExportError).message);
    expect((remote as ExportError).hint).toBe((local as ExportError).hint);
  });

  it('a write that fails in the thread fails the next flush, and the writes after it still arrive', async () => {
    const dir = folder();
    const exporter = new ThreadedExporter('json', {});
    await exporter.open(sampleRunInfo(), dir);
    // JSON cannot hold a BigInt: the thread's stringify throws, as it would on the training thread.
    exporter.writeRecord({ ...syntheticRecord(0), batch: 10n as unknown as number } as BatchRecord);
    exporter.writeRecord(syntheticRecord(1));
    await expect(exporter.flush()).rejects.toThrow(/BigInt/);
    await expect(exporter.close(SUMMARY)).rejects.toThrow(/BigInt/);
    const lines = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => (JSON.parse(l) as BatchRecord).batch)).toEqual([1]);
  });

  it('a thread that answers close and exits is not a failure, whichever event this thread sees first', async () => {
    const dir = folder();
    const exporter = new ThreadedExporter('json', {});
    await exporter.open(sampleRunInfo(), dir);
    const closing = exporter.close(SUMMARY);
    // Block this thread while the export thread closes (its last file write is summary.json),
    // answers and exits; then deliver the exit first, as the event loop may (the answer is
    // still waiting in the port).
    const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    for (const deadline = Date.now() + 30_000; !existsSync(join(dir, 'summary.json')) && Date.now() < deadline; ) sleep(5);
    sleep(100);
    (exporter as unknown as { worker: { emit(event: string, code: number): void } }).worker.emit('exit', 0);
    await expect(closing).resolves.toBeUndefined();
  });

  it('a thread that cannot start answers every request with the reason instead of leaving it waiting', async () => {
    // createRunExporter checks options first; constructed directly, the bad option fails in the thread.
    const exporter = new ThreadedExporter('json', { flushSeconds: 'soon' });
    await expect(exporter.open(sampleRunInfo(), folder())).rejects.toThrow(/could not start.*flushSeconds/);
    for (let b = 0; b < MAX_QUEUED_RECORDS * 2; b++) exporter.writeRecord(syntheticRecord(b));
    expect(() => exporter.flushSync()).toThrow(/could not start/);
    await expect(exporter.close(SUMMARY)).rejects.toThrow(/could not start/);
  });

  it('calls after close fail with an ExportError instead of vanishing', async () => {
    const exporter = new ThreadedExporter('json', {});
    await exporter.open(sampleRunInfo(), folder());
    await exporter.close(SUMMARY);
    expect(() => exporter.writeRecord(syntheticRecord(0))).toThrow(ExportError);
  });
});

describe('createRunExporter', () => {
  const saved = process.env[EXPORT_THREAD_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[EXPORT_THREAD_ENV];
    else process.env[EXPORT_THREAD_ENV] = saved;
  });

  it('puts the built-in exporters on a thread, keeps plugin exporters here, and checks options first', async () => {
    const json = createRunExporter(jsonExporter, {});
    const tb = createRunExporter(tensorboardExporter, {});
    expect(json).toBeInstanceOf(ThreadedExporter);
    expect(tb).toBeInstanceOf(ThreadedExporter);
    await (json as ThreadedExporter).terminate();
    await (tb as ThreadedExporter).terminate();
    const plugin: ExporterDefinition = { name: 'mine', description: 'test', create: () => new JsonExporter() };
    expect(createRunExporter(plugin, {})).toBeInstanceOf(JsonExporter);
    expect(() => createRunExporter(jsonExporter, { flushSeconds: 'soon' })).toThrow(/flushSeconds/);
  });

  it(`${EXPORT_THREAD_ENV}=0 keeps every exporter on the training thread`, () => {
    process.env[EXPORT_THREAD_ENV] = '0';
    expect(createRunExporter(jsonExporter, {})).toBeInstanceOf(JsonExporter);
  });
});
