// Number and character formatting shared by the charts.

const d3 = window.d3;
const sig3 = d3.format('.3~g');
const sig2 = d3.format('.2~g');
const grouped = d3.format(',');

const whole = d3.format(',.0f');
const exp3 = d3.format('.3~e');

/**
 * Numbers at or past this size are written with an exponent: SI prefixes past "M" (G, T, P, E, Z,
 * Y) are not read as powers of ten by most people, and an exploding loss of 1.18e21 printed as
 * "1.18Z" looked like a unit.
 */
export const EXPONENT_FROM = 1e6;

/**
 * A magnitude with about 3 significant digits: separators up to a million, an exponent above it
 * (and below 0.001); NaN and infinities spelled out.
 */
export function fmt(v) {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a >= EXPONENT_FROM) return exp3(v);
  if (a >= 100) return whole(v);
  return a >= 1e-3 || v === 0 ? sig3(v) : d3.format('.2~e')(v);
}

/** A compact magnitude for axes and tight spots (2 significant digits). */
export function fmtShort(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return '∞';
  const a = Math.abs(v);
  if (a >= EXPONENT_FROM) return d3.format('.1~e')(v);
  if (a >= 1e4) return d3.format('.2~s')(v); // k only: 12k, 340k
  if (a >= 10) return whole(v);
  return a >= 1e-3 || v === 0 ? sig2(v) : d3.format('.1~e')(v);
}

/**
 * The mean of `values`, NaN or ±∞ when one of them is (d3.mean skips NaN, which hid a NaN loss
 * behind the mean of the others, or behind "–" when all were NaN).
 */
export function meanOf(values) {
  if (!values?.length) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** An integer with thousands separators. */
export function fmtInt(v) {
  return v === null || v === undefined ? '–' : grouped(v);
}

/** The visible form of token `id` in a run (server-computed: ␣ ⏎ ⇥, U+XXXX for controls). */
export function tokenText(run, id) {
  const v = run?.vocabVisible?.[id];
  return v === undefined ? `#${id}` : v;
}

/** `word` as one shell word: as it is when plain, else in single quotes (so a pasted command works). */
export function shellWord(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
