import { EMPTY_COLOR, NON_FINITE_COLOR, BACKGROUND, viridis } from './colormap.js';
import { magnitudeMatrix } from './horizon.js';
import { Raster } from './raster.js';

/** Options of {@link renderHeatmap}. */
export interface HeatmapOptions {
  /** Target width/height in pixels; each cell gets floor(size / n) pixels, clamped to 1..4. */
  size?: number;
  /** Decades of magnitude below the maximum that the colour scale spans (log scale). */
  decades?: number;
}

/**
 * Heatmap of the t x j magnitude matrix: row t (loss step, top to bottom), column j (step the
 * gradient lands on, left to right). Colour is viridis on a log10 scale spanning `decades` below
 * the largest finite magnitude (bright = large). Light grey: nothing recorded (j > t, or beyond
 * the truncation); magenta: NaN/Infinity; darkest viridis: 0 or below the scale.
 */
export function renderHeatmap(byDistance: readonly (readonly number[])[], n: number, opts: HeatmapOptions = {}): Raster {
  // Small on purpose: TensorBoard scales images to the card width with pixelated rendering, and
  // PNG encoding time grows with the pixel count.
  const cell = Math.max(1, Math.min(4, Math.floor((opts.size ?? 64) / Math.max(1, n))));
  const decades = opts.decades ?? 4;
  const m = magnitudeMatrix(byDistance, n);
  let max = 0;
  for (const row of m) for (const v of row) if (v !== null && Number.isFinite(v) && v > max) max = v;
  const logMax = Math.log10(max);
  const raster = new Raster(n * cell, n * cell, BACKGROUND);
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < n; j++) {
      const v = m[t][j];
      let color = EMPTY_COLOR;
      if (v !== null) {
        if (!Number.isFinite(v)) color = NON_FINITE_COLOR;
        else color = viridis(v > 0 && max > 0 ? (Math.log10(v) - logMax + decades) / decades : 0);
      }
      raster.fillRect(j * cell, t * cell, cell, cell, color);
    }
  }
  return raster;
}
