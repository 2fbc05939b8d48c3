import { ConfigError } from './errors.js';

/**
 * Readers for the loosely typed `options` objects that recorders and exporters receive, so each
 * part reports a bad option by name instead of failing later.
 */

/**
 * Refuses option keys a part does not read: a typo (`kk` for `k`) would otherwise run with the
 * default, which is what docs/configuration.md promises never happens. Built-in parts call this
 * first; plugins may take any options, so the registry does not check for them.
 *
 * @param where the part as errors name it, e.g. `recorder "truncated"`
 * @param keys every option the part reads
 */
export function knownOptions(where: string, options: Record<string, unknown>, keys: readonly string[]): void {
  const unknown = Object.keys(options).filter((key) => !keys.includes(key));
  if (unknown.length === 0) return;
  const names = unknown.map((key) => `"${key}"`).join(', ');
  const known = keys.length ? `known options: ${keys.join(', ')}` : 'it takes no options';
  throw new ConfigError(`${where}: unknown option${unknown.length > 1 ? 's' : ''} ${names}; ${known}`);
}

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

/** A finite number option (greater than `above` when given), or `fallback` when absent. */
export function numberOption(owner: string, options: Record<string, unknown>, key: string, fallback: number, above?: number): number {
  const v = options[key];
  if (v === undefined || v === null) return fallback;
  const num = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof num !== 'number' || !Number.isFinite(num)) {
    throw new ConfigError(`${owner}: option "${key}" must be a number, got ${JSON.stringify(v)}`);
  }
  if (above !== undefined && !(num > above)) throw new ConfigError(`${owner}: option "${key}" must be > ${above}, got ${num}`);
  return num;
}
