import { describe, expect, it } from 'vitest';
import { parseJson, stringifyJson } from '../../../src/exporters/json/json-numbers.js';

describe('stringifyJson / parseJson', () => {
  it('writes finite values exactly as JSON.stringify does', () => {
    const value = { a: [1.5, -0.1, 1e-30, [2, [3.25]]], b: null, s: 'NaN-free', d: new Date(0), t: Float32Array.of(0.5, 2), k: undefined };
    expect(stringifyJson(value)).toBe(JSON.stringify(value));
  });

  it('keeps NaN and infinities wherever they sit (nested arrays, objects, typed arrays, toJSON) and reads them back', () => {
    const cases: unknown[] = [
      { byDistance: [[0.5], [1, NaN]] },
      { deep: { deeper: { x: Infinity } } },
      [[[-Infinity]]],
      { t: Float32Array.of(1, NaN) },
      { j: { toJSON: () => [1, Infinity] } },
    ];
    for (const value of cases) {
      const text = stringifyJson(value);
      expect(text).not.toContain('null');
      expect(text).toMatch(/"(NaN|Infinity|-Infinity)"/);
    }
    const back = parseJson<{ byDistance: number[][]; deep: { deeper: { x: number } }; neg: number[]; text: string }>(
      stringifyJson({ byDistance: [[0.5], [1, NaN]], deep: { deeper: { x: Infinity } }, neg: [-Infinity], text: 'NaN' }),
    );
    expect(back.byDistance[1][1]).toBeNaN();
    expect(back.deep.deeper.x).toBe(Infinity);
    expect(back.neg[0]).toBe(-Infinity);
    // Under a text key the string stays a string.
    expect(back.text).toBe('NaN');
  });
});
