/** An RGB colour, channels 0..255. */
export type Rgb = readonly [number, number, number];

/** Control points of the viridis colour map (perceptually uniform, readable in greyscale). */
const VIRIDIS: readonly Rgb[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 73, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [181, 222, 43],
  [253, 231, 37],
];

/** Viridis at x in [0, 1] (clamped), by linear interpolation between control points. */
export function viridis(x: number): Rgb {
  const v = Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(v));
  const f = v - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/**
 * The rainbow shade of distance d among 0..maxDistance: red for the loss's own step (d = 0)
 * through to violet for the farthest, as in the RNNbow paper's bars.
 */
export function distanceColor(d: number, maxDistance: number): Rgb {
  const hue = maxDistance > 0 ? (270 * Math.min(d, maxDistance)) / maxDistance : 0;
  return hsvToRgb(hue, 0.85, 0.95);
}

/** HSV (hue in degrees, s and v in [0, 1]) to RGB. */
export function hsvToRgb(h: number, s: number, v: number): Rgb {
  const c = v * s;
  const hp = (((h % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const [r, g, b] = hp < 1 ? [c, x, 0] : hp < 2 ? [x, c, 0] : hp < 3 ? [0, c, x] : hp < 4 ? [0, x, c] : hp < 5 ? [x, 0, c] : [c, 0, x];
  const m = v - c;
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/** Colour of cells with no data (j > t, or beyond the truncation). */
export const EMPTY_COLOR: Rgb = [240, 240, 240];
/** Colour of cells holding NaN or ±Infinity, so broken values stand out. */
export const NON_FINITE_COLOR: Rgb = [255, 0, 255];
/** Background of images. */
export const BACKGROUND: Rgb = [255, 255, 255];
