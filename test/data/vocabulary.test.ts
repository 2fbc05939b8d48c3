import { describe, expect, it } from 'vitest';
import { CorpusError, RnnbowError } from '../../src/core/errors.js';
import { Vocabulary } from '../../src/data/vocabulary.js';

describe('Vocabulary', () => {
  it('holds the sorted distinct characters of a text', () => {
    const v = Vocabulary.fromText('hello world');
    expect(v.chars).toEqual([' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w']);
    expect(v.size).toBe(8);
    expect(v.has('l')).toBe(true);
    expect(v.has('x')).toBe(false);
    expect(v.has('lo')).toBe(false);
  });

  it('round-trips text through ids', () => {
    const text = 'int main(void) {\n\treturn 0;\n}\n';
    const v = Vocabulary.fromText(text);
    const ids = v.encode(text);
    expect(ids).toBeInstanceOf(Int32Array);
    expect(ids.length).toBe(text.length);
    for (let i = 0; i < text.length; i++) expect(v.chars[ids[i]]).toBe(text[i]);
    expect(v.decode(ids)).toBe(text);
  });

  it('treats astral characters as single tokens and orders by code point', () => {
    // U+1F600 is above U+FFFD in code point order, though its UTF-16 units (D83D DE00) sort below.
    const text = 'a😀b\ufffd😀𝔸';
    const v = Vocabulary.fromText(text);
    expect(v.chars).toEqual(['a', 'b', '\ufffd', '𝔸', '😀']);
    const ids = v.encode(text);
    expect(Array.from(ids)).toEqual([0, 4, 1, 2, 4, 3]);
    expect(v.decode(ids)).toBe(text);
    expect(v.has('😀')).toBe(true);
    expect(v.has('\ud83d')).toBe(false);
  });

  it('keeps the order of a saved list, which defines the ids', () => {
    const v = Vocabulary.fromChars(['z', 'a', '\n', '😀']);
    expect(Array.from(v.encode('a😀z\n'))).toEqual([1, 3, 0, 2]);
    expect(v.toJSON()).toEqual(['z', 'a', '\n', '😀']);
    expect(JSON.parse(JSON.stringify(v))).toEqual(['z', 'a', '\n', '😀']);
  });

  it('rejects saved lists with duplicates or entries that are not one character', () => {
    expect(() => Vocabulary.fromChars(['a', 'bc'])).toThrow(/entry 1 is "bc", not a single character/);
    expect(() => Vocabulary.fromChars(['a', 7])).toThrow(/entry 1 is 7/);
    expect(() => Vocabulary.fromChars(['a', ''])).toThrow(CorpusError);
    expect(() => Vocabulary.fromChars(['x', 'a', 'x'])).toThrow(/entries 0 and 2 are both "x"/);
  });

  it('names a character that is not in the vocabulary, readably', () => {
    const v = Vocabulary.fromText('abc');
    let err: unknown;
    try {
      v.encode('ab\u0007c');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorpusError);
    expect(err).toBeInstanceOf(RnnbowError);
    expect((err as Error).message).toBe('character U+0007 at position 2 is not in the vocabulary (3 characters)');
    expect(() => v.encode('a😀')).toThrow(/character "😀" \(U\+1F600\) at position 1/);
  });

  it('rejects ids outside the vocabulary when decoding', () => {
    const v = Vocabulary.fromText('ab');
    expect(() => v.decode([0, 2])).toThrow(/token id 2 is outside the vocabulary \(ids 0\.\.1\)/);
    expect(() => v.decode([-1])).toThrow(CorpusError);
    expect(v.charOf(1)).toBe('b');
    expect(v.idOf('b')).toBe(1);
    expect(v.idOf('q')).toBe(-1);
  });

  it('encodes every code point of a large mixed text the same as a Map-based reference', () => {
    let text = '';
    for (let i = 0; i < 5000; i++) text += String.fromCodePoint([0x41 + (i % 26), 0x3b1 + (i % 7), 0x1f600 + (i % 5), 0x0a][i % 4]);
    const v = Vocabulary.fromText(text);
    const reference = new Map([...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!).map((c, i) => [c, i]));
    expect(Array.from(v.encode(text))).toEqual(Array.from(text).map((c) => reference.get(c)));
  });

  it('builds the same vocabulary as a Set-based reference, lone surrogates included', () => {
    // Lone surrogates (as a JS string can hold) are characters of their own; a pair is one.
    const text = 'b\ud83d x\ude00\u{1f600}a\u{10ffff}\uffff\ue000\u{1f600}\ud800';
    const reference = [...new Set(Array.from(text))].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    const v = Vocabulary.fromText(text);
    expect(v.chars).toEqual(reference);
    expect(v.decode(v.encode(text))).toBe(text);
  });

  it('encodes compactly: one byte per character up to 256 characters, two up to 65,536', () => {
    const small = 'hello, world\n';
    const v = Vocabulary.fromText(small);
    const compact = v.encodeCompact(small);
    expect(compact).toBeInstanceOf(Uint8Array);
    expect(Array.from(compact)).toEqual(Array.from(v.encode(small)));
    let wide = '';
    for (let cp = 0x100; cp < 0x100 + 300; cp++) wide += String.fromCodePoint(cp);
    wide += '\u{1f600}\u{1f601}';
    const w = Vocabulary.fromText(wide);
    const wideIds = w.encodeCompact(wide);
    expect(wideIds).toBeInstanceOf(Uint16Array);
    expect(wideIds.length).toBe(302);
    expect(Array.from(wideIds)).toEqual(Array.from(w.encode(wide)));
    expect(() => v.encodeCompact('hello?')).toThrow(/character "\?" \(U\+003F\) at position 5 is not in the vocabulary/);
  });

  it('lists the characters of a text it lacks, in order of first appearance, like a Set-based reference', () => {
    const v = Vocabulary.fromText('abc\u{1f600}');
    const text = 'xab\u{1f680}cx\u{1f600}\ud800y\u{1f680}';
    const reference = [...new Set(Array.from(text))].filter((ch) => !v.has(ch));
    expect(v.missingFrom(text)).toEqual(reference);
    expect(v.missingFrom(text)).toEqual(['x', '\u{1f680}', '\ud800', 'y']);
    expect(v.missingFrom('cab\u{1f600}')).toEqual([]);
  });
});
