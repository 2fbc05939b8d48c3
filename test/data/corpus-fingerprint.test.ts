import { describe, expect, it } from 'vitest';
import { corpusFingerprint } from '../../src/data/corpus-fingerprint.js';

/** FNV-1a (32-bit) over bytes, written out byte by byte with BigInt: an independent reference. */
function fnv1a32(bytes: Uint8Array): string {
  let h = 0x811c9dc5n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x01000193n) & 0xffffffffn;
  return h.toString(16).padStart(8, '0');
}

describe('corpusFingerprint', () => {
  it('is FNV-1a of the ids as little-endian 32-bit words, with their count', () => {
    for (const ids of [[], [0], [3, 1, 4, 1, 5, 9, 2, 6], [70000, 255, 256, 65535]]) {
      const bytes = new Uint8Array(Int32Array.from(ids).buffer);
      expect(corpusFingerprint(Int32Array.from(ids))).toBe(`fnv1a32:${fnv1a32(bytes)}:${ids.length}`);
    }
    // The published FNV-1a test vector for the single byte "a" (0xe40c292c).
    expect(fnv1a32(new Uint8Array([0x61]))).toBe('e40c292c');
  });

  it('is the same whatever array holds the ids', () => {
    const ids = [5, 0, 255, 17, 3];
    const print = corpusFingerprint(Int32Array.from(ids));
    expect(corpusFingerprint(Uint8Array.from(ids))).toBe(print);
    expect(corpusFingerprint(Uint16Array.from(ids))).toBe(print);
  });

  it('tells apart id sequences that differ in one id, in order, or in a cut', () => {
    const base = Array.from({ length: 1400 }, (_, i) => (i * 7) % 40);
    const variants = [base, base.map((x, i) => (i === 700 ? x + 1 : x)), [...base.slice(1), base[0]], base.slice(0, -1)];
    expect(new Set(variants.map((v) => corpusFingerprint(Int32Array.from(v)))).size).toBe(4);
  });
});
