/** One line of the benchmark table. */
export interface BenchRow {
  /** What was measured. */
  readonly measure: string;
  /** Engine (or tool) that ran it. */
  readonly engine: string;
  /** The figure, formatted. */
  readonly value: string;
  /** Ratio or comparison, formatted (empty when none). */
  readonly compare?: string;
}

/** Renders rows as a fixed-width text table under a title. */
export function renderTable(title: string, rows: readonly BenchRow[]): string {
  const head: BenchRow = { measure: 'measure', engine: 'engine', value: 'value', compare: 'compare' };
  const all = [head, ...rows];
  const w = (key: keyof BenchRow) => Math.max(...all.map((r) => (r[key] ?? '').length));
  const widths = { measure: w('measure'), engine: w('engine'), value: w('value') };
  const line = (r: BenchRow) =>
    `${r.measure.padEnd(widths.measure)}  ${r.engine.padEnd(widths.engine)}  ${r.value.padStart(widths.value)}  ${r.compare ?? ''}`.trimEnd();
  const rule = '-'.repeat(Math.max(...all.map((r) => line(r).length)));
  return [title, rule, line(head), rule, ...rows.map(line), rule].join('\n');
}

/** 12345.6 → "12,346". */
export function formatRate(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}
