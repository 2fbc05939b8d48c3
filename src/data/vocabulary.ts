/**
 * The character vocabulary: token id <-> character. A "character" is one Unicode code point, so an
 * emoji or any other astral character (two UTF-16 units in a JS string) is one token, not two
 * halves of a surrogate pair.
 */
import { CorpusError } from '../core/errors.js';
import { countCodePoints } from './code-points.js';
import { allocateTokenIds, type TokenIds } from './token-ids.js';
import { describeChar } from './visible-char.js';

/** Code points below this are looked up in a dense table; the rest (rare) in a Map. */
const DENSE_LIMIT = 0x10000;

/**
 * The astral code point whose surrogate pair starts at index `i` of `text`, or -1 when none does
 * (a BMP character, or a lone surrogate, which stays one character of its own). The three corpus
 * loops below share it; it runs once per character of texts of hundreds of megabytes.
 */
function astralAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff || i + 1 >= text.length) return -1;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff ? ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000 : -1;
}

/** Splits a string into code points (lone surrogates stay single code points). */
function codePointsOf(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    out.push(cp);
    if (cp > 0xffff) i++;
  }
  return out;
}

/**
 * Maps characters to dense ids `0..size-1` and back. Built from a text (sorted unique code points,
 * so the same text always gives the same ids) or from a saved list (a checkpoint's `vocab`, whose
 * order defines the ids and is kept as given).
 *
 * @category Corpus and batches
 */
export class Vocabulary {
  /** Token id -> character (one code point each). */
  readonly chars: readonly string[];
  /** Dense BMP lookup: code point -> id, -1 when absent. */
  private readonly dense: Int32Array;
  /** Astral code points -> id. */
  private readonly astral: Map<number, number>;

  private constructor(chars: readonly string[]) {
    this.chars = Object.freeze([...chars]);
    this.dense = new Int32Array(DENSE_LIMIT).fill(-1);
    this.astral = new Map();
    chars.forEach((ch, id) => {
      const cp = ch.codePointAt(0)!;
      if (cp < DENSE_LIMIT) this.dense[cp] = id;
      else this.astral.set(cp, id);
    });
  }

