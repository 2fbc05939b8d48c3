import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, CorpusError } from '../../src/core/errors.js';
import { loadCorpus } from '../../src/data/load-corpus.js';
import { extensionMatcher } from '../../src/data/text-extensions.js';
import { fileAccessError } from '../../src/data/text-file.js';
import { tempTree } from './temp-tree.js';

/** The hint of the CorpusError `fn` throws. */
function hintOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CorpusError);
    return (err as CorpusError).hint;
  }
  throw new Error('expected a failure');
}

/** The message of what `fn` throws, checking its class. */
function failure(fn: () => unknown, type: new (...args: never[]) => Error = CorpusError): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return (err as Error).message;
  }
  throw new Error('expected a failure');
}

describe('loadCorpus', () => {
  const root = tempTree({
    'src/b.c': 'B\n',
    'src/a.h': 'A\n',
    'src/sub/c.py': 'C\n',
    'src/sub/z.C': 'Z\n', // upper-case extension still matches
    'src/.hidden/h.c': 'HIDDEN\n',
    'src/.dot.c': 'DOT\n',
    'src/image.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]),
    'src/blob.c': new Uint8Array([0x69, 0x6e, 0x74, 0x00]), // matches .c but is binary
    'src/notes': 'no extension\n',
    'src/Makefile.am': 'am\n',
    'single.txt': 'hello world\n',
    'empty.txt': '',
    'binary.dat': new Uint8Array([0x01, 0x02, 0x00]),
    'latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
    'emptydir/.keep': '',
    'bindir/x.c': new Uint8Array([0, 1, 2]),
    'blanks/e.c': '',
    'astral/a.txt': '😀😀😀😀',
    'astral/b.txt': 'xyz',
  });
  const at = (rel: string) => path.join(root, rel);

  it('reports its totals after every file it reads or skips, ending on the corpus it returns', () => {
    const seen: { files: number; skipped: number; chars: number }[] = [];
    const c = loadCorpus([at('src'), at('single.txt')], { onProgress: (p) => seen.push({ ...p }) });
    // src/ holds five readable files and one binary .c; then single.txt.
    expect(seen).toHaveLength(c.files + c.skipped);
    expect(seen.at(-1)).toEqual({ files: c.files, skipped: c.skipped, chars: c.chars });
    expect(c.skipped).toBe(1);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i].files + seen[i].skipped).toBe(seen[i - 1].files + seen[i - 1].skipped + 1);
      expect(seen[i].chars).toBeGreaterThanOrEqual(seen[i - 1].chars);
    }
  });

  it('reads a single file', () => {
    const c = loadCorpus([at('single.txt')]);
    expect(c).toEqual({ text: 'hello world\n', source: at('single.txt'), files: 1, skipped: 0, chars: 12, truncated: false });
  });

  it('walks a directory recursively in sorted order, skipping hidden, unmatched and binary files', () => {
    const c = loadCorpus([at('src')]);
    // a.h, b.c, blob.c (binary: skipped), sub/c.py, sub/z.C
    expect(c.text).toBe('A\nB\nC\nZ\n');
    expect(c.files).toBe(4);
    expect(c.skipped).toBe(1);
    expect(c.truncated).toBe(false);
  });

  it('is deterministic', () => {
    expect(loadCorpus([at('src'), at('single.txt')])).toEqual(loadCorpus([at('src'), at('single.txt')]));
  });

  it('concatenates several paths in the order given', () => {
    const c = loadCorpus([at('single.txt'), at('src')]);
    expect(c.text).toBe('hello world\nA\nB\nC\nZ\n');
    expect(c.source).toBe(`${at('single.txt')}, ${at('src')}`);
    expect(c.files).toBe(5);
  });

  it('reads only the extensions asked for, or every file with "*"', () => {
    expect(loadCorpus([at('src')], { extensions: ['py'] }).text).toBe('C\n');
    expect(loadCorpus([at('src')], { extensions: ['.H', '.c'] }).text).toBe('A\nB\nZ\n');
    const all = loadCorpus([at('src')], { extensions: ['*'] });
    // Makefile.am, a.h, b.c, notes, sub/c.py, sub/z.C; image.png and blob.c are binary
    expect(all.text).toBe('am\nA\nB\nno extension\nC\nZ\n');
    expect(all.skipped).toBe(2);
    expect(() => loadCorpus([at('src')], { extensions: [] })).toThrow(ConfigError);
  });

  it('stops reading at maxChars, never opening later files', () => {
    const c = loadCorpus([at('src')], { maxChars: 3 });
    expect(c.text).toBe('A\nB');
    expect(c.chars).toBe(3);
    expect(c.files).toBe(2);
    expect(c.truncated).toBe(true);
    const exact = loadCorpus([at('single.txt')], { maxChars: 12 });
    expect(exact.truncated).toBe(false);
    const later = loadCorpus([at('single.txt'), at('src')], { maxChars: 12 });
    expect(later).toMatchObject({ text: 'hello world\n', files: 1, truncated: true });
  });

  it('counts maxChars in code points', () => {
    const c = loadCorpus([at('astral')], { maxChars: 5 });
    expect(c.text).toBe('😀😀😀😀x');
    expect(c.chars).toBe(5);
  });

  it('rejects a bad maxChars', () => {
    expect(failure(() => loadCorpus([at('single.txt')], { maxChars: 0 }), ConfigError)).toMatch(/--max-chars must be a positive integer/);
    expect(() => loadCorpus([at('single.txt')], { maxChars: 2.5 })).toThrow(ConfigError);
  });

  it('names a missing path', () => {
    expect(failure(() => loadCorpus([at('nope')]))).toBe(`corpus path not found: ${at('nope')}`);
    expect(failure(() => loadCorpus([at('single.txt'), at('nope/x.c')]))).toBe(`corpus path not found: ${at('nope/x.c')}`);
  });

  it('names a binary file given explicitly, with the byte, its line and how to convert it', () => {
    expect(failure(() => loadCorpus([at('binary.dat')]))).toBe(
      `corpus file ${at('binary.dat')} is binary: it contains a NUL byte at byte 2`,
    );
    expect(failure(() => loadCorpus([at('single.txt'), at('latin1.txt')]))).toBe(
      `corpus file ${at('latin1.txt')} is binary: it is not valid UTF-8 at byte 3 (0xE9, line 1)`,
    );
    expect(hintOf(() => loadCorpus([at('latin1.txt')]))).toBe(
      `if it is Latin-1 text, convert it: iconv -f LATIN1 -t UTF-8 ${at('latin1.txt')} > ${at('latin1.utf8.txt')}`,
    );
  });

  it('names UTF-16 as such, with the conversion', () => {
    const utf16 = tempTree({ 'u.txt': new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0x69, 0x00]) });
    const file = path.join(utf16, 'u.txt');
    expect(failure(() => loadCorpus([file]))).toBe(`corpus file ${file} is binary: it is UTF-16 (it starts with a UTF-16 byte-order mark)`);
    expect(hintOf(() => loadCorpus([file]))).toBe(`convert it: iconv -f UTF-16 -t UTF-8 ${file} > ${path.join(utf16, 'u.utf8.txt')}`);
  });

  it('explains an empty corpus', () => {
    expect(failure(() => loadCorpus([at('empty.txt')]))).toBe(`corpus is empty: file ${at('empty.txt')} is empty`);
    expect(failure(() => loadCorpus([at('emptydir')]))).toMatch(
      new RegExp(`^corpus is empty: directory ${at('emptydir')} has no files ending in \\.c \\.h`),
    );
    expect(failure(() => loadCorpus([at('bindir')]))).toBe(
      `corpus is empty: directory ${at('bindir')} has only binary files (1 skipped)`,
    );
    expect(failure(() => loadCorpus([at('blanks'), at('empty.txt')]))).toBe(
      `corpus is empty: the files in directory ${at('blanks')} are empty; file ${at('empty.txt')} is empty`,
    );
    expect(failure(() => loadCorpus([]))).toBe('no corpus given');
  });

  it('accepts an empty part when other paths have text', () => {
    expect(loadCorpus([at('emptydir'), at('single.txt')]).text).toBe('hello world\n');
  });

  it('rejects paths that are neither files nor directories', () => {
    const fifo = at('pipe');
    execFileSync('mkfifo', [fifo]);
    expect(failure(() => loadCorpus([fifo]))).toBe(`corpus path ${fifo} is neither a regular file nor a directory: it is a named pipe (FIFO)`);
    expect(failure(() => loadCorpus(['/dev/zero']))).toBe('corpus path /dev/zero is neither a regular file nor a directory: it is a character device');
    expect(hintOf(() => loadCorpus([fifo]))).toMatch(/save the text to a file first/);
  });

  it('says where a dangling symbolic link named directly points', () => {
    const linked = tempTree({ 'x.txt': 'x' });
    const link = path.join(linked, 'link.c');
    symlinkSync(path.join(linked, 'gone.c'), link);
    expect(failure(() => loadCorpus([link]))).toBe(`corpus path ${link} is a symbolic link to ${path.join(linked, 'gone.c')}, which does not exist`);
    const loop = path.join(linked, 'self.c');
    symlinkSync(loop, loop);
    expect(failure(() => loadCorpus([loop]))).toBe(`cannot read corpus path ${loop}: too many levels of symbolic links`);
  });

  it('gives a hint for an unreadable file', () => {
    const denied = fileAccessError('/x/y.c', Object.assign(new Error('EACCES'), { code: 'EACCES' }));
    expect(denied.hint).toMatch(/chmod a\+r/);
    const folder = fileAccessError('/x/dir', Object.assign(new Error('EACCES'), { code: 'EACCES' }), 'folder');
    expect(folder.message).toBe('cannot read corpus folder /x/dir: permission denied');
  });

  it('follows symbolic links but ends link cycles', () => {
    const linked = tempTree({ 'real/a.c': 'a\n' });
    mkdirSync(path.join(linked, 'real', 'deeper'));
    symlinkSync(path.join(linked, 'real'), path.join(linked, 'real', 'deeper', 'loop'));
    symlinkSync(path.join(linked, 'real', 'a.c'), path.join(linked, 'real', 'b.c'));
    symlinkSync(path.join(linked, 'gone.c'), path.join(linked, 'real', 'dangling.c'));
    const c = loadCorpus([linked]);
    expect(c.text).toBe('a\na\n'); // a.c and the link b.c; the loop and the dangling link add nothing
    expect(c.files).toBe(2);
  });
});

