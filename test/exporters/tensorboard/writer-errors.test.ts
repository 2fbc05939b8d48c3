import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExportError } from '../../../src/core/errors.js';
import { EventFileWriter, type WriterFileSystem } from '../../../src/exporters/tensorboard/event-file-writer.js';
import { parseTensorBoardOptions, TensorBoardExporter, tensorboardExporter } from '../../../src/exporters/tensorboard/index.js';
import { RunReader } from '../../../src/exporters/tensorboard/reader-run.js';
import { scalarValue } from '../../../src/exporters/tensorboard/summaries.js';
import { sampleRunInfo, syntheticRecord, tempDir } from './helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  vi.useRealTimers();
});

/** node:fs, except that the disk is "full" once `capacity` bytes have been written (a partial write first). */
function fullDisk(capacity: number): WriterFileSystem & { used: number } {
  const state = {
    used: 0,
    openSync: (p: string, f: string) => fs.openSync(p, f),
    writeSync(fd: number, buf: Uint8Array, off: number, len: number): number {
      const room = capacity - state.used;
      if (room <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = fs.writeSync(fd, buf, off, Math.min(len, room));
      state.used += n;
      return n;
    },
    ftruncateSync: (fd: number, len: number) => fs.ftruncateSync(fd, len),
    fsyncSync: (fd: number) => fs.fsyncSync(fd),
    closeSync: (fd: number) => fs.closeSync(fd),
  };
  return state;
}

describe('event file writer failures', () => {
  it('an unwritable folder is an ExportError naming the folder', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const notADir = join(tmp.dir, 'file.txt');
    fs.writeFileSync(notADir, 'x');
    expect(() => EventFileWriter.open(notADir)).toThrow(ExportError);
    expect(() => EventFileWriter.open(join(tmp.dir, 'missing'))).toThrow(/does not exist/);
    const exporter = tensorboardExporter.create({});
    await expect(exporter.open(sampleRunInfo(), notADir)).rejects.toThrow(/cannot create a TensorBoard event file in .*file\.txt/);
  });

  it('a full disk fails the flush with an ExportError and leaves earlier records readable', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const disk = fullDisk(20_000);
    const run = sampleRunInfo();
    const ex = new TensorBoardExporter(parseTensorBoardOptions({ flushIntervalMs: 0, images: false }), disk);
    await ex.open(run, tmp.dir);
    const written: number[] = [];
    let failure: unknown;
    for (let b = 0; b < 200 && !failure; b++) {
      try {
        ex.writeRecord(syntheticRecord(b, { n: 12 }));
        await ex.flush();
        written.push(b);
      } catch (err) {
        failure = err;
      }
    }
    expect(failure).toBeInstanceOf(ExportError);
    expect((failure as ExportError).message).toMatch(/disk is full/);
    expect((failure as ExportError).hint).toMatch(/flushed before the error are intact/);
    // Every later call reports the same failure.
    expect(() => ex.writeScalars(0, { loss: 1 }, 0)).toThrow(ExportError);
    await expect(ex.close({ batches: 1, finalLoss: 1, records: 0, status: 'failed' })).rejects.toThrow(ExportError);
    // The file ends on a record boundary and holds exactly the records flushed before.
    const reader = new RunReader(tmp.dir);
    const update = await reader.poll();
    expect(update.problems).toEqual([]);
    expect(reader.pendingProblems()).toEqual([]);
    expect(update.records.map((r) => r.batch)).toEqual(written);
    expect(written.length).toBeGreaterThan(0);
    expect(update.runInfo).toEqual(run);
  });

  it('flushes on its interval timer', async () => {
    vi.useFakeTimers();
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const w = EventFileWriter.open(tmp.dir, { flushIntervalMs: 1000 });
    const first = fs.statSync(w.path).size;
    w.write({ wallTime: 1, step: 1, summary: { value: [scalarValue('x', 1)] } });
    expect(fs.statSync(w.path).size).toBe(first);
    expect(w.bytesPending).toBeGreaterThan(0);
    vi.advanceTimersByTime(1100);
    expect(w.bytesPending).toBe(0);
    expect(fs.statSync(w.path).size).toBe(w.bytesWritten);
    await w.close();
  });

  it('by default writes once 1 MiB is buffered, without waiting for the flush interval', () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const w = EventFileWriter.open(tmp.dir, { flushIntervalMs: 0 });
    const event = (i: number) => ({ wallTime: i, step: i, fileVersion: 'z'.repeat(64 * 1024) });
    // Fifteen events of 64 KiB stay buffered; the sixteenth (with its framing) passes 1 MiB, and
    // everything goes out.
    for (let i = 0; i < 15; i++) w.write(event(i));
    expect(w.bytesPending).toBeGreaterThan(15 * 64 * 1024);
    const before = fs.statSync(w.path).size;
    w.write(event(15));
    expect(w.bytesPending).toBe(0);
    expect(fs.statSync(w.path).size).toBeGreaterThan(before + 16 * 64 * 1024);
    w.closeSync();
  });

  it('flushSync writes everything before returning, and a full buffer flushes itself', () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const w = EventFileWriter.open(tmp.dir, { flushIntervalMs: 0, maxPendingBytes: 4096 });
    for (let i = 0; i < 10; i++) w.write({ wallTime: i, step: i, summary: { value: [scalarValue('x', i)] } });
    w.flushSync();
    expect(fs.statSync(w.path).size).toBe(w.bytesWritten);
    const big = 'y'.repeat(5000);
    w.write({ wallTime: 0, step: 0, fileVersion: big });
    expect(w.bytesPending).toBe(0);
    w.closeSync();
    expect(() => w.write({ step: 1 })).toThrow(/already closed/);
  });
});
