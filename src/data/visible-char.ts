/**
 * Showing single characters to people. Token labels in the CLI, TensorBoard text and the viewer
 * are often whitespace or control characters, which print as nothing (or break a line); these
 * helpers turn them into a visible glyph or a `U+XXXX` code.
 */

/** Glyphs for the whitespace characters a C corpus is full of. */
const WHITESPACE_GLYPHS: ReadonlyMap<string, string> = new Map([
  [' ', '␣'],
  ['\n', '⏎'],
  ['\t', '⇥'],
  ['\r', '␍'],
]);

/**
 * Characters with no useful glyph of their own: controls, format characters (zero-width joiners,
 * the BOM), separators other than the plain space (no-break space, line separator), surrogates
 * and private-use or unassigned code points.
 */
const INVISIBLE = /^[\p{Cc}\p{Cf}\p{Z}\p{Cs}\p{Co}\p{Cn}]$/u;

/** A combining mark draws on top of the previous glyph, so alone it needs a dotted-circle base. */
const COMBINING_MARK = /^\p{M}$/u;

/** `U+0007`, `U+1F600`: the Unicode code point of the first character of `ch`, at least 4 hex digits. */
export function codePointLabel(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A readable stand-in for one character (one code point): `'␣'` for a space, `'⏎'` for a newline,
 * `'⇥'` for a tab, `'␍'` for a carriage return, `'U+0007'` for controls and other invisible code
 * points, `'◌́'` for a lone combining mark; every other character is returned unchanged (astral
 * characters such as emoji included).
 *
 * @category Corpus and batches
 */
export function visibleChar(ch: string): string {
  const glyph = WHITESPACE_GLYPHS.get(ch);
  if (glyph !== undefined) return glyph;
  if (ch === '') return '∅';
  if (INVISIBLE.test(ch)) return codePointLabel(ch);
  if (COMBINING_MARK.test(ch)) return `◌${ch}`;
  return ch;
}

/**
 * A character described for an error message: `"é" (U+00E9)` when it prints, `U+0007` when it
 * does not, `"␣" (U+0020)` for whitespace with a glyph.
 */
export function describeChar(ch: string): string {
  const visible = visibleChar(ch);
  const code = codePointLabel(ch);
  return visible === code ? code : `"${visible}" (${code})`;
}
