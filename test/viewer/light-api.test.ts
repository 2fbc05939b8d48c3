/**
 * The cheap forms of the viewer's two heavy answers: the run summary the page polls (per run only
 * what changes, a 304 when nothing did), the per-run description fetched when its `detail` tag
 * changes, and `/api/batch?series=` that sends only the gradients the page draws. Each is checked
 * against the full answer it stands for.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
// The page's own module (plain browser JS; it only needs fetch, pointed at the server below).
import { BatchCache } from '../../viewer/api.js';
import { FULL_LIST_AT, RunList } from '../../viewer/run-list.js';
import { append, readRun, useFixtureViewer } from './fixture.js';
import { getJson, rawGet } from './http.js';

const viewer = useFixtureViewer();
const q = (s: string) => encodeURIComponent(s);

type Entry = Record<string, unknown> & { id: string; cell: string | null };

/** What the summary must carry per run (written out here, not imported: the test is the spec). */
const MOVING = ['id', 'status', 'indexing', 'version', 'records', 'firstBatch', 'lastBatch', 'problemCount', 'cell', 'startedAt', 'detail'];

/** Bytes an entry adds to the summary (with the comma before the next), apart from its id and cell. */
const entryBytes = (e: Record<string, unknown>) => JSON.stringify({ ...e, id: '', cell: '' }).length + 1;

/**
 * The largest summary entry can be apart from its id and cell (the two free-length strings a
 * picker needs): every number at its widest (2^53 - 1 has 16 digits), the longest status, an ISO
 * start time, a 12-character tag. Nothing in it grows with the vocabulary, the series or the
 * problems of the run: about 240 bytes.
 */
const WIDEST = entryBytes({
  id: '', status: 'interrupted', indexing: false, version: Number.MAX_SAFE_INTEGER, records: Number.MAX_SAFE_INTEGER,
  firstBatch: Number.MAX_SAFE_INTEGER, lastBatch: Number.MAX_SAFE_INTEGER, problemCount: Number.MAX_SAFE_INTEGER,
  cell: '', startedAt: new Date(0).toISOString(), detail: 'x'.repeat(12),
});

/** Copies a fixture run folder under a new id (with `edit` applied to its run.json). */
function copyRun(from: string, to: string, edit?: (info: Record<string, unknown>) => void): string {
  const src = path.join(viewer.fx.logdir, from);
  const dir = path.join(viewer.fx.logdir, to);
  mkdirSync(dir);
  for (const f of readdirSync(src)) copyFileSync(path.join(src, f), path.join(dir, f));
  if (edit) {
    const info = JSON.parse(readFileSync(path.join(dir, 'run.json'), 'utf8'));
    edit(info);
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify(info) + '\n');
  }
  return dir;
}

const fullList = async () => (await getJson<{ logdir: string; runs: Entry[]; problems: unknown[] }>(viewer.port, '/api/runs')).body;
const summary = async () => (await getJson<{ logdir: string; runs: Entry[]; problems: unknown[] }>(viewer.port, '/api/runs/summary')).body;

