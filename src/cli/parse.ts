import { InvalidArgumentError } from 'commander';

/** Commander parser for an integer flag (rejects "3.5", "abc"). Range checks happen in config validation. */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError('expected an integer');
  return n;
}

/** Commander parser for a number flag. */
export function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

/** Commander collector for repeatable flags. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Commander collector for repeatable, comma-separated lists (`--export json,tensorboard`). A value
 * with no name in it (`--export ""`, `--export ,`) is refused: added to other values it would
 * otherwise vanish without a word.
 */
export function collectList(value: string, previous: string[] = []): string[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('expected one or more names, comma-separated');
  return [...previous, ...names];
}

/** Parses `key=value` pairs (`--recorder-opt epsilon=0.01`); numbers and booleans are converted. */
export function parsePairs(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${pair}"`);
    const raw = pair.slice(eq + 1);
    out[pair.slice(0, eq)] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out;
}
