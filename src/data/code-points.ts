/**
 * Counting in characters, not UTF-16 units. Corpus sizes, `--max-chars` and corpus offsets all
 * count code points (= tokens), so an astral character is one character everywhere.
 */
import { CorpusError } from '../core/errors.js';

import { constants } from 'node:buffer';

/**
 * The longest string the JavaScript engine can hold, in UTF-16 units (536,870,888 with Node 20 on
 * 64-bit machines): the most text a corpus can have, since it is held as one string.
 *
 * @category Corpus and batches
 */
export const MAX_TEXT_UNITS: number = constants.MAX_STRING_LENGTH;

/** The error for a corpus text that would not fit in one string; `what` names it (`corpus file x.txt`). */
export function tooLargeText(what: string): CorpusError {
  const max = MAX_TEXT_UNITS.toLocaleString('en-US');
  return new CorpusError(
    `${what} is too large: rnnbow holds the corpus as one string, of at most ${max} characters`,
    `read a part of it with --max-chars (${Math.floor(MAX_TEXT_UNITS / 1e8) * 100000000} or fewer)`,
  );
}

/** Any UTF-16 surrogate: a text without one has exactly one code point per string index. */
const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Whether every character of `text` is in the Basic Multilingual Plane (no surrogates), so that
 * string indices are code point offsets. Cheap on plain ASCII or Latin-1 text, which V8 stores one
 * byte per character and a surrogate class cannot match: a 200 MB corpus is checked in a moment.
 */
export function isBmpOnly(text: string): boolean {
  return !SURROGATE.test(text);
}

/** Number of code points in `text` (a surrogate pair counts once, a lone surrogate once). */
export function countCodePoints(text: string): number {
  // A per-character loop over a corpus of hundreds of megabytes takes seconds; most have no pairs.
  if (isBmpOnly(text)) return text.length;
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

/** The first `count` code points of `text` (all of it when it is shorter); never splits a surrogate pair. */
export function headCodePoints(text: string, count: number): string {
  if (count <= 0) return '';
  if (text.length <= count) return text;
  if (isBmpOnly(text)) return text.slice(0, count);
  let seen = 0;
  let i = 0;
  while (i < text.length && seen < count) {
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    seen++;
  }
  return text.slice(0, i);
}
