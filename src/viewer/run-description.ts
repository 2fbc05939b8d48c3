import { createHash } from 'node:crypto';
import { visibleChar } from '../data/visible-char.js';
import { runContinuity, type RunLinks } from './run-continuity.js';
import type { RunSource } from './run-source.js';

/**
 * The fields of a run that change while it trains (plus its id, and the cell and start time a
 * run picker shows): what `/api/runs/summary` sends per run. Each is a number, a boolean or a short
 * string, so a summary's size does not depend on the run's vocabulary, series or problems; the
 * exceptions are the continuity links (`resumedFrom`, `continuedIn`: run ids, absent for a run
 * that is not linked), which are here so that a page following a run learns within one poll that
 * it was resumed as another run. `continuedIn` holds one id per resume of the run, usually one.
 */
export const SUMMARY_FIELDS = ['id', 'status', 'indexing', 'version', 'records', 'firstBatch', 'lastBatch', 'problemCount', 'cell', 'startedAt', 'resumedFrom', 'continuedIn'] as const;

/**
 * One run as `/api/runs/summary` lists it: {@link SUMMARY_FIELDS} and the {@link detailTag} of the
 * rest (`resumedFrom` and `continuedIn` are left out, not sent as null, when the run has no link).
 */
export type RunSummaryEntry = Record<Exclude<(typeof SUMMARY_FIELDS)[number], LinkField> | 'detail', unknown> & Partial<Record<LinkField, unknown>>;

/** The summary fields a run has only when it is linked to another run. */
type LinkField = 'resumedFrom' | 'continuedIn';

/** Characters of the {@link detailTag} (base64url of SHA-1: 72 bits, so two descriptions never share one by chance). */
const TAG_CHARS = 12;

/**
 * A run's full description without its {@link detailTag}: every field of `/api/runs`. Kept apart
 * so the tag can be computed from it.
 */
function describeFully(run: RunSource, links: RunLinks | undefined): Record<string, unknown> {
  const info = run.info;
  const idx = run.index;
  const linked: RunLinks = {};
  if (links?.resumedFrom !== undefined) linked.resumedFrom = links.resumedFrom;
  if (links?.continuedIn?.length) linked.continuedIn = links.continuedIn;
  return {
    id: run.id,
    kind: run.kind,
    status: run.status,
    indexing: run.indexing,
    version: run.version,
    records: idx?.count ?? 0,
    firstBatch: idx && idx.count ? idx.batchAt(0) : null,
    lastBatch: idx && idx.count ? idx.batchAt(idx.count - 1) : null,
    cell: info?.cell ?? null,
    hiddenSize: info?.hiddenSize ?? null,
    seqLength: info?.seqLength ?? null,
    batchSize: info?.batchSize ?? null,
    recorder: info?.recorder ?? null,
    startedAt: info?.startedAt ?? null,
    ...linked,
    corpus: info?.corpus ?? null,
    optimizer: info?.optimizer ?? null,
    engine: info?.engine ?? null,
    n: run.shape?.n ?? info?.seqLength ?? null,
    k: run.shape ? run.shape.k : null,
    reduction: run.shape?.reduction ?? (info?.config?.reduction as string | undefined) ?? null,
    distanceSlots: idx?.width ?? null,
    series: run.series,
    primary: run.primary?.key ?? null,
    vocab: info?.vocab ?? [],
    vocabVisible: (info?.vocab ?? []).map((c) => visibleChar(c)),
    problems: run.problems.slice(0, 20),
    problemCount: run.problemCount,
  };
}

/**
 * A short hash of the fields of a description that are not in {@link SUMMARY_FIELDS} (vocabulary,
 * series, shape, problems, ...). It changes exactly when one of them does, which is rare (the run
 * description is read, the first record fixes the shape, a new problem is found), unlike
 * `version`, which changes with every record: a client holding a description fetches it again
 * only when the tag in the summary differs from the one it holds.
 */
export function detailTag(description: Record<string, unknown>): string {
  const rest: Record<string, unknown> = { ...description };
  for (const f of SUMMARY_FIELDS) delete rest[f];
  delete rest.detail;
  // Plain JSON.stringify: NaN and null hash alike, which is harmless for a change detector.
  return createHash('sha1').update(JSON.stringify(rest)).digest('base64url').slice(0, TAG_CHARS);
}

/**
 * The continuity links of a logdir's runs ({@link runContinuity}), from what each run's
 * `run.json` says (`config.resume`, `config.logdir`, `startedAt`). A run whose description is not
 * read yet links nothing until it is.
 */
export function continuityOf(runs: readonly RunSource[]): Map<string, RunLinks> {
  return runContinuity(
    runs.map((run) => {
      const config = run.info?.config;
      return { id: run.id, resume: config?.resume, logdir: config?.logdir, startedAt: run.info?.startedAt };
    }),
  );
}

/**
 * What `/api/runs` and `/api/run` say about one run: everything, with its {@link detailTag}.
 * `links` are its links to the other runs of the logdir (see {@link continuityOf}).
 */
export function describeRun(run: RunSource, links?: RunLinks): Record<string, unknown> {
  const full = describeFully(run, links);
  return { ...full, detail: detailTag(full) };
}

/**
 * What `/api/runs/summary` says about one run: the {@link SUMMARY_FIELDS} of its description
 * (those it has), and its {@link detailTag}. `links` as for {@link describeRun}.
 */
export function summarizeRun(run: RunSource, links?: RunLinks): RunSummaryEntry {
  const full = describeFully(run, links);
  const out = {} as RunSummaryEntry;
  for (const f of SUMMARY_FIELDS) if (f in full) out[f] = full[f];
  out.detail = detailTag(full);
  return out;
}
