/**
 * Counting in characters, not UTF-16 units. Corpus sizes, `--max-chars` and corpus offsets all
 * count code points (= tokens), so an astral character is one character everywhere.
 */

/** Number of code points in `text` (a surrogate pair counts once, a lone surrogate once). */
export function countCodePoints(text: string): number {
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
  let seen = 0;
  let i = 0;
  while (i < text.length && seen < count) {
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    seen++;
  }
  return text.slice(0, i);
}
