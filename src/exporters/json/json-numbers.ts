/**
 * JSON has no NaN or Infinity, but exploding gradients produce them and they must survive a
 * round trip. They are written as the strings "NaN", "Infinity" and "-Infinity" (as TensorBoard's
 * HTTP API does) and turned back into numbers on read, except under keys that hold real strings.
 */

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Keys whose string values are text, never encoded numbers. */
const TEXT_KEYS = new Set(['schema', 'runId', 'cell', 'reduction', 'primary', 'text', 'status', 'startedAt', 'version', 'source', 'recorder', 'engine', 'name']);

/** `JSON.stringify` that encodes non-finite numbers as strings. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

/** `JSON.parse` that decodes the strings written by {@link stringifyJson} back into numbers. */
export function parseJson<T>(text: string): T {
  return JSON.parse(text, (key, v) => (typeof v === 'string' && v in NON_FINITE && !TEXT_KEYS.has(key) ? NON_FINITE[v] : v)) as T;
}
