import { maxBar } from '../core/bars.js';
import type { BatchRecord } from '../core/record.js';
import { seriesMatrix, type Series } from './series.js';

/**
 * What the index keeps of one record: enough for the overview, the interesting-batch lists and the
 * horizon-over-training chart, so those never re-read records. A few numbers per series, not the
 * matrices.
 */
export interface RecordSummary {
  /** Global batch index. */
  batch: number;
  /** Seconds since the epoch. */
  wallTime: number;
  /** First input character's offset in the corpus. */
  corpusOffset: number;
  /** Steps n. */
  n: number;
  /** Mean per-step loss (NaN when a loss is not finite). */
  meanLoss: number;
  /** Per series (in the run's series order): the tallest bar; NaN when a bar is NaN, -1 when the record lacks the series. */
  seriesMax: number[];
  /** Primary series: Σ_j |residual[j]| (what truncation dropped); NaN when not measured. */
  residual: number;
  /** Primary series: Σ of all bars (the whole itemized gradient mass). */
  mass: number;
  /** Primary series: gradient mass by distance d, folded into `width` slots (the last holds d >= width - 1). */
  massByDistance: number[];
  /** True when a loss or a magnitude of the primary series is NaN or infinite. */
  nonFinite: boolean;
}

/**
 * Summarises a record. `series` fixes the order of `seriesMax`; `primary` is the series whose mass
 * and residual are kept (the record's own `primary` parameter, whole); `width` is the number of
 * distance slots kept for the horizon-over-training chart.
 */
export function summarizeRecord(record: BatchRecord, series: readonly Series[], primary: Pick<Series, 'param' | 'gate'>, width: number): RecordSummary {
  const seriesMax = series.map((s) => {
    const m = seriesMatrix(record, s);
    return m ? maxBar(m) : -1;
  });
  const main = seriesMatrix(record, primary) ?? [];
  const massByDistance = new Array<number>(Math.max(1, width)).fill(0);
  let mass = 0;
  let nonFinite = false;
  for (const row of main) {
    for (let d = 0; d < row.length; d++) {
      const v = Math.abs(row[d]);
      if (!Number.isFinite(v)) nonFinite = true;
      massByDistance[Math.min(d, massByDistance.length - 1)] += v;
      mass += v;
    }
  }
  let lossSum = 0;
  for (const l of record.losses ?? []) lossSum += l;
  if (!Number.isFinite(lossSum)) nonFinite = true;
  const residualArr = record.params?.[primary.param]?.residual;
  let residual = NaN;
  if (primary.gate === undefined && residualArr && residualArr.length) {
    residual = 0;
    for (const r of residualArr) residual += Math.abs(r);
  }
  return {
    batch: record.batch,
    wallTime: record.wallTime,
    corpusOffset: record.corpusOffset,
    n: record.n,
    meanLoss: record.losses?.length ? lossSum / record.losses.length : NaN,
    seriesMax,
    residual,
    mass,
    massByDistance,
    nonFinite,
  };
}
