import type { BatchRecord, RunInfo } from '../core/record.js';

/**
 * A series is what the bars show: one itemized parameter as a whole (`weight_hh`) or one gate's
 * row block of it (`weight_hh:f`). The page's parameter and gate choosers pick a series.
 */
export interface Series {
  /** `param` or `param:gate`: the key the API takes in `series=`. */
  key: string;
  /** Parameter name. */
  param: string;
  /** Gate name, for a gate's block of a gated parameter. */
  gate?: string;
}

/** The key of a parameter (and gate). */
export function seriesKey(param: string, gate?: string): string {
  return gate === undefined ? param : `${param}:${gate}`;
}

/** Every series of a run: each parameter, then each of its gates, in the run's order. */
export function seriesFromParams(params: readonly { name: string; gates?: readonly string[] }[]): Series[] {
  const out: Series[] = [];
  for (const p of params) {
    out.push({ key: p.name, param: p.name });
    for (const g of p.gates ?? []) out.push({ key: seriesKey(p.name, g), param: p.name, gate: g });
  }
  return out;
}

/** The series of a run: from its RunInfo when it lists them, else from what a record holds. */
export function runSeries(info: RunInfo | null, record?: BatchRecord): Series[] {
  if (info?.itemizedParams?.length) return seriesFromParams(info.itemizedParams);
  if (!record) return [];
  return seriesFromParams(Object.entries(record.params).map(([name, p]) => ({ name, gates: p.gates ? Object.keys(p.gates) : undefined })));
}

/** The `byDistance[t][d]` matrix of a series in a record, or undefined when the record lacks it. */
export function seriesMatrix(record: BatchRecord, series: Pick<Series, 'param' | 'gate'>): number[][] | undefined {
  const p = record.params?.[series.param];
  if (!p) return undefined;
  return series.gate === undefined ? p.byDistance : p.gates?.[series.gate];
}