describe('extensionMatcher', () => {
  it('matches by the last extension, case-insensitively', () => {
    const m = extensionMatcher(['c', '.H']);
    expect(m('x.c')).toBe(true);
    expect(m('x.h')).toBe(true);
    expect(m('x.C')).toBe(true);
    expect(m('x.cc')).toBe(false);
    expect(m('x.c.orig')).toBe(false);
    expect(m('c')).toBe(false);
  });

  it('rejects entries that are not extensions', () => {
    expect(() => extensionMatcher(['.'])).toThrow(ConfigError);
    expect(() => extensionMatcher([''])).toThrow(ConfigError);
  });
});

describe('loadCorpus on text longer than one string can hold', () => {
  // The real limit is 536,870,888 UTF-16 units; the option lowers it so that small files show the behaviour.
  const root = tempTree({ 'a.txt': 'x'.repeat(600), 'b.txt': 'y'.repeat(600), 'one/big.c': 'z'.repeat(2000) });
  const at = (rel: string) => path.join(root, rel);

  it('stops with a CorpusError suggesting --max-chars, not an internal error', () => {
    let err: unknown;
    try {
      loadCorpus([at('a.txt'), at('b.txt')], { maxTextUnits: 1000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorpusError);
    expect((err as CorpusError).message).toMatch(new RegExp(`^the corpus \\(${at('a.txt')}, ${at('b.txt')}\\) is too large: rnnbow holds the corpus as one string, of at most [\\d,]+ characters$`));
    expect((err as CorpusError).hint).toBe('read a part of it with --max-chars (500000000 or fewer)');
    expect(() => loadCorpus([at('one')], { maxTextUnits: 1000 })).toThrow(`corpus file ${at('one/big.c')} is too large`);
  });

  it('reads a part that fits, with --max-chars', () => {
    expect(loadCorpus([at('a.txt'), at('b.txt')], { maxTextUnits: 1000, maxChars: 900 })).toMatchObject({ chars: 900, truncated: true });
    expect(loadCorpus([at('one')], { maxTextUnits: 1000, maxChars: 1000 })).toMatchObject({ chars: 1000, truncated: true });
  });
});
