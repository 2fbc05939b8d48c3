import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RnnbowError } from '../../../src/core/errors.js';
import { tensorboardExporter } from '../../../src/exporters/tensorboard/index.js';
import { EventFileReader } from '../../../src/exporters/tensorboard/reader-event-file.js';
import { formatInspectReport, inspectLogdir } from '../../../src/exporters/tensorboard/inspect.js';
import { listRuns, RunReader } from '../../../src/exporters/tensorboard/reader-run.js';
import { EventFileWriter } from '../../../src/exporters/tensorboard/event-file-writer.js';
import { SummaryWriter } from '../../../src/exporters/tensorboard/summary-writer.js';
import { recordValue, runInfoValue } from '../../../src/exporters/tensorboard/record-summaries.js';
import { int64ToNumber, tensorboardProtos } from '../../../src/exporters/tensorboard/proto.js';
import { sampleRunInfo, syntheticRecord, tempDir } from './helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Writes a run folder with RunInfo and `count` records; returns the event file and record offsets. */
async function writeRecords(dir: string, count: number, runId = 'r') {
  fs.mkdirSync(dir, { recursive: true });
  const file = EventFileWriter.open(dir, { flushIntervalMs: 0 });
  const w = new SummaryWriter(file);
  w.write(0, 0, [runInfoValue(sampleRunInfo({ runId }))]);
  const records = Array.from({ length: count }, (_, i) => ({ ...syntheticRecord(i), runId }));
  for (const r of records) w.write(r.batch, r.wallTime, [recordValue(r)]);
  await file.close();
  const offsets = (await new EventFileReader(file.path).readNew()).events.map((e) => e.offset);
  // offsets[0] = file_version, [1] = run info, [2..] = records
  return { path: file.path, records, recordOffsets: offsets.slice(2) };
}

describe('reading damaged and growing event files', () => {
  it('skips a record with a flipped byte, reports file and offset, and reads the rest', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const { path, records, recordOffsets } = await writeRecords(tmp.dir, 5);
    const bytes = fs.readFileSync(path);
    const at = recordOffsets[2] + 40;
    bytes[at] ^= 0x10;
    fs.writeFileSync(path, bytes);
    const reader = new RunReader(tmp.dir);
    const update = await reader.poll();
    expect(update.records.map((r) => r.batch)).toEqual([0, 1, 3, 4]);
    expect(update.records[2]).toEqual(records[3]);
    expect(update.problems).toEqual([{ kind: 'corrupt-record', file: path, offset: recordOffsets[2], message: expect.stringContaining('CRC') }]);
  });

  it('resyncs after a damaged length field', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const { path, recordOffsets } = await writeRecords(tmp.dir, 4);
    const bytes = fs.readFileSync(path);
    bytes[recordOffsets[1] + 1] ^= 0xff;
    fs.writeFileSync(path, bytes);
    const update = await new RunReader(tmp.dir).poll();
    expect(update.records.map((r) => r.batch)).toEqual([0, 2, 3]);
    expect(update.problems).toHaveLength(1);
    expect(update.problems[0]).toMatchObject({ kind: 'corrupt-record', offset: recordOffsets[1] });
    expect(update.problems[0].message).toContain(`skipped ${recordOffsets[2] - recordOffsets[1]} bytes`);
  });

  it('skips a truncated tail, then picks the record up once it is complete', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const { path, recordOffsets } = await writeRecords(tmp.dir, 3);
    const full = fs.readFileSync(path);
    const cut = recordOffsets[2] + 30;
    fs.writeFileSync(path, full.subarray(0, cut));
    const reader = new RunReader(tmp.dir);
    const first = await reader.poll();
    expect(first.records.map((r) => r.batch)).toEqual([0, 1]);
    expect(first.problems).toEqual([]);
    expect(reader.pendingProblems()).toEqual([{ kind: 'truncated-tail', file: path, offset: recordOffsets[2], message: expect.stringContaining('incomplete last record') }]);
    fs.appendFileSync(path, full.subarray(cut));
    const second = await reader.poll();
    expect(second.records.map((r) => r.batch)).toEqual([2]);
    expect(second.problems).toEqual([]);
    expect(reader.pendingProblems()).toEqual([]);
  });

  it('resumes from a saved cursor in a new reader', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const { path, recordOffsets } = await writeRecords(tmp.dir, 4);
    const full = fs.readFileSync(path);
    fs.writeFileSync(path, full.subarray(0, recordOffsets[2] + 5));
    const a = new EventFileReader(path);
    const ra = await a.readNew();
    expect(ra.events).toHaveLength(4);
    expect(ra.pendingBytes).toBe(5);
    const saved = JSON.parse(JSON.stringify(a.cursor));
    fs.writeFileSync(path, full);
    const b = new EventFileReader(path, saved);
    const rb = await b.readNew();
    expect(rb.events.map((e) => e.offset)).toEqual(recordOffsets.slice(2));
    expect(rb.problems).toEqual([]);
  });

  it('follows a file while a live exporter appends and flushes', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const exporter = tensorboardExporter.create({ flushIntervalMs: 0, images: false });
    await exporter.open(sampleRunInfo(), tmp.dir);
    const reader = new RunReader(tmp.dir);
    const seen: number[] = [];
    for (let b = 0; b < 5; b++) {
      exporter.writeRecord(syntheticRecord(b));
      await exporter.flush();
      const u = await reader.poll();
      seen.push(...u.records.map((r) => r.batch));
      expect(u.problems).toEqual([]);
      if (b === 0) expect(u.runInfo?.runId).toBe('rnn-test');
    }
    await exporter.close({ batches: 5, finalLoss: 1, records: 5, status: 'completed' });
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('reports an Event that fails to parse although its CRCs pass', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const w = EventFileWriter.open(tmp.dir, { flushIntervalMs: 0 });
    w.writeEncoded(Buffer.from([0x0a, 0xff, 0xff])); // field 1 as length-delimited with a bogus length
    w.write({ wallTime: 1, step: 1 });
    await w.close();
    const res = await new EventFileReader(w.path).readNew();
    expect(res.events).toHaveLength(2);
    expect(res.problems).toEqual([expect.objectContaining({ kind: 'bad-event' })]);
  });
});

