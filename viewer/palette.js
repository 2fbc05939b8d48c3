// Colours. Distance shades follow the paper: darkest green = the step's own (local) loss, lighter =
// losses further in the future. The hovered loss and the selected batch are blue.

const d3 = window.d3;

export const BLUE = '#2563eb';
export const BLUE_DARK = '#1e40af';
export const GREEN = '#15803d';
export const RED = '#dc2626';
export const INK = '#1f2933';
export const MUTED = '#6b7280';
export const GRID = '#e5e7eb';
export const OVERVIEW_BAR = '#94a3b8';
export const OVERVIEW_HOVER = '#475569';
export const RESIDUAL = '#d1d5db';
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';
export const MONO = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';

const shades = new Map();

/**
 * The distance bands of a record whose distances run 0..maxD: each distance its own band up to 7
 * (few enough shades to tell apart), past that 0, 1, 2, 3 alone and the far distances grouped in
 * doubling bands 4–7, 8–15, 16–31, 32–63. With full itemization (maxD = n − 1, e.g. 24) one shade
 * per distance gave d ≥ 4 a run of greens no one could tell apart; grouped, every shade on screen
 * names a band the legend lists.
 * @returns {{ from: number, to: number }[]} bands in order of distance
 */
export function distanceBands(maxD) {
  const bands = [];
  if (maxD <= 7) {
    for (let d = 0; d <= Math.max(0, maxD); d++) bands.push({ from: d, to: d });
    return bands;
  }
  for (let d = 0; d < 4; d++) bands.push({ from: d, to: d });
  for (let from = 4; from <= maxD; from *= 2) bands.push({ from, to: Math.min(maxD, from * 2 - 1) });
  return bands;
}

/** Index of the band holding distance d (see {@link distanceBands}). */
export function bandOf(d, maxD) {
  if (maxD <= 7 || d < 4) return d;
  return 4 + Math.floor(Math.log2(d / 4));
}

/** A band's name in a legend: "0 (local)", "3", "8–15". */
export function bandLabel(band) {
  if (band.from === 0 && band.to === 0) return '0 (local)';
  return band.from === band.to ? String(band.from) : `${band.from}–${band.to}`;
}

/**
 * Shade of distance d among distances 0..maxD (memoised: charts ask thousands of times per draw):
 * the shade of its band, darkest green for the step's own loss (d = 0), evenly lighter band by
 * band. The ramp stops short of the palest greens so the lightest band stays apart from the white
 * background and from the truncation residual's grey hatching.
 */
export function distanceColor(d, maxD) {
  const key = d * 4096 + maxD;
  let c = shades.get(key);
  if (c === undefined) {
    const count = distanceBands(maxD).length;
    const t = count <= 1 ? 0 : Math.min(1, bandOf(d, maxD) / (count - 1));
    c = d3.color(d3.interpolateGreens(0.97 - 0.72 * t)).formatHex();
    shades.set(key, c);
  }
  return c;
}
