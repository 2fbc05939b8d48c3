import { describe, expect, it } from 'vitest';
import { decodeStructure, encodeStructure } from '../../../src/exporters/tensorboard/rnnbow-codec.js';
import { float64Bytes, readFloat64 } from '../../../src/exporters/tensorboard/tensor.js';
import { sampleRunInfo, syntheticRecord } from './helpers.js';

/** Round trip through the bytes that go into the file. */
function roundTrip(value: unknown): unknown {
  const enc = encodeStructure(value);
  const bytes = Buffer.from(float64Bytes(enc.numbers));
  // Decode from an unaligned copy, as a reader sees bytes inside a protobuf payload.
  const unaligned = Buffer.concat([Buffer.from([7]), bytes]).subarray(1);
  return decodeStructure(enc.skeleton, readFloat64(unaligned));
}

/** Every number of two structures compared bit for bit (Object.is also tells -0 from 0). */
function expectBitExact(a: unknown, b: unknown, path = '$'): void {
  if (typeof a === 'number') {
    expect(typeof b, path).toBe('number');
    const x = new Float64Array([a]);
    const y = new Float64Array([b as number]);
    expect(Object.is(a, b) || new Uint8Array(x.buffer).every((v, i) => v === new Uint8Array(y.buffer)[i]), `${path}: ${a} vs ${b}`).toBe(true);
    return;
  }
  if (Array.isArray(a)) {
    expect(Array.isArray(b), path).toBe(true);
    expect((b as unknown[]).length, path).toBe(a.length);
    a.forEach((v, i) => expectBitExact(v, (b as unknown[])[i], `${path}[${i}]`));
    return;
  }
  if (a !== null && typeof a === 'object') {
    expect(Object.keys(b as object).sort(), path).toEqual(Object.keys(a).sort());
    for (const k of Object.keys(a)) expectBitExact((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(b, path).toBe(a);
}

describe('rnnbow record codec', () => {
  it('round-trips a record bit-exactly, NaN, ±Infinity and -0 included', () => {
    const record = syntheticRecord(12, { nonFinite: true });
    const back = roundTrip(record);
    expectBitExact(record, back);
    expect(Object.is((back as typeof record).params.weight_hh.byDistance[0][0], -0)).toBe(true);
    expect((back as typeof record).maxGradient).toBeNaN();
  });

  it('round-trips numbers JSON would alter, standalone and in arrays', () => {
    const value = {
      a: Number.NaN,
      b: [Number.POSITIVE_INFINITY, -0, 5e-324, Number.MAX_VALUE, 0.1 + 0.2],
      c: -0,
      d: [[1, Number.NEGATIVE_INFINITY], [], ['x', Number.NaN, 2]],
      e: 1 / 3,
      f: null,
      g: true,
      h: 'text with "quotes" and \u2028',
    };
    expectBitExact(value, roundTrip(value));
  });

  it('keeps user keys that look like its markers', () => {
    const info = sampleRunInfo();
    const back = roundTrip(info) as typeof info;
    expectBitExact(info, back);
    expect(back.config).toEqual({ seed: 1, nested: { $f64: 3, $weird: [1, 2], list: [0.1, -0] } });
    expect(roundTrip({ $f64: [0, 1] })).toEqual({ $f64: [0, 1] });
    expect(roundTrip({ $$x: 1, $: 2 })).toEqual({ $$x: 1, $: 2 });
  });

  it('stores number arrays in the float64 buffer, not in the JSON', () => {
    const enc = encodeStructure({ xs: [1.5, 2.5, 3.5], n: 4 });
    expect(Array.from(enc.numbers)).toEqual([1.5, 2.5, 3.5]);
    expect(JSON.parse(enc.skeleton)).toEqual({ xs: { $f64: [0, 3] }, n: 4 });
  });

  it('stores a ragged matrix as one range plus row lengths', () => {
    const enc = encodeStructure({ m: [[1, 2], [3], [4, 5, 6]], mixed: [[1], [], ['a']] });
    expect(Array.from(enc.numbers)).toEqual([1, 2, 3, 4, 5, 6, 1]);
    expect(JSON.parse(enc.skeleton)).toEqual({ m: { $f64: [0, 6], $rows: [2, 1, 3] }, mixed: [{ $f64: [6, 1] }, [], ['a']] });
    expect(decodeStructure(enc.skeleton, enc.numbers)).toEqual({ m: [[1, 2], [3], [4, 5, 6]], mixed: [[1], [], ['a']] });
  });

  it('rejects references outside the number buffer', () => {
    expect(() => decodeStructure('{"a":{"$f64":[0,4],"$rows":[2,2]}}', new Float64Array(3))).toThrow(/does not fit/);
    expect(() => decodeStructure('{"a":{"$f64":[0,3],"$rows":[2,2]}}', new Float64Array(5))).toThrow(/does not fit/);
    expect(() => decodeStructure('{"a":{"$f64":[0,4]}}', new Float64Array(3))).toThrow(/out of range/);
    expect(() => decodeStructure('{"a":{"$f64":9}}', new Float64Array(3))).toThrow(/out of range/);
  });
});
