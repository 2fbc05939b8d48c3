// Talking to the viewer's JSON API (docs/viewer.md). Non-finite numbers arrive as the strings
// "NaN", "Infinity" and "-Infinity" (JSON has no such numbers) and are turned back here.

/** A request the server refused or could not answer. */
export class ApiFailure extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** A number from the API: numbers pass, encoded non-finite strings become NaN/Infinity. */
export function num(v) {
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return NaN;
  return Number(v);
}

/** GET /api/<path>?<params> with extra headers: the response, its JSON body (null for a 304); throws ApiFailure. */
async function request(path, params, headers) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    for (const one of Array.isArray(v) ? v : [v]) qs.append(k, String(one));
  }
  let res;
  try {
    res = await fetch(`api/${path}?${qs}`, { cache: 'no-store', headers });
  } catch (err) {
    throw new ApiFailure(0, `the viewer server cannot be reached (${err.message})`);
  }
  if (res.status === 304) return { res, body: null };
  let body = null;
  try {
    body = await res.json();
  } catch {
    throw new ApiFailure(res.status, `the server sent something that is not JSON (HTTP ${res.status})`);
  }
  if (!res.ok) throw new ApiFailure(res.status, body?.error ?? `HTTP ${res.status}`, body);
  return { res, body };
}

/** GET /api/<path>?<params> as JSON (an array value repeats the parameter); throws ApiFailure with the server's message. */
export async function getJson(path, params = {}) {
  return (await request(path, params, {})).body;
}

/**
 * GET /api/<path>?<params> unless it is still what `etag` tagged: `{ body, etag }` for a new
 * answer, `{ unchanged: true }` when the server says 304 (the run lists tag their answers).
 */
export async function getJsonIfChanged(path, params = {}, etag = null) {
  const { res, body } = await request(path, params, etag ? { 'If-None-Match': etag } : {});
  if (res.status === 304) return { unchanged: true };
  return { body, etag: res.headers.get('ETag') };
}

const numRows = (m) => (Array.isArray(m) ? m.map((row) => (Array.isArray(row) ? row.map(num) : [])) : []);

/** A batch record with every number decoded. */
export function decodeRecord(r) {
  const params = {};
  for (const [name, p] of Object.entries(r.params ?? {})) {
    const gates = p.gates ? Object.fromEntries(Object.entries(p.gates).map(([g, m]) => [g, numRows(m)])) : undefined;
    // A record filtered to a gate (`series=weight_hh:f`) has no byDistance: kept absent, not empty.
    const byDistance = p.byDistance === undefined ? undefined : numRows(p.byDistance);
    params[name] = { byDistance, gates, residual: Array.isArray(p.residual) ? p.residual.map(num) : undefined };
  }
  return {
    ...r,
    maxGradient: num(r.maxGradient),
    losses: (r.losses ?? []).map(num),
    inputs: r.inputs ?? [],
    targets: r.targets ?? [],
    predictions: r.predictions ?? [],
    params,
  };
}

/** Numbers a decoded record holds (its matrices), so the cache can be bounded by memory, not by count. */
export function recordWeight(record) {
  let numbers = record.losses?.length ?? 0;
  for (const p of Object.values(record.params ?? {})) {
    for (const row of p.byDistance ?? []) numbers += row.length;
    for (const m of Object.values(p.gates ?? {})) for (const row of m) numbers += row.length;
    numbers += p.residual?.length ?? 0;
  }
  return numbers;
}

/** The cache's key of a batch: the run, the batch, and the series asked for. */
const cacheKey = (run, batch, series) => `${run}\u0000${batch}\u0000${series ?? ''}`;

/**
 * Batches fetched so far, per run (least recently used dropped past `limit` batches or past
 * `maxNumbers` numbers held in all), so hovering over the overview and stepping with the keyboard
 * re-use what was loaded. The number budget matters for big records: a full-itemization LSTM with
 * n = 100 holds about 100,000 numbers per batch, so 300 of them would hold GBs.
 */
export class BatchCache {
  constructor(limit = 300, maxNumbers = 4_000_000) {
    this.limit = limit;
    this.maxNumbers = maxNumbers;
    this.map = new Map();
    this.numbers = 0;
  }

  /** True when `batch` of `run` (with `series`, see {@link get}) is loaded (or loading) for this version: showing it costs no request. */
  has(run, batch, version, series = null) {
    return this.map.get(cacheKey(run, batch, series))?.version === version;
  }

  /**
   * The batch `batch` of `run` (or, when it was not recorded, the nearest one) as
   * `{ meta, record, series }`: `meta` holds the batch number shown, its rank and its neighbours;
   * `record` is decoded. `series` (a key of the run's series, or null for everything) asks the
   * server for that series' gradients only (`/api/batch?series=`): the page draws one series, and
   * a full-itemization LSTM record holds a dozen of them. The answer's `series` says what its
   * record holds (null: the whole record).
   * `version` is the run's version in the run list: an answer is only reused for the same version.
   * A recorded batch never changes, but its `meta` does while the run grows (`next`, `last` and
   * `total` of the newest batch), and a "nearest" answer may find a closer batch; a run that has
   * ended keeps its version, so its answers stay cached.
   */
  get(run, batch, version, series = null) {
    const key = cacheKey(run, batch, series);
    const hit = this.map.get(key);
    if (hit && hit.version === version) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit.promise;
    }
    const entry = { version, promise: null, weight: 0 };
    const fetchBatch = (only) => getJson('batch', { run, batch, nearest: 1, series: only ?? undefined }).then((body) => ({ body, only }));
    entry.promise = fetchBatch(series)
      // A series the server does not know for this run (its files were replaced by another
      // cell's): the whole record still shows what the record has.
      .catch((err) => (series !== null && err instanceof ApiFailure && err.status === 400 && Array.isArray(err.body?.series) ? fetchBatch(null) : Promise.reject(err)))
      .then(({ body: { record, ...meta }, only }) => {
        const decoded = decodeRecord(record);
        if (this.map.get(key) === entry) {
          entry.weight = recordWeight(decoded);
          this.numbers += entry.weight;
          this.trim(key);
        }
        return { meta, record: decoded, series: only };
      });
    entry.promise.catch(() => {
      if (this.map.get(key) === entry) this.drop(key);
    });
    if (hit) this.drop(key);
    this.map.set(key, entry);
    this.trim(key);
    return entry.promise;
  }

  /** Drops least recently used batches past the limits (never `keep`, the one just asked for). */
  trim(keep) {
    for (const key of this.map.keys()) {
      if (this.map.size <= this.limit && this.numbers <= this.maxNumbers) break;
      if (key !== keep) this.drop(key);
    }
  }

  drop(key) {
    const entry = this.map.get(key);
    if (!entry) return;
    this.numbers -= entry.weight;
    this.map.delete(key);
  }

  /** Forgets a run's batches (its files were replaced). */
  forget(run) {
    for (const key of [...this.map.keys()]) if (key.startsWith(`${run}\u0000`)) this.drop(key);
  }
}