describe('inspectLogdir', () => {
  it('lists runs, tags, plugins and steps, reports problems and ignored files, and carries on', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const logdir = tmp.dir;
    // A healthy run written by the exporter.
    const exporter = tensorboardExporter.create({ flushIntervalMs: 0 });
    fs.mkdirSync(join(logdir, 'good'));
    await exporter.open(sampleRunInfo({ runId: 'good' }), join(logdir, 'good'));
    for (let b = 0; b < 4; b++) exporter.writeScalars(b, { loss: 2 - b / 10 }, b);
    exporter.writeRecord({ ...syntheticRecord(2), runId: 'good' });
    await exporter.close({ batches: 4, finalLoss: 1.7, records: 1, status: 'completed' });
    // A damaged run: flipped byte in the middle, truncated tail, an empty event file beside it.
    const { path, recordOffsets } = await writeRecords(join(logdir, 'nested', 'damaged'), 4, 'damaged');
    const bytes = fs.readFileSync(path);
    bytes[recordOffsets[1] + 50] ^= 0x01;
    fs.writeFileSync(path, bytes.subarray(0, bytes.length - 7));
    fs.writeFileSync(join(logdir, 'nested', 'damaged', 'events.out.tfevents.0000000001.host.1.0.v2'), '');
    // Files that are not event files.
    fs.writeFileSync(join(logdir, 'notes.txt'), 'hello');
    fs.writeFileSync(join(logdir, 'good', 'checkpoint.json'), '{}');

    const report = await inspectLogdir(logdir);
    expect(report.runs.map((r) => r.name)).toEqual(['good', 'nested/damaged']);
    expect(report.ignoredFiles.sort()).toEqual(['good/checkpoint.json', 'notes.txt']);
    const good = report.runs[0];
    expect(good.records).toBe(1);
    expect(good.status).toBe('completed');
    expect(good.runInfo?.runId).toBe('good');
    expect(good.plugins).toEqual(['custom_scalars', 'histograms', 'hparams', 'images', 'rnnbow', 'scalars', 'text']);
    expect(good.tags.find((t) => t.tag === 'loss/train')).toEqual({ tag: 'loss/train', plugin: 'scalars', count: 4, firstStep: 0, lastStep: 3 });
    const damaged = report.runs[1];
    expect(damaged.files).toHaveLength(2);
    expect(damaged.records).toBe(2); // records 0 and 2; 1 is corrupt, 3 is cut short
    expect(report.problems.map((p) => [p.kind, p.offset])).toEqual(
      expect.arrayContaining([
        ['empty-file', 0],
        ['corrupt-record', recordOffsets[1]],
        ['truncated-tail', recordOffsets[3]],
      ]),
    );
    expect(report.problems).toHaveLength(3);

    const text = formatInspectReport(report);
    expect(text).toContain('2 runs, 3 problems, 2 ignored files');
    expect(text).toMatch(/run good: 1 event file, .* steps 0\.\.4/);
    expect(text).toMatch(/loss\/train\s+scalars\s+4\s+0\.\.3/);
    expect(text).toContain('records: 1 (batches 2), status completed');
    expect(text).toMatch(new RegExp(`nested/damaged/events[^ ]* @ ${recordOffsets[1]}: corrupt-record`));
    expect(text).toContain('notes.txt');
  });

  it('lists runs the way TensorBoard finds them', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    fs.mkdirSync(join(tmp.dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(join(tmp.dir, 'x.tfevents.1'), '');
    fs.writeFileSync(join(tmp.dir, 'a', 'b', 'events.out.tfevents.2'), '');
    fs.writeFileSync(join(tmp.dir, 'a', 'readme.md'), '');
    const listing = await listRuns(tmp.dir);
    expect(listing.runs.map((r) => [r.name, r.eventFiles])).toEqual([
      ['.', ['x.tfevents.1']],
      ['a/b', ['events.out.tfevents.2']],
    ]);
    expect(listing.ignoredFiles).toEqual(['a/readme.md']);
  });

  it('a missing logdir is a LOGDIR error', async () => {
    await expect(inspectLogdir('/nonexistent/rnnbow-logdir')).rejects.toThrow(RnnbowError);
    await expect(inspectLogdir('/nonexistent/rnnbow-logdir')).rejects.toMatchObject({ code: 'LOGDIR' });
  });

  it('an empty logdir reports no runs', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const report = await inspectLogdir(tmp.dir);
    expect(report.runs).toEqual([]);
    expect(formatInspectReport(report)).toContain('no event files found');
  });
});

