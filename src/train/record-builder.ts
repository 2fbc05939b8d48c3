import { maxBar } from '../core/bars.js';
import type { Batch, EngineResult, ItemizedSequence } from '../core/engine.js';
import type { BatchRecord, RecordedParam } from '../core/record.js';

/** Where a record comes from, besides the engine's result. */
export interface RecordSource {
  /** Run id. */
  runId: string;
  /** Cell name. */
  cell: string;
  /** Global batch index. */
  batch: number;
  /** The minibatch. */
  data: Batch;
  /** Corpus offset of each sequence's first input character. */
  offsets: readonly number[];
  /** The engine's result, with `itemized` set. */
  result: EngineResult;
}

/** The parameter the overview summarises: the recurrent weight when the cell has one. */
export function primaryParam(itemized: ItemizedSequence): string {
  const names = Object.keys(itemized.params);
  return names.includes('weight_hh') ? 'weight_hh' : names[0];
}

/** Turns one itemized sequence into the {@link BatchRecord} every exporter receives. */
export function buildRecord(src: RecordSource, wallTime = Date.now() / 1000): BatchRecord {
  const itemized = src.result.itemized!;
  const n = src.data.length;
  const b = itemized.sequence;
  const slice = (a: ArrayLike<number>) => Array.from({ length: n }, (_, j) => a[b * n + j]);
  const params: Record<string, RecordedParam> = {};
  for (const [name, p] of Object.entries(itemized.params)) {
    params[name] = {
      byDistance: p.byDistance.map((row) => [...row]),
      ...(p.gates ? { gates: Object.fromEntries(Object.entries(p.gates).map(([g, m]) => [g, m.map((row) => [...row])])) } : {}),
      ...(p.residual ? { residual: [...p.residual] } : {}),
    };
  }
  const primary = primaryParam(itemized);
  return {
    runId: src.runId,
    batch: src.batch,
    wallTime,
    cell: src.cell,
    n,
    k: itemized.k,
    reduction: itemized.reduction,
    sequence: b,
    corpusOffset: src.offsets[b],
    inputs: slice(src.data.inputs),
    targets: slice(src.data.targets),
    predictions: slice(src.result.predictions),
    losses: slice(src.result.losses),
    primary,
    maxGradient: maxBar(params[primary].byDistance),
    params,
  };
}
