import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorpusError } from '../../src/core/errors.js';
import { fileAccessError, firstInvalidUtf8, readTextFile } from '../../src/data/text-file.js';
import { countCodePoints, headCodePoints } from '../../src/data/code-points.js';
import { tempTree } from './temp-tree.js';

/** True when Node's own strict decoder accepts the bytes: the reference for the hand-written check. */
function decoderAccepts(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

describe('readTextFile', () => {
  const dir = tempTree({
    'plain.c': 'int x;\n',
    'bom.txt': '\ufeffhello',
    'nul.bin': new Uint8Array([0x61, 0x62, 0x00, 0x63]),
    'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]), // "café" in Latin-1
    'astral.txt': 'a😀b😀c',
    'long.txt': 'x'.repeat(200_000),
    'late-bad.txt': new Uint8Array([...Buffer.from('abc\ndef\ngh'), 0xff, 0x0a]),
  });
  const at = (name: string) => path.join(dir, name);

  it('reads UTF-8 text and drops a byte-order mark', () => {
    expect(readTextFile(at('plain.c'))).toEqual({ kind: 'text', text: 'int x;\n', truncated: false });
    expect(readTextFile(at('bom.txt'))).toEqual({ kind: 'text', text: 'hello', truncated: false });
  });

  it('calls NUL bytes and invalid UTF-8 binary, with the byte offset', () => {
    expect(readTextFile(at('nul.bin'))).toMatchObject({ kind: 'binary', reason: 'contains a NUL byte at byte 2' });
    expect(readTextFile(at('latin1.txt'))).toMatchObject({ kind: 'binary', reason: 'is not valid UTF-8 at byte 3 (0xE9, line 1)' });
    expect(readTextFile(at('late-bad.txt'))).toMatchObject({ kind: 'binary', reason: 'is not valid UTF-8 at byte 10 (0xFF, line 3)' });
  });

  it('stops at maxChars code points without splitting astral characters', () => {
    expect(readTextFile(at('astral.txt'), 2)).toEqual({ kind: 'text', text: 'a😀', truncated: true });
    expect(readTextFile(at('astral.txt'), 5)).toEqual({ kind: 'text', text: 'a😀b😀c', truncated: false });
    const head = readTextFile(at('long.txt'), 70_000);
    expect(head).toEqual({ kind: 'text', text: 'x'.repeat(70_000), truncated: true });
    expect(readTextFile(at('long.txt'), 200_000)).toMatchObject({ truncated: false });
  });

  it('turns file-system failures into one-line CorpusErrors', () => {
    expect(() => readTextFile(at('missing.c'))).toThrow(CorpusError);
    expect(() => readTextFile(at('missing.c'))).toThrow(`corpus path not found: ${at('missing.c')}`);
    const denied = fileAccessError('/x/y.c', Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    expect(denied).toBeInstanceOf(CorpusError);
    expect(denied.message).toBe('cannot read corpus file /x/y.c: permission denied');
    const io = fileAccessError('/x/y.c', Object.assign(new Error('EIO: i/o error, read\nmore'), { code: 'EIO' }));
    expect(io.message).toBe('cannot read corpus file /x/y.c: EIO: i/o error, read');
  });
});

describe('firstInvalidUtf8', () => {
  it('agrees with the platform decoder on random byte strings', () => {
    // Bytes drawn mostly from the ranges that make multi-byte sequences, to hit the edge cases.
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / (1 << 24);
    const pool = [0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90];
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = new Uint8Array(1 + Math.floor(rand() * 8)).map(() => pool[Math.floor(rand() * pool.length)]);
      expect(firstInvalidUtf8(bytes) === -1, `bytes ${Array.from(bytes)}`).toBe(decoderAccepts(bytes));
    }
  });

  it('finds the offset of the first bad byte and tolerates a cut tail when partial', () => {
    const euro = [0xe2, 0x82, 0xac];
    expect(firstInvalidUtf8(new Uint8Array([0x61, ...euro, 0x62]))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0x62, 0xe9, 0x0a]))).toBe(2);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xc0, 0x80]))).toBe(1); // overlong NUL
    expect(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBe(0); // encoded surrogate
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0x61, 0xe2, 0x82]), true)).toBe(-1);
  });
});

describe('code point counting', () => {
  it('counts surrogate pairs once', () => {
    expect(countCodePoints('a😀b')).toBe(3);
    expect(countCodePoints('\ud800x')).toBe(2);
    expect(countCodePoints('')).toBe(0);
    expect(headCodePoints('a😀b', 2)).toBe('a😀');
    expect(headCodePoints('a😀b', 0)).toBe('');
    expect(headCodePoints('ab', 5)).toBe('ab');
  });
});

describe('countCodePoints and headCodePoints', () => {
  it('agree with Array.from on BMP-only, astral and lone-surrogate text', () => {
    const texts = ['', 'plain ascii', 'caf\u00e9 \u4e2d', 'a\u{1f600}b\u{1f680}', '\ud800x\udc00', 'x'.repeat(1000) + '\u{1f600}'];
    for (const t of texts) {
      const points = Array.from(t);
      expect(countCodePoints(t), JSON.stringify(t)).toBe(points.length);
      for (const k of [0, 1, 3, points.length, points.length + 2]) expect(headCodePoints(t, k)).toBe(points.slice(0, k).join(''));
    }
  });
});
