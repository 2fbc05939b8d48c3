import { ConfigError } from './errors.js';

/**
 * Readers for the loosely typed `options` objects that recorders and exporters receive, so each
 * part reports a bad option by name instead of failing later.
 */

/** An integer option `>= min`, or `fallback` when absent. */
export function intOption(owner: string, options: Record<string, unknown>, key: string, fallback: number | null, min = 0): number | null {
  const v = options[key];
  if (v === undefined || v === null) return fallback;
  const num = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof num !== 'number' || !Number.isInteger(num) || num < min) {
    throw new ConfigError(`${owner}: option "${key}" must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  }
  return num;
}

/** A boolean option, or `fallback` when absent. Accepts `true`/`false` and the strings "true"/"false". */
export function boolOption(owner: string, options: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = options[key];
  if (v === undefined || v === null) return fallback;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new ConfigError(`${owner}: option "${key}" must be true or false, got ${JSON.stringify(v)}`);
}

/** A finite number option, or `fallback` when absent. */
export function numberOption(owner: string, options: Record<string, unknown>, key: string, fallback: number): number {
  const v = options[key];
  if (v === undefined || v === null) return fallback;
  const num = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof num !== 'number' || !Number.isFinite(num)) {
    throw new ConfigError(`${owner}: option "${key}" must be a number, got ${JSON.stringify(v)}`);
  }
  return num;
}
