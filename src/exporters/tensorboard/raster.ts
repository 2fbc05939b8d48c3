import { PNG } from 'pngjs';
import type { Rgb } from './colormap.js';

/** A small RGB canvas that encodes to PNG (no browser, no native code). */
export class Raster {
  /** Pixels, RGBA row-major (alpha always 255). */
  readonly data: Buffer;

  constructor(
    /** Width in pixels. */
    readonly width: number,
    /** Height in pixels. */
    readonly height: number,
    background: Rgb,
  ) {
    this.data = Buffer.allocUnsafe(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Fills the rectangle [x, x + w) × [y, y + h), clipped to the canvas. */
  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(this.width, Math.floor(x + w));
    const y1 = Math.min(this.height, Math.floor(y + h));
    if (x1 <= x0 || y1 <= y0) return;
    // Fill the first row, then copy it: far fewer per-pixel writes for tall rectangles.
    const rowStart = (y0 * this.width + x0) * 4;
    for (let px = 0; px < x1 - x0; px++) {
      const o = rowStart + px * 4;
      this.data[o] = color[0];
      this.data[o + 1] = color[1];
      this.data[o + 2] = color[2];
      this.data[o + 3] = 255;
    }
    const bytes = (x1 - x0) * 4;
    for (let py = y0 + 1; py < y1; py++) this.data.copyWithin((py * this.width + x0) * 4, rowStart, rowStart + bytes);
  }

  /** The RGB value of pixel (x, y). */
  pixel(x: number, y: number): Rgb {
    const o = (y * this.width + x) * 4;
    return [this.data[o], this.data[o + 1], this.data[o + 2]];
  }

  /**
   * Encodes as an 8-bit RGBA PNG with pngjs. Chosen for speed (a run writes two images per
   * recorded batch): RGBA in and out lets pngjs skip its per-pixel conversion, the "up" filter
   * turns the repeated rows of blocky images into zeros, and deflate level 1 avoids the slow lazy
   * matching that gains almost nothing on such data.
   */
  toPng(): Buffer {
    // pngjs's sync writer reads only width, height and data, so no PNG object (a stream with
    // parser and packer state) needs to be built per image.
    const image = { width: this.width, height: this.height, data: this.data } as unknown as PNG;
    return PNG.sync.write(image, { colorType: 6, inputColorType: 6, deflateLevel: 1, filterType: 2 });
  }
}
