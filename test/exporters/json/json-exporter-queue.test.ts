import { existsSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportError } from '../../../src/core/errors.js';
import { JSON_QUEUE_CHARS, JsonExporter } from '../../../src/exporters/json/json-exporter.js';
import { sampleRunInfo, syntheticRecord, tempDir } from '../tensorboard/helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function folder(): string {
  const t = tempDir('rnnbow-json-queue-');
  cleanups.push(t.cleanup);
  return t.dir;
}

/** Records until their lines add up to more than the queue holds. */
function enoughRecords(): number {
  const line = JSON.stringify(syntheticRecord(0, { seed: 1 })).length;
  return Math.ceil(JSON_QUEUE_CHARS / line) + 1;
}

describe('JSON exporter queue', () => {
  it('writes a file whose queue is full without waiting for the flush interval', async () => {
    const dir = folder();
    // An hour between timed flushes: only the queue's size can write the lines.
    const exporter = new JsonExporter(3600);
    await exporter.open(sampleRunInfo(), dir);
    const records = enoughRecords();
    for (let b = 0; b < records; b++) exporter.writeRecord(syntheticRecord(b, { seed: b + 1 }));
    const written = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(records);
    expect(JSON.parse(written[0]).batch).toBe(0);
    // The rest comes with the flush, in order, none twice.
    await exporter.close({ batches: records, finalLoss: 1, records, status: 'completed' });
    const all = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).batch);
    expect(all).toEqual(Array.from({ length: records }, (_, b) => b));
  });

  it('reports a write that fails when the queue is full at the next flush, not from writeRecord', async () => {
    if (!existsSync('/dev/full')) return expect.fail('the test needs /dev/full, a device every write to fails as a full disk');
    const dir = folder();
    const exporter = new JsonExporter(3600);
    // records.jsonl is opened for appending through the link, so every write finds the disk full.
    const records = join(dir, 'records.jsonl');
    symlinkSync('/dev/full', records);
    cleanups.push(() => rmSync(records, { force: true }));
    await exporter.open(sampleRunInfo(), dir);
    const n = enoughRecords();
    expect(() => {
      for (let b = 0; b < n; b++) exporter.writeRecord(syntheticRecord(b, { seed: b + 1 }));
    }).not.toThrow();
    const failure = await exporter.flush().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ExportError);
    expect((failure as ExportError).message).toBe(`cannot write ${records}: the disk is full`);
  });
});