describe('GET /api/runs/summary', () => {
  it('lists the runs of /api/runs, each with only the fields that move and the tag of the rest', async () => {
    const full = await fullList();
    const light = await summary();
    expect(light.logdir).toBe(full.logdir);
    expect(light.problems).toEqual(full.problems);
    expect(light.runs.map((r) => r.id)).toEqual(full.runs.map((r) => r.id));
    light.runs.forEach((r, i) => {
      expect(Object.keys(r).sort()).toEqual([...MOVING].sort());
      const whole = full.runs[i];
      for (const f of MOVING) expect(r[f], `${r.id}.${f}`).toEqual(whole[f]);
      expect(typeof r.detail).toBe('string');
    });
    // Two runs share a tag exactly when the rest of their descriptions is the same (`exploded` is
    // `rnn-json` with other records: same run.json, same series).
    const rest = (e: Entry) => JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => !MOVING.includes(k))));
    for (const a of full.runs) for (const b of full.runs) expect(a.detail === b.detail, `${a.id} vs ${b.id}`).toBe(rest(a) === rest(b));
    expect(new Set(full.runs.map((r) => r.detail)).size).toBeGreaterThan(2);
  });

  it('costs a few hundred bytes per run, however large its vocabulary', async () => {
    const big = Array.from({ length: 5000 }, (_, i) => String.fromCodePoint(0x4e00 + i));
    copyRun('rnn-json', 'huge-vocab', (info) => {
      info.vocab = [...(info.vocab as string[]), ...big];
    });
    const full = await fullList();
    const light = await summary();
    const fullOf = (id: string) => full.runs.find((r) => r.id === id)!;
    const lightOf = (id: string) => light.runs.find((r) => r.id === id)!;
    // The full description carries the vocabulary twice (as written and made visible).
    expect((fullOf('huge-vocab').vocab as string[]).length).toBe((fullOf('rnn-json').vocab as string[]).length + big.length);
    expect(JSON.stringify(fullOf('huge-vocab')).length - JSON.stringify(fullOf('rnn-json')).length).toBeGreaterThan(2 * big.length);
    // The summary does not: the same run with 5000 more characters costs exactly the same.
    expect(entryBytes(lightOf('huge-vocab'))).toBe(entryBytes(lightOf('rnn-json')));
    expect(WIDEST).toBeLessThan(300);
    for (const r of light.runs) expect(entryBytes(r), r.id).toBeLessThanOrEqual(WIDEST);
  });

  it('answers 304 with no body while nothing changed, and the new list once a run changes', async () => {
    const dir = copyRun('rnn-json', 'etag-live');
    const lines = readFileSync(path.join(dir, 'records.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(path.join(dir, 'records.jsonl'), lines.slice(0, 3).join('\n') + '\n');
    for (const endpoint of ['/api/runs/summary', '/api/runs']) {
      const first = await rawGet(viewer.port, endpoint);
      expect(first.status).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const again = await rawGet(viewer.port, endpoint, { headers: { 'if-none-match': etag, 'cache-control': 'no-cache' } });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');
      expect(again.headers.etag).toBe(etag);
      // Another tag (or a weak form of this one) is compared, not just any header accepted.
      expect((await rawGet(viewer.port, endpoint, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
      expect((await rawGet(viewer.port, endpoint, { headers: { 'if-none-match': `"other", W/${etag}` } })).status).toBe(304);
    }
    const before = await rawGet(viewer.port, '/api/runs/summary');
    append(path.join(dir, 'records.jsonl'), lines[3] + '\n');
    const after = await rawGet(viewer.port, '/api/runs/summary', { headers: { 'if-none-match': before.headers.etag as string } });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const run = (JSON.parse(after.body) as { runs: Entry[] }).runs.find((r) => r.id === 'etag-live')!;
    expect(run.records).toBe(4);
  });
});

describe('GET /api/run', () => {
  it('describes one run exactly as its entry in /api/runs', async () => {
    const full = await fullList();
    expect(full.runs.length).toBeGreaterThan(5);
    for (const entry of full.runs) {
      const { status, body } = await getJson(viewer.port, `/api/run?run=${q(entry.id)}`);
      expect(status).toBe(200);
      expect(body, entry.id).toEqual(entry);
    }
  });

  it('keeps its detail tag while records arrive, and changes it when a described field does', async () => {
    const dir = copyRun('rnn-json', 'tagged');
    const lines = readFileSync(path.join(dir, 'records.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(path.join(dir, 'records.jsonl'), lines.slice(0, 2).join('\n') + '\n');
    const one = async () => (await getJson<Entry>(viewer.port, '/api/run?run=tagged')).body;
    const a = await one();
    append(path.join(dir, 'records.jsonl'), lines[2] + '\n');
    const b = await one();
    expect(b.version).not.toBe(a.version);
    expect(b.records).toBe(3);
    expect(b.detail).toBe(a.detail);
    // A damaged line is a new problem: the described problems change, and so does the tag.
    append(path.join(dir, 'records.jsonl'), '{"not": json\n');
    const c = await one();
    expect((c.problems as unknown[]).length).toBe(1);
    expect(c.detail).not.toBe(b.detail);
    const listed = (await summary()).runs.find((r) => r.id === 'tagged')!;
    expect(listed.detail).toBe(c.detail);
  });

  it('needs a run id from the listing', async () => {
    const missing = await getJson(viewer.port, '/api/run');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatch(/parameter "run" is required/);
    const unknown = await getJson(viewer.port, '/api/run?run=..%2Frnn-json');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('no run "../rnn-json" in the logdir');
  });
});

/** The part of `params` a series list keeps, picked here from the unfiltered record. */
function expectedParams(params: Record<string, Record<string, unknown>>, keys: string[]): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const key of keys) {
    const [param, gate] = key.split(':');
    const p = params[param];
    if (!p) continue;
    const kept = (out[param] ??= {});
    if (gate === undefined) {
      const { gates: _g, ...rest } = p;
      Object.assign(kept, rest);
    } else if ((p.gates as Record<string, unknown> | undefined)?.[gate] !== undefined) {
      kept.gates = { ...(kept.gates as object), [gate]: (p.gates as Record<string, unknown>)[gate] };
    }
  }
  return out;
}

describe('GET /api/batch?series=', () => {
  const cases: [run: string, query: string, keys: string[]][] = [
    ['lstm-both', 'series=weight_hh', ['weight_hh']],
    ['lstm-both', `series=${q('weight_hh:f')}`, ['weight_hh:f']],
    ['lstm-both', `series=weight_ih&series=${q('weight_hh:o')}`, ['weight_ih', 'weight_hh:o']],
    ['lstm-both', `series=${q('weight_hh,weight_hh:i,weight_hh:g')}`, ['weight_hh', 'weight_hh:i', 'weight_hh:g']],
    ['rnn-json', 'series=weight_hh', ['weight_hh']],
    ['gru-tb', `series=${q('weight_hh:z')}`, ['weight_hh:z']],
  ];

  it.each(cases)('%s with %s: the unfiltered answer with only those gradients', async (run, query, keys) => {
    const batch = (await fullList()).runs.find((r) => r.id === run)!.lastBatch as number;
    const whole = await getJson(viewer.port, `/api/batch?run=${run}&batch=${batch}`);
    const part = await getJson(viewer.port, `/api/batch?run=${run}&batch=${batch}&${query}`);
    expect(whole.status).toBe(200);
    expect(part.status).toBe(200);
    const { record: wholeRecord, ...wholeHead } = whole.body;
    const { record: partRecord, series, ...partHead } = part.body;
    expect(series).toEqual(keys);
    expect(wholeHead).not.toHaveProperty('series');
    expect(partHead).toEqual(wholeHead);
    const { params: wholeParams, ...wholeRest } = wholeRecord;
    const { params: partParams, ...partRest } = partRecord;
    expect(partRest).toEqual(wholeRest);
    expect(partParams).toEqual(expectedParams(wholeParams, keys));
    // Only what was asked for: a whole parameter keeps no gate, a gate no byDistance.
    for (const key of keys) {
      const [param, gate] = key.split(':');
      if (gate) expect(partParams[param].gates[gate]).toEqual(wholeParams[param].gates[gate]);
      else expect(partParams[param].byDistance).toEqual(wholeParams[param].byDistance);
    }
    expect(Object.keys(partParams).sort()).toEqual([...new Set(keys.map((k) => k.split(':')[0]))].sort());
  });

  it('keeps a truncated run’s residual with its parameter, and the encoded NaN and ∞', async () => {
    const ref = readRun(viewer.fx.logdir, 'rnn-json').records;
    const { body } = await getJson(viewer.port, `/api/batch?run=rnn-json&batch=${ref[3].batch}&series=weight_hh`);
    expect(body.record.params.weight_hh.residual).toEqual(ref[3].params.weight_hh.residual);
    const bad = await getJson(viewer.port, `/api/batch?run=exploded&batch=${ref[3].batch}&series=weight_hh`);
    expect(bad.body.nonFinite).toBe(true);
    expect(bad.body.record.params.weight_hh.byDistance[5][1]).toBe('NaN');
    expect(bad.body.record.params.weight_hh.byDistance[6][0]).toBe('Infinity');
    expect(bad.body.record.maxGradient).toBe('NaN');
    expect(bad.body.record.losses[5]).toBe('Infinity');
  });

  it('sends a fraction of a full-itemization LSTM record when one series is asked for', async () => {
    const last = readRun(viewer.fx.logdir, 'lstm-both').records.at(-1)!;
    const whole = await rawGet(viewer.port, `/api/batch?run=lstm-both&batch=${last.batch}`);
    const part = await rawGet(viewer.port, `/api/batch?run=lstm-both&batch=${last.batch}&series=${q('weight_hh:f')}`);
    // The record holds weight_ih and weight_hh, each whole and as four gates (and the biases):
    // one gate's matrix is well under a fifth of the numbers.
    const matrices = Object.values(last.params).reduce((s, p) => s + 1 + Object.keys(p.gates ?? {}).length, 0);
    expect(matrices).toBeGreaterThanOrEqual(10);
    expect(part.body.length).toBeLessThan(whole.body.length / 4);
  });

  it('without series, or with an empty one, sends the whole record as before', async () => {
    const last = readRun(viewer.fx.logdir, 'lstm-both').records.at(-1)!;
    const whole = await rawGet(viewer.port, `/api/batch?run=lstm-both&batch=${last.batch}`);
    for (const query of ['series=', 'series=,']) {
      const same = await rawGet(viewer.port, `/api/batch?run=lstm-both&batch=${last.batch}&${query}`);
      expect(same.status).toBe(200);
      expect(same.body).toBe(whole.body);
    }
  });

  it('refuses series the run does not have with 400, naming them and listing the known keys', async () => {
    const runs = await fullList();
    const known = (id: string) => (runs.runs.find((r) => r.id === id)!.series as { key: string }[]).map((s) => s.key);
    const batch = readRun(viewer.fx.logdir, 'rnn-json').records[0].batch;
    const gate = await getJson(viewer.port, `/api/batch?run=rnn-json&batch=${batch}&series=${q('weight_hh:f')}`);
    expect(gate.status).toBe(400);
    expect(gate.body.error).toBe('run "rnn-json" has no series "weight_hh:f"');
    expect(gate.body.series).toEqual(known('rnn-json'));
    const mixed = await getJson(viewer.port, `/api/batch?run=lstm-both&batch=0&series=weight_hh&series=${q('nope,weight_hh:x')}`);
    expect(mixed.status).toBe(400);
    expect(mixed.body.error).toBe('run "lstm-both" has no series "nope", "weight_hh:x"');
    expect(mixed.body.series).toEqual(known('lstm-both'));
    // A bad series is refused before the batch is looked up: 400, not the 404 of a missing batch.
    expect((await getJson(viewer.port, '/api/batch?run=rnn-json&batch=999999&series=nope')).status).toBe(400);
  });
});

describe("the page's run list (viewer/run-list.js)", () => {
  it('equals /api/runs, and afterwards costs a 304 per poll and one /api/run per new or changed run', async () => {
    const base = `http://127.0.0.1:${viewer.port}/`;
    const realFetch = globalThis.fetch;
    const asked: { path: string; status: number }[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      const res = await realFetch(base + url, { headers: init?.headers });
      asked.push({ path: url.replace(/\?$/, ''), status: res.status });
      return res;
    });
    const since = (n: number) => asked.slice(n).map((a) => `${a.status} ${a.path}`);
    try {
      const list = new RunList();
      const first = await list.load();
      const full = await fullList();
      expect(first).toEqual(full);
      const runs = full.runs.length;
      // The first load needs every description: one /api/runs when there are many, else one each.
      expect(since(0)).toEqual(['200 api/runs/summary', ...(runs > FULL_LIST_AT ? ['200 api/runs'] : full.runs.map((r) => `200 api/run?run=${q(r.id)}`))]);

      let n = asked.length;
      expect(await list.load()).toEqual(full);
      expect(since(n)).toEqual(['304 api/runs/summary']);

      // A new run: its description alone is fetched, and the list is /api/runs again.
      copyRun('lstm-both', 'arrives-later');
      n = asked.length;
      const later = await list.load();
      expect(since(n)).toEqual(['200 api/runs/summary', '200 api/run?run=arrives-later']);
      expect(later).toEqual(await fullList());

      // Records arriving change the summary but no description: nothing but the summary is asked.
      const dir = copyRun('rnn-json', 'grows-later');
      const lines = readFileSync(path.join(dir, 'records.jsonl'), 'utf8').trimEnd().split('\n');
      writeFileSync(path.join(dir, 'records.jsonl'), lines.slice(0, 2).join('\n') + '\n');
      await list.load();
      append(path.join(dir, 'records.jsonl'), lines[2] + '\n');
      n = asked.length;
      const grown = await list.load();
      expect(since(n)).toEqual(['200 api/runs/summary']);
      expect(grown.runs.find((r: Entry) => r.id === 'grows-later').records).toBe(3);
      expect(grown).toEqual(await fullList());

      // Many new runs at once: one full list instead of a request per run.
      for (let i = 0; i <= FULL_LIST_AT; i++) copyRun('rnn-json', `sweep-${i}`);
      n = asked.length;
      const sweep = await list.load();
      expect(since(n)).toEqual(['200 api/runs/summary', '200 api/runs']);
      expect(sweep).toEqual(await fullList());
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("the page's batch cache with a series", () => {
  it('asks for the series it is given, keeps one answer per series, and takes the whole record for a series the server refuses', async () => {
    const asked: (string | null)[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      const query = new URLSearchParams(url.split('?')[1]);
      const series = query.get('series');
      asked.push(series);
      if (series === 'gone') return new Response(JSON.stringify({ error: 'run "r" has no series "gone"', series: ['w'] }), { status: 400 });
      const whole = { byDistance: [[1], [2, 3]], gates: { f: [[4], [5, 6]] }, residual: [7, 8] };
      const params = series === null ? { w: whole } : series === 'w' ? { w: { byDistance: whole.byDistance, residual: whole.residual } } : { w: { gates: { f: whole.gates.f } } };
      return new Response(JSON.stringify({ batch: Number(query.get('batch')), record: { batch: 3, n: 2, losses: [1, 2], params } }), { status: 200 });
    });
    try {
      const cache = new BatchCache();
      const w = await cache.get('r', 3, 1, 'w');
      expect(w.series).toBe('w');
      expect(w.record.params.w).toEqual({ byDistance: [[1], [2, 3]], gates: undefined, residual: [7, 8] });
      const f = await cache.get('r', 3, 1, 'w:f');
      expect(f.series).toBe('w:f');
      // A gate alone has no byDistance: absent, not an empty matrix the page would draw as nothing.
      expect(f.record.params.w.byDistance).toBeUndefined();
      expect(f.record.params.w.gates.f).toEqual([[4], [5, 6]]);
      expect(asked).toEqual(['w', 'w:f']);
      expect(cache.has('r', 3, 1, 'w')).toBe(true);
      expect(cache.has('r', 3, 1, 'w:f')).toBe(true);
      expect(cache.has('r', 3, 1)).toBe(false);
      await cache.get('r', 3, 1, 'w');
      expect(asked).toHaveLength(2);
      const fallback = await cache.get('r', 3, 1, 'gone');
      expect(asked.slice(2)).toEqual(['gone', null]);
      expect(fallback.series).toBeNull();
      expect(Object.keys(fallback.record.params.w.gates)).toEqual(['f']);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('continuity links: a run resumed from another run\'s checkpoint', () => {
  const resumeFrom = (from: string, startedAt: string) => (info: Record<string, unknown>) => {
    info.startedAt = startedAt;
    // As the trainer writes it: the checkpoint path as given (here absolute, as is the fixture's logdir).
    info.config = { ...(info.config as object), resume: path.join(viewer.fx.logdir, from, 'checkpoint.json') };
  };
  const entry = (body: string, id: string) => (JSON.parse(body) as { runs: Entry[] }).runs.find((r) => r.id === id)!;

  it('links both runs in the summary, so a new continuation changes the summary (no 304 hides it) but not the detail tag', async () => {
    copyRun('rnn-json', 'resumed-a');
    const before = await rawGet(viewer.port, '/api/runs/summary');
    const a0 = entry(before.body, 'resumed-a');
    expect(a0).not.toHaveProperty('continuedIn');
    expect(a0).not.toHaveProperty('resumedFrom');
    expect((await rawGet(viewer.port, '/api/runs/summary', { headers: { 'if-none-match': before.headers.etag as string } })).status).toBe(304);

    copyRun('rnn-json', 'resumed-b', resumeFrom('resumed-a', '2030-01-01T00:00:00.000Z'));
    const after = await rawGet(viewer.port, '/api/runs/summary', { headers: { 'if-none-match': before.headers.etag as string } });
    expect(after.status).toBe(200);
    const a1 = entry(after.body, 'resumed-a');
    const b1 = entry(after.body, 'resumed-b');
    expect(a1.continuedIn).toEqual(['resumed-b']);
    expect(b1.resumedFrom).toBe('resumed-a');
    expect(b1).not.toHaveProperty('continuedIn');
    // The links move with the summary: A's description tag stays, so the page need not fetch it again.
    expect(a1.detail).toBe(a0.detail);
    // The full list and /api/run say the same.
    const full = await fullList();
    for (const id of ['resumed-a', 'resumed-b']) {
      const listed = full.runs.find((r) => r.id === id)!;
      const one = (await getJson<Entry>(viewer.port, `/api/run?run=${id}`)).body;
      expect(one).toEqual(listed);
      expect([listed.resumedFrom, listed.continuedIn]).toEqual(id === 'resumed-a' ? [undefined, ['resumed-b']] : ['resumed-a', undefined]);
    }

    // A second resume of A (started later) comes first; a resume from a checkpoint outside the
    // logdir links nothing, though a run here has its folder's name.
    copyRun('rnn-json', 'resumed-c', resumeFrom('resumed-a', '2030-01-02T00:00:00.000Z'));
    copyRun('rnn-json', 'resumed-x', (info) => {
      info.config = { ...(info.config as object), resume: path.join(viewer.fx.outside, 'resumed-a', 'checkpoint.json') };
    });
    const third = (await rawGet(viewer.port, '/api/runs/summary')).body;
    expect(entry(third, 'resumed-a').continuedIn).toEqual(['resumed-c', 'resumed-b']);
    expect(entry(third, 'resumed-x')).not.toHaveProperty('resumedFrom');
  });

  it("reaches the page's run list from the summary, and leaves it once the continuation is gone", async () => {
    copyRun('rnn-json', 'page-a');
    const b = copyRun('rnn-json', 'page-b', resumeFrom('page-a', '2030-02-01T00:00:00.000Z'));
    const base = `http://127.0.0.1:${viewer.port}/`;
    const realFetch = globalThis.fetch;
    const asked: string[] = [];
    vi.stubGlobal('fetch', (url: string, init?: RequestInit) => {
      asked.push(url.replace(/\?$/, ''));
      return realFetch(base + url, { headers: init?.headers });
    });
    try {
      const list = new RunList();
      const find = async (id: string) => (await list.load()).runs.find((r: Entry) => r.id === id);
      // A's description is fetched while B continues it: it holds the link too.
      expect((await find('page-a')).continuedIn).toEqual(['page-b']);
      expect((await find('page-b')).resumedFrom).toBe('page-a');
      // A second continuation reaches the list through the summary alone.
      const c = copyRun('rnn-json', 'page-c', resumeFrom('page-a', '2030-02-02T00:00:00.000Z'));
      const n = asked.length;
      expect((await find('page-a')).continuedIn).toEqual(['page-c', 'page-b']);
      expect(asked.slice(n)).toEqual(['api/runs/summary', 'api/run?run=page-c']);
      expect(await list.load()).toEqual(await fullList());
      // Both deleted: A's description (whose tag did not change, so it is not fetched again)
      // must not keep the old links.
      rmSync(b, { recursive: true });
      rmSync(c, { recursive: true });
      expect(await find('page-a')).not.toHaveProperty('continuedIn');
      expect(await list.load()).toEqual(await fullList());
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
