import * as fs from 'node:fs';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportError } from '../../../src/core/errors.js';
import { JSON_QUEUE_CHARS, JsonExporter } from '../../../src/exporters/json/json-exporter.js';
import type { LineFileSystem } from '../../../src/exporters/line-file.js';
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

  it('after a write fails, writes nothing more, and the next flush and the close report it', async () => {
    const dir = folder();
    // The second write of records.jsonl fails (a disk that filled up, an I/O error); every other works.
    let recordWrites = 0;
    let recordsFd = -1;
    const failing: LineFileSystem = {
      ...fs,
      openSync(file, flags) {
        const fd = fs.openSync(file, flags);
        if (file.endsWith('records.jsonl')) recordsFd = fd;
        return fd;
      },
      writeSync(fd, buffer, offset, length) {
        if (fd === recordsFd && ++recordWrites === 2) {
          throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' });
        }
        return fs.writeSync(fd, buffer, offset, length);
      },
    };
    const exporter = new JsonExporter(3600, failing);
    await exporter.open(sampleRunInfo(), dir);
    const n = 3 * enoughRecords();
    expect(() => {
      for (let b = 0; b < n; b++) exporter.writeRecord(syntheticRecord(b, { seed: b + 1 }));
    }).not.toThrow();
    const failure = await exporter.flush().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ExportError);
    expect((failure as ExportError).message).toMatch(/^cannot write .*records\.jsonl: /);
    // It stays failed: a later flush does not write the lines behind the lost ones.
    await expect(exporter.flush()).rejects.toBe(failure);
    await expect(exporter.close({ batches: n, finalLoss: 1, records: n, status: 'completed' })).rejects.toBe(failure);
    // The file holds the lines of the first write, in order, and nothing after the gap.
    const written = readFileSync(join(dir, 'records.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).batch);
    expect(written.length).toBeGreaterThan(0);
    expect(written.length).toBeLessThan(n);
    expect(written).toEqual(Array.from({ length: written.length }, (_, b) => b));
    expect(recordWrites).toBe(2);
    // A failed run does not claim to have completed.
    expect(existsSync(join(dir, 'summary.json'))).toBe(false);
  });
});
