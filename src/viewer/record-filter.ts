import type { Series } from './series.js';

/** A record as JSON.parse reads the exporter's text (non-finite numbers still their strings). */
type RecordJson = Record<string, unknown> & { params?: Record<string, Record<string, unknown>> };

/**
 * The record with only the gradients of `series` in `params`; every other field (labels,
 * predictions, losses, n, k, ...) is kept as it is. A whole parameter (`weight_hh`) keeps every
 * field of that parameter but its gates (its `byDistance` matrix and truncation `residual`); a
 * gate (`weight_hh:f`) keeps that one matrix under `gates`. Parameters, fields and gates keep the
 * record's order, and what the record lacks is left out rather than made up.
 *
 * This is what lets the page ask for the one series it draws: a full-itemization LSTM record
 * holds every parameter and all four gates of each, twelve or more matrices of n × n numbers.
 */
export function filterRecordSeries<T extends RecordJson>(record: T, series: readonly Pick<Series, 'param' | 'gate'>[]): T {
  const whole = new Set<string>();
  const gates = new Map<string, Set<string>>();
  for (const s of series) {
    if (s.gate === undefined) whole.add(s.param);
    else {
      const set = gates.get(s.param) ?? new Set<string>();
      set.add(s.gate);
      gates.set(s.param, set);
    }
  }
  const params: Record<string, Record<string, unknown>> = {};
  for (const [name, param] of Object.entries(record.params ?? {})) {
    const wantGates = gates.get(name);
    if (!whole.has(name) && !wantGates) continue;
    const kept: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(param)) {
      if (field !== 'gates') {
        if (whole.has(name)) kept[field] = value;
      } else if (wantGates && value && typeof value === 'object') {
        const picked: Record<string, unknown> = {};
        for (const [gate, matrix] of Object.entries(value)) if (wantGates.has(gate)) picked[gate] = matrix;
        if (Object.keys(picked).length) kept.gates = picked;
      }
    }
    if (Object.keys(kept).length) params[name] = kept;
  }
  return { ...record, params };
}
