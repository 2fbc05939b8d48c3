/**
 * Reading one corpus file as UTF-8 text, telling text from binary. A file is binary when it holds
 * a NUL byte (no text format rnnbow trains on has one; UTF-16 files do, and are rejected) or is not
 * valid UTF-8. Only the part that is read is checked: with a character limit, a huge file is read
 * just far enough to fill it.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { CorpusError } from '../core/errors.js';
import { headCodePoints } from './code-points.js';

/** What reading a file gave: its text, or why it is not text. */
export type TextFileContent =
  | {
      /** The file (or its first `maxChars` characters) decoded as UTF-8. */
      readonly kind: 'text';
      /** Decoded text, a leading byte-order mark removed. */
      readonly text: string;
      /** True when the file holds more than `maxChars` characters and `text` is its head. */
      readonly truncated: boolean;
    }
  | {
      /** The file is not UTF-8 text. */
      readonly kind: 'binary';
      /** Why, for a message: `contains a NUL byte at byte 12`, `is not valid UTF-8 at byte 7`. */
      readonly reason: string;
    };

/** Bytes read per system call. */
const CHUNK_BYTES = 1 << 16;

/** The longest UTF-8 encoding of one code point. */
const MAX_UTF8_BYTES_PER_CHAR = 4;

/**
 * A {@link CorpusError} for a failed file-system call on `file`, worded by the error's code
 * (missing, permission denied, ...), one line.
 */
export function fileAccessError(file: string, err: unknown): CorpusError {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return new CorpusError(`corpus path not found: ${file}`, 'check the --corpus path');
    case 'EACCES':
    case 'EPERM':
      return new CorpusError(`cannot read corpus file ${file}: permission denied`);
    case 'EISDIR':
      return new CorpusError(`cannot read corpus file ${file}: it is a directory`);
    case 'ELOOP':
      return new CorpusError(`cannot read corpus path ${file}: too many levels of symbolic links`);
    default: {
      const detail = (err as { message?: string } | null)?.message ?? String(err);
      return new CorpusError(`cannot read corpus file ${file}: ${detail.split('\n')[0]}`);
    }
  }
}

/**
 * Byte offset of the first byte that breaks UTF-8 in `bytes`, or -1 when all of it is valid. With
 * `partial` (the bytes are the head of a longer file) a sequence cut off at the very end is valid.
 */
export function firstInvalidUtf8(bytes: Uint8Array, partial = false): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= bytes.length) return partial ? -1 : i;
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF are not valid UTF-8.
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Reads `file` as UTF-8. With `maxChars`, reads at most enough bytes for that many characters and
 * returns at most that many (code points). Failing file-system calls throw a {@link CorpusError};
 * binary content is returned as `{kind: 'binary'}` so the caller decides whether to skip or fail.
 */
export function readTextFile(file: string, maxChars = Infinity): TextFileContent {
  const byteLimit = Number.isFinite(maxChars) ? Math.max(0, maxChars) * MAX_UTF8_BYTES_PER_CHAR : Infinity;
  const chunks: Buffer[] = [];
  let total = 0;
  let atEnd = false;
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    throw fileAccessError(file, err);
  }
  try {
    while (total < byteLimit) {
      const want = Math.min(CHUNK_BYTES, byteLimit - total);
      const chunk = Buffer.allocUnsafe(want);
      const got = readSync(fd, chunk, 0, want, null);
      if (got === 0) {
        atEnd = true;
        break;
      }
      chunks.push(got === want ? chunk : chunk.subarray(0, got));
      total += got;
    }
    if (!atEnd) {
      // Exactly at the limit: one probe byte tells whether anything is left.
      atEnd = readSync(fd, Buffer.alloc(1), 0, 1, null) === 0;
    }
  } catch (err) {
    throw fileAccessError(file, err);
  } finally {
    closeSync(fd);
  }
  const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { kind: 'binary', reason: `contains a NUL byte at byte ${nul}` };
  let text: string;
  try {
    // `stream: true` when the read stopped early, so a character cut by the limit is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !atEnd });
  } catch {
    const at = firstInvalidUtf8(bytes, !atEnd);
    return { kind: 'binary', reason: at >= 0 ? `is not valid UTF-8 at byte ${at}` : 'is not valid UTF-8' };
  }
  const head = headCodePoints(text, maxChars);
  return { kind: 'text', text: head, truncated: !atEnd || head.length < text.length };
}
