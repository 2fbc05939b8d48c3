/**
 * The known long-range structure of a generated C corpus: which bracket closes which, and where
 * each identifier is declared and used. Tests and experiments use it to ask whether a model (or its
 * gradients) reaches back the many characters these dependencies span.
 */

/**
 * The bracket characters whose pairs are reported.
 *
 * @category Corpus and batches
 */
export type OpeningBracket = '(' | '[' | '{';

/**
 * One matched pair of brackets. Offsets are character (code point) positions in the text.
 *
 * @category Corpus and batches
 */
export interface BracketPair {
  /** The opening character. */
  readonly char: OpeningBracket;
  /** Offset of the opening bracket. */
  readonly open: number;
  /** Offset of the matching closing bracket. */
  readonly close: number;
}

/**
 * What an identifier names.
 *
 * @category Corpus and batches
 */
export type IdentifierKind = 'macro' | 'struct' | 'field' | 'global' | 'function' | 'parameter' | 'variable';

/**
 * An identifier the generator declared, and every place it was used afterwards.
 *
 * @category Corpus and batches
 */
export interface IdentifierRecord {
  /** The identifier. */
  readonly name: string;
  /** What it names. */
  readonly kind: IdentifierKind;
  /** Offset of its first character at the declaration. */
  readonly declaredAt: number;
  /** Offsets of its first character at each later use, increasing. */
  readonly uses: number[];
}

/**
 * Structure of a generated corpus. Every bracket in the text outside `#include <...>` lines is
 * structural (comments and string literals hold none), so `brackets` pairs all of them.
 *
 * @category Corpus and batches
 */
export interface CStructure {
  /** Every bracket pair, ordered by the offset of the closing bracket. */
  readonly brackets: BracketPair[];
  /** Every declared identifier, in declaration order. */
  readonly identifiers: IdentifierRecord[];
}

/**
 * For each offset of `text`, the offset of the matching bracket (closing -> opening and opening ->
 * closing), -1 for characters that are not paired brackets: a dense form of
 * {@link CStructure.brackets} for indexing by position.
 *
 * @category Corpus and batches
 */
export function bracketPartners(structure: CStructure, length: number): Int32Array {
  const partner = new Int32Array(length).fill(-1);
  for (const { open, close } of structure.brackets) {
    partner[open] = close;
    partner[close] = open;
  }
  return partner;
}

/**
 * For each closing brace `}`, the distance back to its opening `{` in characters: the span of
 * dependencies a model must bridge to close blocks correctly.
 *
 * @category Corpus and batches
 */
export function braceSpans(structure: CStructure): number[] {
  return structure.brackets.filter((p) => p.char === '{').map((p) => p.close - p.open);
}
