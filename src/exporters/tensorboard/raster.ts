import { PNG } from 'pngjs';
import type { Rgb } from './colormap.js';

/** Four bytes seen as one 32-bit word: packs a colour as the pixel bytes read on this machine. */
const packBytes = new Uint8Array(4);
const packWord = new Uint32Array(packBytes.buffer);

/** A small RGB canvas that encodes to PNG (no browser, no native code). */
export class Raster {
  /** Pixels, RGBA row-major (alpha always 255). */
  readonly data: Buffer;
  /** The same pixels, one 32-bit word each: a pixel is one store, not four. */
  private readonly pixels: Uint32Array;

  constructor(
    /** Width in pixels. */
    readonly width: number,
    /** Height in pixels. */
    readonly height: number,
    background: Rgb,
  ) {
    // Unpooled, so the memory starts on a word boundary for the 32-bit view.
    this.data = Buffer.allocUnsafeSlow(width * height * 4);
    this.pixels = new Uint32Array(this.data.buffer, this.data.byteOffset, width * height);
    this.pixels.fill(pack(background));
  }

  /**
   * Fills the rectangle [x, x + w) × [y, y + h), clipped to the canvas. The images are a few
   * thousand pixels of small cells: plain word stores beat per-row copies (a heat map took 100 us).
   */
  fillRect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.floor(x));
    const y0 = Math.max(0, Math.floor(y));
    const x1 = Math.min(this.width, Math.floor(x + w));
    const y1 = Math.min(this.height, Math.floor(y + h));
    if (x1 <= x0 || y1 <= y0) return;
    const c = pack(color);
    const px = this.pixels;
    for (let row = y0 * this.width, end = y1 * this.width; row < end; row += this.width) {
      for (let i = row + x0; i < row + x1; i++) px[i] = c;
    }
  }

  /** The RGB value of pixel (x, y). */
  pixel(x: number, y: number): Rgb {
    const o = (y * this.width + x) * 4;
    return [this.data[o], this.data[o + 1], this.data[o + 2]];
  }

  /**
   * Encodes as an 8-bit RGBA PNG with pngjs. Chosen for speed (a run writes two images per
   * recorded batch): RGBA in and out lets pngjs skip its per-pixel conversion; no filter, with
   * deflate's ordinary matching at level 1, finds the repeated rows of blocky images as matches
   * one row back, which pngjs's byte-by-byte "up" filter plus run-length matching took 20-25%
   * longer to reach, at about the same size (1.3-1.6 KB per image).
   */
  toPng(): Buffer {
    // pngjs's sync writer reads only width, height and data, so no PNG object (a stream with
    // parser and packer state) needs to be built per image.
    const image = { width: this.width, height: this.height, data: this.data } as unknown as PNG;
    return PNG.sync.write(image, { colorType: 6, inputColorType: 6, deflateLevel: 1, filterType: 0, deflateStrategy: 0 });
  }
}

/** `color` with alpha 255 as the 32-bit word whose bytes are R, G, B, A in memory order. */
function pack(color: Rgb): number {
  packBytes[0] = color[0];
  packBytes[1] = color[1];
  packBytes[2] = color[2];
  packBytes[3] = 255;
  return packWord[0];
}
