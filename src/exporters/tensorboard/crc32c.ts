import CRC32C from 'crc-32/crc32c.js';

/** The constant TFRecord adds after rotating a CRC (TensorFlow's `kMaskDelta`). */
const MASK_DELTA = 0xa282ead8;

/** CRC-32C (Castagnoli) of `bytes`, as an unsigned 32-bit integer. */
export function crc32c(bytes: Uint8Array): number {
  return CRC32C.buf(bytes) >>> 0;
}

/**
 * Masks a CRC the way TFRecord stores it: rotate right by 15 bits, then add a constant. The mask
 * keeps a CRC of data that itself contains CRCs from being trivially self-similar.
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** Inverse of {@link maskCrc}. */
export function unmaskCrc(masked: number): number {
  const rotated = (masked - MASK_DELTA) >>> 0;
  return ((rotated >>> 17) | (rotated << 15)) >>> 0;
}

/** The masked CRC-32C TFRecord stores after a length or a payload. */
export function maskedCrc32c(bytes: Uint8Array): number {
  return maskCrc(crc32c(bytes));
}
