import type { BatchRecord } from './record.js';

/**
 * Checks that a value has the fields of a {@link BatchRecord} that readers rely on: the viewer
 * reports a line that is valid JSON but not a record instead of breaking a chart, and a plugin
 * recorder's `finalize` is held to it. Returns a message, or null when it is fine.
 */
export function recordShapeProblem(v: unknown): string | null {
  if (!v || typeof v !== 'object') return 'not a JSON object';
  const r = v as Partial<BatchRecord>;
  if (typeof r.batch !== 'number' || !Number.isInteger(r.batch) || r.batch < 0) return 'field "batch" is missing or not a non-negative integer';
  if (typeof r.n !== 'number') return 'field "n" is missing';
  for (const key of ['inputs', 'targets', 'predictions', 'losses'] as const) {
    if (!Array.isArray(r[key])) return `field "${key}" is missing or not an array`;
  }
  if (!r.params || typeof r.params !== 'object') return 'field "params" is missing';
  if (typeof r.primary !== 'string' || !r.params[r.primary]) return `primary parameter ${JSON.stringify(r.primary)} has no itemized gradient`;
  for (const [name, p] of Object.entries(r.params)) {
    if (!p || !Array.isArray(p.byDistance) || !p.byDistance.every((row) => Array.isArray(row))) return `parameter "${name}": byDistance is not a matrix`;
  }
  return null;
}
