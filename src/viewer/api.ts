import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { stringifyJson } from '../exporters/json/json-numbers.js';
import { horizonBins, overviewBins, rangeOf } from './binning.js';
import { interestingBatches } from './interesting.js';
import type { LogdirIndex } from './logdir-index.js';
import { filterRecordSeries } from './record-filter.js';
import { continuityOf, describeRun, summarizeRun } from './run-description.js';
import type { RunSource } from './run-source.js';
import { seriesMatrix, type Series } from './series.js';

/** A request the API cannot answer as asked: 400 (bad parameter) or 404 (no such run or batch). */
export class ApiError extends Error {
  constructor(
    /** HTTP status. */
    readonly status: 400 | 404,
    message: string,
    /** Extra fields for the JSON body. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Most columns an overview or horizon request may ask for. */
export const MAX_BINS = 5000;
/** Records read at most for a horizon chart of a series the index does not summarise. */
export const HORIZON_SAMPLE = 400;

/** A share in [0, 1] to six decimals (what the horizon answer sends). */
export const roundShare = (x: number): number => Math.round(x * 1e6) / 1e6;

/** Sends JSON; non-finite numbers become "NaN"/"Infinity" strings (JSON has no such numbers). */
function sendJson(res: Response, body: unknown): void {
  res.type('application/json').send(stringifyJson(body));
}

/** Sends JSON whose numbers are all finite (or null) by construction: no replacer, so large answers stay fast. */
function sendFiniteJson(res: Response, body: unknown): void {
  res.type('application/json').send(JSON.stringify(body));
}

/** True when an `If-None-Match` header names `etag` (or is `*`); weak tags (`W/"…"`) match too. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Sends JSON text with a strong ETag (a hash of the text), or 304 without a body when the request's
 * `If-None-Match` already names it. Used by the run lists, which a page asks for every 2 s and
 * which stay the same while no run changes. Express's own check is not used: it ignores
 * `If-None-Match` when the request says `Cache-Control: no-cache`, which browsers add to every
 * `fetch(…, { cache: 'no-store' })`.
 */
function sendTagged(req: Request, res: Response, text: string): void {
  const etag = `"${createHash('sha1').update(text).digest('base64url')}"`;
  res.set('ETag', etag);
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(text);
}

/** An integer query parameter within [min, max]; `fallback` when absent. */
function intParam(req: Request, name: string, fallback: number | undefined, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined || raw === '') {
    if (fallback === undefined) throw new ApiError(400, `parameter "${name}" is required`);
    return fallback;
  }
  // `batch=0&batch=20` arrives as an array: say so, as for `run`, rather than "not an integer".
  if (Array.isArray(raw)) throw new ApiError(400, `parameter "${name}" must be given once`);
  if (typeof raw !== 'string' || !/^-?\d+$/.test(raw)) throw new ApiError(400, `parameter "${name}" must be an integer`);
  const v = Number(raw);
  if (v < min || v > max) throw new ApiError(400, `parameter "${name}" must be between ${min} and ${max}`);
  return v;
}

function stringParam(req: Request, name: string): string | undefined {
  const raw = req.query[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new ApiError(400, `parameter "${name}" must be given once`);
  return raw;
}

/** The run named by `?run=`: looked up among the listing's ids, never used as a path. */
async function runParam(index: LogdirIndex, req: Request): Promise<RunSource> {
  const id = stringParam(req, 'run');
  if (!id) throw new ApiError(400, 'parameter "run" is required (an id from /api/runs)');
  const run = await index.get(id);
  if (!run) throw new ApiError(404, `no run ${JSON.stringify(id)} in the logdir`);
  return run;
}

/** The series named by `?series=` (default: the run's primary parameter). */
function seriesParam(run: RunSource, req: Request): { series: Series; k: number } {
  const key = stringParam(req, 'series');
  if (!key || !run.primary) {
    const k = run.primary ? run.series.findIndex((s) => s.key === run.primary!.key) : -1;
    return { series: run.primary ?? { key: '', param: '' }, k };
  }
  const k = run.series.findIndex((s) => s.key === key);
  if (k < 0) throw new ApiError(400, `run ${JSON.stringify(run.id)} has no series ${JSON.stringify(key)}`, { series: run.series.map((s) => s.key) });
  return { series: run.series[k], k };
}

/**
 * The series `/api/batch` is asked to keep (`series=` repeated and/or comma-separated), in the
 * order first named; null (the whole record) when there is no `series=` or it names nothing.
 */
function batchSeriesParam(run: RunSource, req: Request): Series[] | null {
  const raw = req.query.series;
  if (raw === undefined) return null;
  const given = Array.isArray(raw) ? raw : [raw];
  if (!given.every((v): v is string => typeof v === 'string')) throw new ApiError(400, 'parameter "series" must be series keys (e.g. series=weight_hh or series=weight_hh:f)');
  const keys = [...new Set(given.flatMap((v) => v.split(',')).map((k) => k.trim()).filter((k) => k !== ''))];
  if (!keys.length) return null;
  const unknown = keys.filter((k) => !run.series.some((s) => s.key === k));
  if (unknown.length) {
    throw new ApiError(400, `run ${JSON.stringify(run.id)} has no series ${unknown.map((k) => JSON.stringify(k)).join(', ')}`, { series: run.series.map((s) => s.key) });
  }
  return keys.map((k) => run.series.find((s) => s.key === k)!);
}

/** The batch range [from, to] asked for, defaulting to everything recorded. */
function rangeParams(run: RunSource, req: Request): { from: number; to: number } {
  const idx = run.index;
  const first = idx && idx.count ? idx.batchAt(0) : 0;
  const last = idx && idx.count ? idx.batchAt(idx.count - 1) : 0;
  const from = intParam(req, 'from', first, 0, Number.MAX_SAFE_INTEGER);
  const to = intParam(req, 'to', last, 0, Number.MAX_SAFE_INTEGER);
  if (to < from) throw new ApiError(400, 'parameter "to" must be >= "from"');
  return { from, to };
}

/** The JSON API of the viewer (docs/viewer.md describes each endpoint). */
export function apiRouter(index: LogdirIndex): Router {
  const api = Router();
  const handle = (fn: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await fn(req, res);
    } catch (err) {
      if (err instanceof ApiError) {
        res.status(err.status);
        sendJson(res, { error: err.message, ...err.extra });
      } else throw err;
    }
  };

  api.get(
    '/runs',
    handle(async (req, res) => {
      const runs = await index.runs();
      const links = continuityOf(runs);
      sendTagged(req, res, stringifyJson({ logdir: index.root.given, runs: runs.map((r) => describeRun(r, links.get(r.id))), problems: index.problems.slice(0, 50) }));
    }),
  );

  // What the page polls: per run only what changes while it trains, a few hundred bytes
  // whatever its vocabulary; the rest is fetched from /api/run when its `detail` tag changes.
  // The continuity links are in it, so a run resumed as another changes the body (and its ETag).
  api.get(
    '/runs/summary',
    handle(async (req, res) => {
      const runs = await index.runs();
      const links = continuityOf(runs);
      sendTagged(req, res, stringifyJson({ logdir: index.root.given, runs: runs.map((r) => summarizeRun(r, links.get(r.id))), problems: index.problems.slice(0, 50) }));
    }),
  );

  api.get(
    '/run',
    handle(async (req, res) => {
      const run = await runParam(index, req);
      // The run's links depend on the other runs' descriptions (which run resumed which); those
      // are read as the page's poll left them, rather than refreshing every run for one.
      const links = continuityOf(index.known());
      sendJson(res, describeRun(run, links.get(run.id)));
    }),
  );

  api.get(
    '/overview',
    handle(async (req, res) => {
      const run = await runParam(index, req);
      const { series, k } = seriesParam(run, req);
      const { from, to } = rangeParams(run, req);
      const bins = intParam(req, 'bins', 1000, 1, MAX_BINS);
      // The answer is cached as text until the run changes: the page asks the same view again and again.
      const text = run.cached(`overview ${k} ${from} ${to} ${bins}`, () => {
        const idx = run.index;
        const result = idx && k >= 0 ? overviewBins(idx, (r) => idx.seriesMaxAt(r, k), from, to, bins) : { bins: [], perRecord: true, records: 0 };
        let max: number | null = null;
        for (const b of result.bins) if (b.max !== null && (max === null || b.max > max)) max = b.max;
        // Bin maxima are finite or null (non-finite values are only counted), so no replacer is needed.
        return JSON.stringify({
          run: run.id,
          version: run.version,
          series: series.key,
          from,
          to,
          first: idx && idx.count ? idx.batchAt(0) : null,
          last: idx && idx.count ? idx.batchAt(idx.count - 1) : null,
          total: idx?.count ?? 0,
          records: result.records,
          perRecord: result.perRecord,
          max,
          bins: result.bins,
        });
      });
      res.type('application/json').send(text);
    }),
  );

  api.get(
    '/batch',
    handle(async (req, res) => {
      const run = await runParam(index, req);
      const series = batchSeriesParam(run, req);
      const requested = intParam(req, 'batch', undefined, 0, Number.MAX_SAFE_INTEGER);
      const nearest = intParam(req, 'nearest', 0, 0, 1) === 1;
      const idx = run.index;
      let rank = idx ? idx.rankOf(requested) : -1;
      if (rank < 0 && nearest && idx) rank = idx.nearestRank(requested);
      const batch = rank >= 0 ? idx!.batchAt(rank) : requested;
      if (!idx || rank < 0) {
        const near = idx ? idx.nearestRank(batch) : -1;
        throw new ApiError(404, `batch ${batch} was not recorded in run ${JSON.stringify(run.id)}`, { nearest: near >= 0 ? idx!.batchAt(near) : null });
      }
      const text = await run.recordText(rank);
      const facts = idx.factsAt(rank);
      const head = stringifyJson({
        run: run.id,
        version: run.version,
        batch,
        requested,
        rank,
        total: idx.count,
        prev: rank > 0 ? idx.batchAt(rank - 1) : null,
        next: rank + 1 < idx.count ? idx.batchAt(rank + 1) : null,
        first: idx.batchAt(0),
        last: idx.batchAt(idx.count - 1),
        nonFinite: facts.nonFinite,
        ...(series ? { series: series.map((s) => s.key) } : {}),
      });
      // The whole record goes out as the bytes the exporter wrote: no parse, no re-encode. A
      // filtered one is parsed as plain JSON (non-finite numbers stay the strings they were
      // written as) and only the kept parts are encoded again.
      const record = series ? JSON.stringify(filterRecordSeries(JSON.parse(text) as Record<string, unknown>, series)) : text.trim();
      res.type('application/json').send(`${head.slice(0, -1)},"record":${record}}`);
    }),
  );

  api.get(
    '/horizon',
    handle(async (req, res) => {
      const run = await runParam(index, req);
      const { series } = seriesParam(run, req);
      const { from, to } = rangeParams(run, req);
      const bins = intParam(req, 'bins', 300, 1, MAX_BINS);
      const idx = run.index;
      const width = idx?.width ?? 0;
      let result: ReturnType<typeof horizonBins> & { sampled: number | null } = { bins: [], perRecord: true, records: 0, sampled: null };
      if (idx && idx.count) {
        if (run.primary && series.key === run.primary.key) {
          result = { ...run.cached(`horizon ${from} ${to} ${bins}`, () => horizonBins(idx, (r) => idx.massByDistanceAt(r), width, from, to, bins)), sampled: null };
        } else {
          result = await run.cached(`horizon ${series.key} ${from} ${to} ${bins}`, () => sampledHorizon(run, series, from, to, bins));
        }
      }
      // Shares come only from records with a finite, positive mass. Six decimals are far below a
      // pixel of the chart and keep the answer a third of full precision (bins × up to 64 shares).
      const rounded = result.bins.map((b) => ({ ...b, share: b.share.map(roundShare) }));
      sendFiniteJson(res, { run: run.id, version: run.version, series: series.key, from, to, width, k: run.shape?.k ?? null, n: run.shape?.n ?? null, ...result, bins: rounded });
    }),
  );

  api.get(
    '/interesting',
    handle(async (req, res) => {
      const run = await runParam(index, req);
      const { series, k } = seriesParam(run, req);
      const limit = intParam(req, 'limit', 10, 1, 100);
      const idx = run.index;
      const lists =
        idx && k >= 0
          ? run.cached(`interesting ${k} ${limit}`, () =>
              interestingBatches(
                idx.count,
                (r) => {
                  const f = idx.factsAt(r);
                  return { batch: f.batch, max: idx.seriesMaxAt(r, k), residual: f.residual, mass: f.mass, nonFinite: f.nonFinite };
                },
                limit,
              ),
            )
          : null;
      sendJson(res, { run: run.id, version: run.version, series: series.key, ...(lists ?? { largest: [], nonFinite: [], nonFiniteCount: 0, exploding: [], explodingCount: 0, residual: [], median: null }) });
    }),
  );

  api.use((_req, res) => {
    res.status(404);
    sendJson(res, { error: 'no such API endpoint (see docs/viewer.md)' });
  });
  return api;
}

/**
 * Horizon over training for a series the index does not summarise (another parameter, or a gate):
 * reads at most {@link HORIZON_SAMPLE} records spread evenly over the range and bins those.
 *
 * The records read are those whose rank is a multiple of a power-of-two stride, not an even split
 * of the range: as a live run grows (or the page zooms) the same records keep being chosen, and
 * each one's mass by distance is kept by the run ({@link RunSource.derived}), so a refresh reads
 * only the records that joined the sample. A JSON run whose sample would read more than
 * {@link HORIZON_SAMPLE_BYTES} (records of MBs each) samples more sparsely instead.
 */
export async function sampledHorizon(run: RunSource, series: Series, from: number, to: number, bins: number): Promise<ReturnType<typeof horizonBins> & { sampled: number }> {
  const idx = run.index!;
  const width = idx.width;
  const { lo, hi } = rangeOf(idx, from, to);
  const ranks = sampleRanks(lo, hi, HORIZON_SAMPLE, HORIZON_SAMPLE_BYTES, (r) => idx.location(r).length);
  const massAt = (r: number) =>
    run.derived(`mass ${series.key}`, r, async () => {
      const record = await run.readRecord(r).catch(() => null);
      const matrix = record ? seriesMatrix(record, series) : undefined;
      if (!matrix) return null;
      const mass = new Float64Array(width);
      for (const row of matrix) for (let d = 0; d < row.length; d++) mass[Math.min(d, width - 1)] += Math.abs(row[d]);
      return mass;
    });
  // Several reads at a time: each read takes a few turns of the event loop (open, read, close),
  // and 400 reads one after another wait out each other's turns; on a busy loop (the viewer once
  // shared the training thread, which turns it every 50 ms) that took 20 s or more.
  const masses: (Float64Array | null)[] = [];
  for (let i = 0; i < ranks.length; i += HORIZON_READS_AT_ONCE) {
    masses.push(...(await Promise.all(ranks.slice(i, i + HORIZON_READS_AT_ONCE).map(massAt))));
  }
  const seq = { count: ranks.length, batchAt: (i: number) => idx.batchAt(ranks[i]) };
  return { ...horizonBins(seq, (i) => masses[i], width, from, to, bins), sampled: ranks.length };
}

/** Records a sampled horizon chart reads at once (each read holds a file handle while it runs). */
export const HORIZON_READS_AT_ONCE = 32;

/** Bytes of records a sampled horizon chart reads at most (when the index knows record sizes). */
export const HORIZON_SAMPLE_BYTES = 64 * 1024 * 1024;

/**
 * The ranks in [lo, hi) that are multiples of the smallest power-of-two stride giving at most
 * `limit` ranks whose summed `bytesAt` stays within `maxBytes` (always at least one rank when the
 * range is not empty). Multiples of a power of two: a longer range keeps a subset of the ranks
 * chosen for a shorter one, so sampled values can be reused.
 */
export function sampleRanks(lo: number, hi: number, limit: number, maxBytes: number, bytesAt: (r: number) => number): number[] {
  if (hi <= lo) return [];
  const pick = (stride: number) => {
    const out: number[] = [];
    for (let r = Math.ceil(lo / stride) * stride; r < hi; r += stride) out.push(r);
    return out.length ? out : [lo];
  };
  let stride = 1;
  while (Math.ceil((hi - lo) / stride) > limit) stride *= 2;
  for (;;) {
    const ranks = pick(stride);
    let bytes = 0;
    for (const r of ranks) bytes += bytesAt(r);
    if (bytes <= maxBytes || ranks.length === 1) return ranks;
    stride *= 2;
  }
}