  /** The vocabulary of a text: its distinct code points sorted by code point value. */
  static fromText(text: string): Vocabulary {
    // A table of marks, not a Set: this runs once per character of corpora of hundreds of megabytes.
    const bmp = new Uint8Array(DENSE_LIMIT);
    const astral = new Set<number>();
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const cp = astralAt(text, i);
      if (cp >= 0) {
        astral.add(cp);
        i++;
      } else {
        bmp[text.charCodeAt(i)] = 1;
      }
    }
    // Numeric order, not UTF-16 order: the two differ for astral characters vs U+E000..U+FFFF.
    const chars: string[] = [];
    for (let cp = 0; cp < DENSE_LIMIT; cp++) if (bmp[cp]) chars.push(String.fromCharCode(cp));
    for (const cp of [...astral].sort((a, b) => a - b)) chars.push(String.fromCodePoint(cp));
    return new Vocabulary(chars);
  }

  /**
   * A vocabulary from a saved list of characters (id = index). Each entry must be exactly one code
   * point and appear once; otherwise a {@link CorpusError} names the bad entry.
   */
  static fromChars(chars: readonly unknown[]): Vocabulary {
    if (!Array.isArray(chars)) throw new CorpusError('vocabulary must be an array of characters');
    const seen = new Map<string, number>();
    chars.forEach((ch, i) => {
      if (typeof ch !== 'string' || codePointsOf(ch).length !== 1) {
        throw new CorpusError(`vocabulary entry ${i} is ${JSON.stringify(ch)}, not a single character`);
      }
      const before = seen.get(ch);
      if (before !== undefined) {
        throw new CorpusError(`vocabulary entries ${before} and ${i} are both ${describeChar(ch)}`);
      }
      seen.set(ch, i);
    });
    return new Vocabulary(chars as string[]);
  }

  /** Number of tokens (V, the one-hot input size). */
  get size(): number {
    return this.chars.length;
  }

  /** Whether `ch` (one character) is in the vocabulary. */
  has(ch: string): boolean {
    return this.idOf(ch) >= 0;
  }

  /** Id of the character `ch`, or -1 when it is not in the vocabulary. */
  idOf(ch: string): number {
    if (ch.length === 0 || ch.length > 2) return -1;
    const cp = ch.codePointAt(0)!;
    if (String.fromCodePoint(cp) !== ch) return -1;
    return this.lookup(cp);
  }

  /** Character of token `id`; throws a {@link CorpusError} for an id outside `0..size-1`. */
  charOf(id: number): string {
    const ch = this.chars[id];
    if (ch === undefined || !Number.isInteger(id)) {
      throw new CorpusError(`token id ${id} is outside the vocabulary (ids 0..${this.size - 1})`);
    }
    return ch;
  }

  /**
   * Token ids of `text`, one per code point. A character not in the vocabulary throws a
   * {@link CorpusError} naming it readably (e.g. `U+0007`) and its position.
   */
  encode(text: string): Int32Array {
    const ids = new Int32Array(countCodePoints(text));
    this.encodeInto(text, ids);
    return ids;
  }

  /**
   * {@link encode} into the narrowest id array for this vocabulary (see {@link allocateTokenIds}):
   * a quarter of the memory for a corpus of up to 256 distinct characters. For training data that
   * stays in memory for the whole run.
   */
  encodeCompact(text: string): TokenIds {
    const ids = allocateTokenIds(countCodePoints(text), this.size);
    this.encodeInto(text, ids);
    return ids;
  }

  /** Writes the ids of `text` to `ids`, which has room for exactly one per code point. */
  private encodeInto(text: string, ids: TokenIds): void {
    const { dense, astral } = this; // locals: this loop runs once per character of the corpus
    const n = text.length;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const cp = astralAt(text, i);
      let id: number;
      if (cp >= 0) {
        id = astral.get(cp) ?? -1;
        if (id >= 0) i++;
      } else {
        id = dense[text.charCodeAt(i)];
      }
      if (id < 0) {
        const ch = String.fromCodePoint(text.codePointAt(i)!);
        throw new CorpusError(
          `character ${describeChar(ch)} at position ${at} is not in the vocabulary (${this.size} characters)`,
          'the vocabulary comes from the training corpus; use text made of the characters it contains',
        );
      }
      ids[at++] = id;
    }
  }

  /**
   * The distinct characters of `text` that are not in the vocabulary, in order of first appearance
   * (empty when it can all be encoded). For checking a resumed run's corpus against its
   * checkpoint: one pass over the text, quick even for hundreds of megabytes.
   */
  missingFrom(text: string): string[] {
    const { dense, astral } = this;
    const missing = new Set<string>();
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const cp = astralAt(text, i);
      if (cp >= 0) {
        i++;
        if (!astral.has(cp)) missing.add(String.fromCodePoint(cp));
      } else if (dense[text.charCodeAt(i)] < 0) {
        missing.add(text[i]);
      }
    }
    return [...missing];
  }

  /** The text of token ids; an id outside the vocabulary throws a {@link CorpusError}. */
  decode(ids: ArrayLike<number>): string {
    const parts: string[] = new Array(ids.length);
    for (let i = 0; i < ids.length; i++) parts[i] = this.charOf(ids[i]);
    return parts.join('');
  }

  /** The saved form (a checkpoint's `vocab`): the characters in id order. */
  toJSON(): string[] {
    return [...this.chars];
  }

  /** Id of a code point, -1 when absent. */
  private lookup(cp: number): number {
    return cp < DENSE_LIMIT ? this.dense[cp] : (this.astral.get(cp) ?? -1);
  }
}