describe('decoding files other writers wrote', () => {
  it('reads legacy simple_value and histo values the way TensorBoard converts them', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const w = EventFileWriter.open(tmp.dir, { flushIntervalMs: 0 });
    w.write({ wallTime: 1, step: 1, summary: { value: [{ tag: 'legacy', simpleValue: 0.5 }] } });
    w.write({
      wallTime: 2,
      step: 2,
      summary: { value: [{ tag: 'hist', histo: { min: -1, max: 2, num: 6, bucketLimit: [0, 1, 2, 3], bucket: [1, 2, 3, 0] } }] },
    });
    await w.close();
    const reader = new RunReader(tmp.dir);
    const { values } = await reader.poll();
    expect(values.map((v) => [v.tag, v.plugin])).toEqual([
      ['legacy', 'scalars'],
      ['hist', 'histograms'],
    ]);
    expect(reader.decode(values[0])).toEqual({ kind: 'scalar', value: 0.5 });
    expect(reader.decode(values[1])).toEqual({
      kind: 'histogram',
      buckets: [
        { left: -1, right: 0, count: 1 },
        { left: 0, right: 1, count: 2 },
        { left: 1, right: 2, count: 3 },
      ],
    });
    // Steps are int64 on the wire: large ones come back exactly.
    const big = tensorboardProtos().Event.decode(tensorboardProtos().Event.encode({ step: 2 ** 40 + 3 }));
    expect(int64ToNumber(big.step)).toBe(2 ** 40 + 3);
  });
});
