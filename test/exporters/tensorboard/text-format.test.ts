import { describe, expect, it } from 'vitest';
import { controlPicture, escapeMarkdown, predictionsTable, sampleMarkdown, tokenCell } from '../../../src/exporters/tensorboard/text-format.js';
import { visibleChar } from '../../../src/data/visible-char.js';

const vocab = ['a', ' ', '\n', '\t', '|', '<', '\x01', '*'];

function decodeEntities(s: string): string {
  return s.replace(/&#(\d+);/g, (_, c) => String.fromCodePoint(Number(c)));
}

describe('text for the text dashboard', () => {
  it('makes control characters in running text visible as one glyph each, and leaves other characters alone', () => {
    expect(['\x00', '\r', '\x01', '\x1f', '\x7f'].map(controlPicture)).toEqual(['␀', '␍', '␁', '␟', '␡']);
    expect([' ', 'x', '\u00a0', '😀'].map(controlPicture)).toEqual([' ', 'x', '\u00a0', '😀']);
  });

  it('writes a token cell as the viewer and the CLI show the character', () => {
    for (const ch of ['\x07', '\x7f', '\u00a0', '\u200b', '\ufeff', '\u0301', ' ', '\n', 'é', '😀']) {
      const i = vocab.length;
      expect(decodeEntities(tokenCell(i, [...vocab, ch])), JSON.stringify(ch)).toBe(visibleChar(ch));
    }
    expect(decodeEntities(tokenCell(6, vocab))).toBe('U+0001');
  });

  it('writes Markdown and HTML syntax as entities that decode back to the text', () => {
    const s = 'a|b<c>&d*e_f`g\\h[i](j)#k';
    const e = escapeMarkdown(s);
    expect(e.replace(/&#\d+;/g, '')).not.toMatch(/[|<>*_`\\[\]()#&]/);
    expect(decodeEntities(e)).toBe(s);
  });

  it('names tokens outside the vocabulary', () => {
    expect(tokenCell(99, vocab)).toBe('⟨99⟩');
    expect(decodeEntities(tokenCell(4, vocab))).toBe('|');
    expect(tokenCell(1, vocab)).toBe('␣');
  });

  it('tabulates one row per step with a match mark', () => {
    const md = predictionsTable(
      { batch: 7, sequence: 0, inputs: [0, 1, 2, 3], targets: [1, 2, 3, 4], predictions: [1, 0, 3, 7], losses: [0.5, 1, Number.NaN, 2] },
      vocab,
    );
    const lines = md.split('\n');
    const rows = lines.filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(4);
    // Every row has the same number of unescaped cell separators as the header.
    const header = lines.find((l) => l.startsWith('| t |'))!;
    const pipes = (l: string) => (l.match(/\|/g) ?? []).length;
    for (const r of rows) expect(pipes(r)).toBe(pipes(header));
    expect(rows.map((r) => r.includes('✓'))).toEqual([true, false, true, false]);
    expect(decodeEntities(rows[3])).toContain('| ⇥ | | | * |');
    expect(md).toContain('2/4 predicted correctly');
    expect(rows[2]).toContain('NaN');
  });

  it('shows a sample as an indented code block, line breaks kept', () => {
    const md = sampleMarkdown(300, 'first line\n  second\x02\tend\x7f');
    expect(md).toContain('**sample at batch 300**');
    expect(md.split('\n').slice(2)).toEqual(['    first line', '      second␂\tend␡']);
  });
});
