import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { renderStackedBars } from '../../../src/exporters/tensorboard/bars.js';
import { BACKGROUND, EMPTY_COLOR, NON_FINITE_COLOR, distanceColor, viridis } from '../../../src/exporters/tensorboard/colormap.js';
import { renderHeatmap } from '../../../src/exporters/tensorboard/heatmap.js';

describe('heatmap', () => {
  const bd = [[1], [0.1, 0.01], [1e-6, Number.NaN]]; // row t = 2 truncated at d = 1
  const r = renderHeatmap(bd, 3, { size: 12 });
  const cell = 4;
  const at = (t: number, j: number) => r.pixel(j * cell + 1, t * cell + 2);

  it('draws row t, column j with a log colour scale', () => {
    expect(r.width).toBe(12);
    expect(r.height).toBe(12);
    expect(at(0, 0)).toEqual(viridis(1)); // the largest magnitude
    expect(at(1, 0)).toEqual(viridis((Math.log10(0.01) + 4) / 4)); // m[1][0] = byDistance[1][1]
    expect(at(1, 1)).toEqual(viridis((Math.log10(0.1) + 4) / 4));
    expect(at(2, 2)).toEqual(viridis(0)); // 1e-6 is below the 4 decades shown
    expect(at(2, 1)).toEqual(NON_FINITE_COLOR);
    expect(at(0, 2)).toEqual(EMPTY_COLOR); // j > t
    expect(at(2, 0)).toEqual(EMPTY_COLOR); // d = 2 beyond the truncation
  });

  it('encodes to a PNG of the same pixels', () => {
    const png = PNG.sync.read(r.toPng());
    expect([png.width, png.height]).toEqual([12, 12]);
    const o = (2 * 12 + 5) * 4;
    expect([png.data[o], png.data[o + 1], png.data[o + 2]]).toEqual(at(0, 1));
  });
});

describe('stacked bars', () => {
  it('bar j has height Σ_t |m[t][j]|, stacked by distance from the bottom', () => {
    // Bars: j=0: d0=1 (t0), d1=1 (t1), d2=2 (t2) -> 4; j=1: d0=1 (t1), d1=1 (t2) -> 2; j=2: d0=2 (t2) -> 2.
    const bd = [[1], [1, 1], [2, 1, 2]];
    const r = renderStackedBars(bd, 3, { width: 18, height: 40 });
    expect([r.width, r.height]).toEqual([18, 40]);
    const column = (x: number) => Array.from({ length: 40 }, (_, y) => r.pixel(x, y));
    const filled = (x: number) => column(x).filter((p) => p.join() !== BACKGROUND.join()).length;
    expect(filled(2)).toBe(40);
    expect(filled(8)).toBe(20);
    expect(filled(14)).toBe(20);
    // Bottom of bar 0 is distance 0, its top distance 2.
    expect(r.pixel(2, 39)).toEqual(distanceColor(0, 2));
    expect(r.pixel(2, 0)).toEqual(distanceColor(2, 2));
    expect(column(2).filter((p) => p.join() === distanceColor(2, 2).join())).toHaveLength(20);
    // A gap column between bars.
    expect(r.pixel(5, 39)).toEqual(BACKGROUND);
  });

  it('is blank when every magnitude is zero or not finite', () => {
    const r = renderStackedBars([[0], [Number.NaN, 0]], 2, { width: 8, height: 10 });
    for (let y = 0; y < 10; y++) for (let x = 0; x < 8; x++) expect(r.pixel(x, y)).toEqual(BACKGROUND);
  });
});
