import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { generateCCorpus, generateCCorpusWithStructure } from '../../src/data/c-generator.js';
import { braceSpans, bracketPartners } from '../../src/data/c-structure.js';

const OPEN = '([{';
const CLOSE = ')]}';

/** Independent bracket matcher: a plain stack over every bracket character of the text. */
function scanBrackets(text: string): { pairs: [number, number][]; balanced: boolean } {
  const stack: number[] = [];
  const pairs: [number, number][] = [];
  let balanced = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (OPEN.includes(ch)) stack.push(i);
    else if (CLOSE.includes(ch)) {
      const open = stack.pop();
      if (open === undefined || OPEN.indexOf(text[open]) !== CLOSE.indexOf(ch)) balanced = false;
      else pairs.push([open, i]);
    }
  }
  return { pairs, balanced: balanced && stack.length === 0 };
}

const isIdentChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_]/.test(ch);

describe('generateCCorpus', () => {
  const sample = generateCCorpusWithStructure({ seed: 42, chars: 60_000 });
  const { text, structure } = sample;

  it('is deterministic in its seed', () => {
    expect(generateCCorpus({ seed: 42, chars: 60_000 })).toBe(text);
    expect(generateCCorpus({ seed: 43, chars: 60_000 })).not.toBe(text);
  });

  it('reaches the requested size and ends at a top-level boundary', () => {
    expect(text.length).toBeGreaterThanOrEqual(60_000);
    expect(text.length).toBeLessThan(60_000 + 20_000);
    expect(text.endsWith('\n')).toBe(true);
    for (const chars of [1, 50, 777]) {
      const small = generateCCorpus({ seed: 5, chars });
      expect(small.length).toBeGreaterThanOrEqual(chars);
      expect(scanBrackets(small).balanced).toBe(true);
    }
  });

  it('is ASCII, so character offsets are string indices', () => {
    expect(/^[\x09\x0a\x20-\x7e]*$/.test(text)).toBe(true);
  });

  it('looks like C', () => {
    for (const piece of ['#include <', '#define ', 'struct ', 'for (int ', 'if (', 'return ', '/* ', '->', 'while (']) {
      expect(text).toContain(piece);
    }
    expect(text).toMatch(/\} else \{|\} else if \(/);
    expect(text).toMatch(/\n\t\t\t[a-z]/); // blocks nest at least three deep
  });

  it('balances its braces, parentheses and square brackets', () => {
    expect(scanBrackets(text).balanced).toBe(true);
  });

  it('reports every bracket pair exactly as an independent scan finds them', () => {
    const scanned = scanBrackets(text).pairs;
    const reported = structure.brackets.map((p) => [p.open, p.close]);
    expect(reported).toEqual(scanned); // both ordered by closing offset
    for (const p of structure.brackets) {
      expect(text[p.open]).toBe(p.char);
      expect(text[p.close]).toBe(CLOSE[OPEN.indexOf(p.char)]);
    }
  });

  it('keeps brackets balanced and reported correctly across seeds', () => {
    for (let seed = 0; seed < 12; seed++) {
      const g = generateCCorpusWithStructure({ seed, chars: 8000 });
      const scan = scanBrackets(g.text);
      expect(scan.balanced).toBe(true);
      expect(g.structure.brackets.map((p) => [p.open, p.close])).toEqual(scan.pairs);
    }
  });

  it('has long-range dependencies: function bodies span hundreds of characters', () => {
    const spans = braceSpans(structure);
    expect(spans.length).toBeGreaterThan(50);
    expect(Math.max(...spans)).toBeGreaterThan(500);
    expect(spans.every((s) => s > 0)).toBe(true);
  });

  it('maps each bracket to its partner by offset', () => {
    const partner = bracketPartners(structure, text.length);
    for (const p of structure.brackets.slice(0, 500)) {
      expect(partner[p.close]).toBe(p.open);
      expect(partner[p.open]).toBe(p.close);
    }
    let plain = 0;
    for (let i = 0; i < text.length; i++) if (!'()[]{}'.includes(text[i])) plain += partner[i] === -1 ? 1 : 0;
    expect(plain).toBe([...text].filter((c) => !'()[]{}'.includes(c)).length);
  });

  it('reports declarations and later uses of identifiers at the right offsets', () => {
    const ids = structure.identifiers;
    const kinds = new Set(ids.map((r) => r.kind));
    for (const kind of ['macro', 'struct', 'field', 'function', 'parameter', 'variable']) expect(kinds).toContain(kind);
    let uses = 0;
    for (const rec of ids) {
      for (const at of [rec.declaredAt, ...rec.uses]) {
        expect(text.slice(at, at + rec.name.length)).toBe(rec.name);
        expect(isIdentChar(text[at - 1])).toBe(false);
        expect(isIdentChar(text[at + rec.name.length])).toBe(false);
      }
      for (let i = 0; i < rec.uses.length; i++) {
        expect(rec.uses[i]).toBeGreaterThan(i === 0 ? rec.declaredAt : rec.uses[i - 1]);
      }
      uses += rec.uses.length;
    }
    expect(uses).toBeGreaterThan(ids.length);
    // Functions are called far from where they are defined.
    const fnUses = ids.filter((r) => r.kind === 'function').flatMap((r) => r.uses.map((u) => u - r.declaredAt));
    expect(Math.max(...fnUses)).toBeGreaterThan(1000);
  });

  it('rejects a bad size or seed', () => {
    expect(() => generateCCorpus({ seed: 1, chars: 0 })).toThrow(ConfigError);
    expect(() => generateCCorpus({ seed: 1.5, chars: 10 })).toThrow(ConfigError);
  });
});
