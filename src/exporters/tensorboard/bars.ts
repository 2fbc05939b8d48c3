import { BACKGROUND, distanceColor } from './colormap.js';
import { Raster } from './raster.js';

/** Options of {@link renderStackedBars}. */
export interface BarsOptions {
  /** Target image width in pixels; each bar gets floor(width / n) pixels, clamped to 2..6. */
  width?: number;
  /** Image height in pixels (the tallest bar fills it). */
  height?: number;
}

/**
 * The paper's stacked-bar view: one bar per step j whose height is Σ_t |m[t][j]|, split into
 * segments by source distance d = t - j, d = 0 (red) at the bottom up to the farthest (violet).
 * Linear scale, tallest bar = image height. Non-finite contributions are left out of the bars.
 */
export function renderStackedBars(byDistance: readonly (readonly number[])[], n: number, opts: BarsOptions = {}): Raster {
  // Small on purpose (see heatmap.ts): TensorBoard scales images up without smoothing.
  const barW = Math.max(2, Math.min(6, Math.floor((opts.width ?? 100) / Math.max(1, n))));
  const height = opts.height ?? 80;
  const gap = barW >= 4 ? 1 : 0;
  let maxD = 0;
  // heights[j][d] = |m[j + d][d]|
  const heights: number[][] = Array.from({ length: n }, () => []);
  for (let t = 0; t < Math.min(n, byDistance.length); t++) {
    const row = byDistance[t];
    for (let d = 0; d < row.length && d <= t; d++) {
      const v = Math.abs(row[d]);
      heights[t - d][d] = Number.isFinite(v) ? v : 0;
      if (d > maxD) maxD = d;
    }
  }
  let tallest = 0;
  const totals = heights.map((h) => h.reduce((a, b) => a + (b ?? 0), 0));
  for (const s of totals) if (s > tallest) tallest = s;
  const raster = new Raster(n * barW, height, BACKGROUND);
  if (!(tallest > 0)) return raster;
  // One colour per distance, not one per segment (n(n+1)/2 of them at full itemization).
  const colors = Array.from({ length: maxD + 1 }, (_, d) => distanceColor(d, maxD));
  for (let j = 0; j < n; j++) {
    let cum = 0;
    const h = heights[j];
    for (let d = 0; d < h.length; d++) {
      const v = h[d] ?? 0;
      if (v <= 0) continue;
      const y0 = Math.round((cum / tallest) * height);
      cum += v;
      const y1 = Math.round((cum / tallest) * height);
      if (y1 > y0) raster.fillRect(j * barW, height - y1, barW - gap, y1 - y0, colors[d]);
    }
  }
  return raster;
}
