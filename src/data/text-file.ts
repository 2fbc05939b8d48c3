/**
 * Reading one corpus file as UTF-8 text, telling text from binary. A file is binary when it holds
 * a NUL byte (no text format rnnbow trains on has one; UTF-16 files do, and are rejected) or is not
 * valid UTF-8. Only the part that is read is checked: with a character limit, a huge file is read
 * just far enough to fill it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { CorpusError } from '../core/errors.js';
import { countCodePoints, headCodePoints, MAX_TEXT_UNITS, tooLargeText } from './code-points.js';

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
      /**
       * Why, for a message: `contains a NUL byte at byte 12`, `is not valid UTF-8 at byte 7 (0xE9,
       * line 1)`, `is UTF-16 (it starts with a UTF-16 byte-order mark)`.
       */
      readonly reason: string;
      /** What to do about it, for the message's hint (e.g. the `iconv` command that converts it). */
      readonly hint: string;
    };

/** Bytes read per system call. */
const CHUNK_BYTES = 1 << 16;

/** The longest UTF-8 encoding of one code point. */
const MAX_UTF8_BYTES_PER_CHAR = 4;

/**
 * A {@link CorpusError} for a failed file-system call on `file`, worded by the error's code
 * (missing, permission denied, ...), one line with a hint. `what` names the path in the message:
 * a corpus `file` (the default) or `folder`.
 */
export function fileAccessError(file: string, err: unknown, what: 'file' | 'folder' = 'file'): CorpusError {
  const code = (err as { code?: string } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return new CorpusError(`corpus path not found: ${file}`, 'check the --corpus path');
    case 'EACCES':
    case 'EPERM':
      return new CorpusError(
        `cannot read corpus ${what} ${file}: permission denied`,
        `make it readable (chmod a+r${what === 'folder' ? 'x' : ''}), or pass --corpus paths that leave it out`,
      );
    case 'EISDIR':
      return new CorpusError(`cannot read corpus file ${file}: it is a directory`);
    case 'ELOOP':
      return new CorpusError(`cannot read corpus path ${file}: too many levels of symbolic links`, 'a symbolic link on this path points back to itself; fix or remove it');
    default: {
      const detail = (err as { message?: string } | null)?.message ?? String(err);
      return new CorpusError(`cannot read corpus ${what} ${file}: ${detail.split('\n')[0]}`);
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

/** Where to write a converted copy of `file`: `notes.utf8.txt` for `notes.txt`, so a folder walk still reads it. */
function utf8Name(file: string): string {
  const { dir, name, ext } = path.parse(file);
  return path.join(dir, `${name}.utf8${ext}`);
}

/** Why `bytes` are not UTF-8 text, with a hint saying how to convert them; undefined when they are. */
function notText(file: string, bytes: Uint8Array, partial: boolean): { reason: string; hint: string } | undefined {
  // A UTF-16 byte-order mark, then mostly NUL bytes: name the encoding instead of the first NUL.
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return {
      reason: 'is UTF-16 (it starts with a UTF-16 byte-order mark)',
      hint: `convert it: iconv -f UTF-16 -t UTF-8 ${file} > ${utf8Name(file)}`,
    };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return { reason: `contains a NUL byte at byte ${nul}`, hint: 'rnnbow trains on UTF-8 text; point --corpus at text files or at a source tree' };
  }
  const bad = firstInvalidUtf8(bytes, partial);
  if (bad < 0) return undefined;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < bad; i = bytes.indexOf(0x0a, i + 1)) line++;
  const byte = bytes[bad].toString(16).toUpperCase().padStart(2, '0');
  return {
    reason: `is not valid UTF-8 at byte ${bad} (0x${byte}, line ${line})`,
    // Text that is not UTF-8 but has no NUL is most often Latin-1 or Windows-1252.
    hint: `if it is Latin-1 text, convert it: iconv -f LATIN1 -t UTF-8 ${file} > ${utf8Name(file)}`,
  };
}

/**
 * Reads `file` as UTF-8. With `maxChars`, reads at most enough bytes for that many characters and
 * returns at most that many (code points). Failing file-system calls throw a {@link CorpusError};
 * binary content is returned as `{kind: 'binary'}` so the caller decides whether to skip or fail.
 * A file whose text (or first `maxChars` characters) would be longer than `maxUnits` UTF-16 units,
 * by default the longest string there can be, throws a {@link CorpusError} saying so.
 */
export function readTextFile(file: string, maxChars = Infinity, maxUnits = MAX_TEXT_UNITS): TextFileContent {
  const wanted = Number.isFinite(maxChars) ? Math.max(0, maxChars) * MAX_UTF8_BYTES_PER_CHAR : Infinity;
  // Each byte gives at most one UTF-16 unit, so this many bytes always decode to a string that fits.
  const byteLimit = Math.min(wanted, maxUnits);
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
    // The first read asks for the whole file (and one byte more, to see its end): a large file
    // then lands in one buffer instead of thousands of chunks copied together, halving the peak
    // memory of a corpus of hundreds of megabytes. Files that grow while read go on in chunks.
    let first = Math.min(fstatSync(fd).size + 1, byteLimit);
    while (total < byteLimit) {
      const want = Math.max(first, Math.min(CHUNK_BYTES, byteLimit - total));
      first = 0;
      const chunk = Buffer.allocUnsafe(want);
      let got = 0;
      while (got < want) {
        const n = readSync(fd, chunk, got, want - got, null);
        if (n === 0) break;
        got += n;
      }
      if (got > 0) chunks.push(got === want ? chunk : chunk.subarray(0, got));
      total += got;
      if (got < want) {
        atEnd = true;
        break;
      }
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
  let text: string | undefined;
  if (bytes.indexOf(0) < 0) {
    try {
      // `stream: true` when the read stopped early, so a character cut by the limit is not an error.
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !atEnd });
    } catch {
      // Not UTF-8: notText says where and why.
    }
  }
  if (text === undefined) {
    return { kind: 'binary', ...(notText(file, bytes, !atEnd) ?? { reason: 'is not valid UTF-8', hint: 'rnnbow trains on UTF-8 text' }) };
  }
  const head = headCodePoints(text, maxChars);
  // Stopped by the string limit rather than by maxChars, before having maxChars characters.
  if (!atEnd && byteLimit < wanted && head.length === text.length && countCodePoints(head) < maxChars) throw tooLargeText(`corpus file ${file}`);
  return { kind: 'text', text: head, truncated: !atEnd || head.length < text.length };
}
