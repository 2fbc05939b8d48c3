// Number and character formatting shared by the charts.

const d3 = window.d3;
const sig3 = d3.format('.3~g');
const sig2 = d3.format('.2~g');
const grouped = d3.format(',');

const big = d3.format('.3~s');
const whole = d3.format(',.0f');

/** A magnitude with about 3 significant digits (never an exponent above 0.001); NaN and infinities spelled out. */
export function fmt(v) {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  if (a >= 1e5) return big(v);
  if (a >= 100) return whole(v);
  return a >= 1e-3 || v === 0 ? sig3(v) : d3.format('.2~e')(v);
}

/** A compact magnitude for axes and tight spots (2 significant digits). */
export function fmtShort(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return '∞';
  const a = Math.abs(v);
  if (a >= 1e4) return d3.format('.2~s')(v);
  if (a >= 10) return whole(v);
  return a >= 1e-3 || v === 0 ? sig2(v) : d3.format('.1~e')(v);
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
