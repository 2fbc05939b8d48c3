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
 * Shade of distance d among distances 0..maxD (memoised: charts ask thousands of times per draw).
 * The ramp runs in log(1 + d), not d: most of the gradient comes from the nearest few losses, and
 * with full itemization (maxD = n - 1, e.g. 24) a linear ramp gave d = 0..3 nearly the same dark
 * green. In log steps the near distances are clearly apart and the far ones, which matter less
 * and carry little, share the light end.
 */
export function distanceColor(d, maxD) {
  const key = d * 4096 + maxD;
  let c = shades.get(key);
  if (c === undefined) {
    const t = maxD <= 0 ? 0 : Math.min(1, Math.log1p(d) / Math.log1p(maxD));
    c = d3.color(d3.interpolateGreens(0.97 - 0.76 * t)).formatHex();
    shades.set(key, c);
  }
  return c;
}
