/**
 * JSON has no NaN or Infinity, but exploding gradients produce them and they must survive a
 * round trip. They are written as the strings "NaN", "Infinity" and "-Infinity" (as TensorBoard's
 * HTTP API does) and turned back into numbers on read, except under keys that hold real strings.
 */

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Keys whose string values are text, never encoded numbers. */
const TEXT_KEYS = new Set(['schema', 'runId', 'cell', 'reduction', 'primary', 'text', 'status', 'startedAt', 'version', 'source', 'recorder', 'engine', 'name']);

/**
 * `JSON.stringify` that encodes non-finite numbers as strings. A replacer function takes V8 off
 * its fast path and is called once per array element (a recorded batch's JSON took 1.7x as
 * long), so values are first scanned and the replacer runs only when one is not finite.
 */
export function stringifyJson(value: unknown): string {
  if (!hasNonFinite(value)) return JSON.stringify(value);
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/** Whether a number anywhere in `value` (as `JSON.stringify` would visit it) is NaN or infinite. */
function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const x: unknown = value[i];
      if (typeof x === 'number' ? !Number.isFinite(x) : hasNonFinite(x)) return true;
    }
    return false;
  }
  // toJSON (Dates) and typed arrays: stringify sees what toJSON returns, or the indexed values.
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return hasNonFinite(json.call(value));
  if (ArrayBuffer.isView(value)) return Array.prototype.some.call(value, (x: unknown) => typeof x === 'number' && !Number.isFinite(x));
  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key) && hasNonFinite((value as Record<string, unknown>)[key])) return true;
  return false;
}

/**
 * `JSON.parse` that decodes the strings written by {@link stringifyJson} back into numbers. A
 * reviver makes `JSON.parse` ~10x slower, and most texts (a record without exploding gradients)
 * hold none of those strings: they are parsed without it.
 */
export function parseJson<T>(text: string): T {
  // `"-Infinity"` contains `Infinity"`: two searches find all three encodings.
  if (!text.includes('"NaN"') && !text.includes('Infinity"')) return JSON.parse(text) as T;
  return JSON.parse(text, (key, v) => (typeof v === 'string' && v in NON_FINITE && !TEXT_KEYS.has(key) ? NON_FINITE[v] : v)) as T;
}
