import * as fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExportError } from '../../src/core/errors.js';
import { LineFile, type LineFileSystem } from '../../src/exporters/line-file.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();

/** node:fs, except that writes stop `room` bytes from now, as a disk that fills up does. */
function fillingDisk(room: number): LineFileSystem {
  return {
    ...fs,
    writeSync(fd, buffer, offset, length) {
      if (room === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(length, room);
      room -= n;
      return fs.writeSync(fd, buffer, offset, n);
    },
  };
}

describe('LineFile on a disk that fills up', () => {
  it('keeps the whole lines that fit and cuts the part of one that did not', () => {
    const file = path.join(dir, 'records.jsonl');
    fs.writeFileSync(file, '{"before":0}\n');
    const lines = new LineFile(file, fillingDisk(30));
    lines.open();
    for (const n of [1, 2, 3]) lines.push(`{"line":${n}}`);
    let failure: unknown;
    try {
      lines.flush();
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(ExportError);
    // Said in words, with what the user can do and what is safe.
    expect((failure as ExportError).message).toBe(`cannot write ${file}: the disk is full`);
    expect((failure as ExportError).hint).toBe('free disk space; records flushed before this point are intact');
    // 30 bytes fit: two lines of 11 bytes and 8 bytes of the third, which are cut off again.
    expect(fs.readFileSync(file, 'utf8')).toBe('{"before":0}\n{"line":1}\n{"line":2}\n');
  });

  it('writes everything when a write is short but the disk still has room', () => {
    const file = path.join(dir, 'short-writes.jsonl');
    let calls = 0;
    const shortWrites: LineFileSystem = { ...fs, writeSync: (fd, buffer, offset, length) => (calls++, fs.writeSync(fd, buffer, offset, Math.min(length, 4))) };
    const lines = new LineFile(file, shortWrites);
    lines.open();
    lines.push('{"a":1}');
    lines.push('{"b":2}');
    lines.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
    expect(calls).toBe(4);
  });

  it('fails, rather than looping for ever, on a write that makes no progress', () => {
    const file = path.join(dir, 'stuck.jsonl');
    fs.writeFileSync(file, '{"before":0}\n');
    let calls = 0;
    const stuck: LineFileSystem = { ...fs, writeSync: (fd, buffer, offset, length) => (calls++ === 0 ? fs.writeSync(fd, buffer, offset, Math.min(length, 5)) : 0) };
    const lines = new LineFile(file, stuck);
    lines.open();
    lines.push('{"line":1}');
    expect(() => lines.flush()).toThrow(/: the disk is full$/);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"before":0}\n');
  });
});
