import { describe, expect, it } from 'vitest';
import { codePointLabel, describeChar, visibleChar } from '../../src/data/visible-char.js';

describe('visibleChar', () => {
  it('shows whitespace as glyphs', () => {
    expect(visibleChar(' ')).toBe('␣');
    expect(visibleChar('\n')).toBe('⏎');
    expect(visibleChar('\t')).toBe('⇥');
    expect(visibleChar('\r')).toBe('␍');
  });

  it('shows control and invisible characters as code points', () => {
    expect(visibleChar('\u0007')).toBe('U+0007');
    expect(visibleChar('\u0000')).toBe('U+0000');
    expect(visibleChar('\u007f')).toBe('U+007F');
    expect(visibleChar('\u0085')).toBe('U+0085');
    expect(visibleChar('\u00a0')).toBe('U+00A0'); // no-break space
    expect(visibleChar('\u200b')).toBe('U+200B'); // zero-width space
    expect(visibleChar('\ufeff')).toBe('U+FEFF'); // byte-order mark
    expect(visibleChar('\u2028')).toBe('U+2028'); // line separator
    expect(visibleChar('\ud800')).toBe('U+D800'); // lone surrogate
    expect(visibleChar('\u{e0001}')).toBe('U+E0001'); // astral format character
  });

  it('leaves printable characters alone, astral ones included', () => {
    for (const ch of ['a', 'Z', '{', '}', '#', 'é', 'λ', '中', '😀', '𝔸']) expect(visibleChar(ch)).toBe(ch);
  });

  it('puts a lone combining mark on a dotted circle', () => {
    expect(visibleChar('\u0301')).toBe('◌\u0301');
  });

  it('labels code points with at least four hex digits', () => {
    expect(codePointLabel('\u0007')).toBe('U+0007');
    expect(codePointLabel('😀')).toBe('U+1F600');
  });

  it('describes characters for messages', () => {
    expect(describeChar('\u0007')).toBe('U+0007');
    expect(describeChar('é')).toBe('"é" (U+00E9)');
    expect(describeChar(' ')).toBe('"␣" (U+0020)');
  });
});
