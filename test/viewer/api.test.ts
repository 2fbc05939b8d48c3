import { readFileSync, readdirSync, writeFileSync, mkdirSync, copyFileSync, truncateSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJson } from '../../src/exporters/json/json-numbers.js';
import type { BatchRecord } from '../../src/core/record.js';
import type { ViewerServer } from '../../src/viewer/index.js';
import { append, startFixtureViewer, stopFixtureViewer, readRun, referenceBars, type ViewerFixture } from './fixture.js';
import { getJson, rawGet } from './http.js';

let fx: ViewerFixture;
let server: ViewerServer;
let port: number;

beforeAll(async () => {
  ({ fx, server, port } = await startFixtureViewer());
});

afterAll(() => stopFixtureViewer({ fx, server }));

const maxOf = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
const q = (s: string) => encodeURIComponent(s);

describe('GET /api/runs', () => {
  it('lists the run folders of the logdir (JSON and event-file runs), never a link out of it', async () => {
    const { status, body } = await getJson(port, '/api/runs');
    expect(status).toBe(200);
    const ids = body.runs.map((r: { id: string }) => r.id);
    expect(ids).toEqual(['broken', 'exploded', 'gru-tb', 'lstm-both', 'rnn-json', 'sneaky']);
    const byId = Object.fromEntries(body.runs.map((r: { id: string }) => [r.id, r]));
    expect(byId['rnn-json'].kind).toBe('json');
    expect(byId['lstm-both'].kind).toBe('json');
    expect(byId['gru-tb'].kind).toBe('tensorboard');
    expect(byId['rnn-json'].status).toBe('completed');
    expect(byId['gru-tb'].status).toBe('ended');
    // Links out of the logdir are reported, not followed.
    expect(body.problems.map((p: { file: string }) => p.file).sort()).toEqual(['escape', 'secret-link.txt', 'sneaky/records.jsonl']);
  });

  it('counts the records each run holds, as the JSON reader reads them', async () => {
    const { body } = await getJson(port, '/api/runs');
    for (const id of ['rnn-json', 'lstm-both']) {
      const ref = readRun(fx.logdir, id);
      const run = body.runs.find((r: { id: string }) => r.id === id);
      expect(run.records).toBe(ref.records.length);
      expect(run.firstBatch).toBe(ref.records[0].batch);
      expect(run.lastBatch).toBe(ref.records.at(-1)!.batch);
      expect(run.cell).toBe(ref.run.cell);
      expect(run.vocab).toEqual(ref.run.vocab);
    }
    const rnn = body.runs.find((r: { id: string }) => r.id === 'rnn-json');
    expect(rnn.records).toBe(15); // 30 batches, every 2nd recorded
    expect(rnn.k).toBe(4);
    const gru = body.runs.find((r: { id: string }) => r.id === 'gru-tb');
    expect(gru.records).toBe(10);
    expect(gru.cell).toBe('gru');
  });

  it('shows whitespace visibly and lists the gates of gated cells', async () => {
    const { body } = await getJson(port, '/api/runs');
    const lstm = body.runs.find((r: { id: string }) => r.id === 'lstm-both');
    const space = lstm.vocab.indexOf(' ');
    const newline = lstm.vocab.indexOf('\n');
    expect(space).toBeGreaterThanOrEqual(0);
    expect(lstm.vocabVisible[space]).toBe('␣');
    expect(lstm.vocabVisible[newline]).toBe('⏎');
    const keys = lstm.series.map((s: { key: string }) => s.key);
    for (const g of ['i', 'f', 'g', 'o']) expect(keys).toContain(`weight_hh:${g}`);
    const gru = body.runs.find((r: { id: string }) => r.id === 'gru-tb');
    for (const g of ['r', 'z', 'n']) expect(gru.series.map((s: { key: string }) => s.key)).toContain(`weight_hh:${g}`);
    expect(lstm.primary).toBe('weight_hh');
  });
});

describe('GET /api/batch', () => {
  it('returns one record exactly as the exporter wrote it, with its neighbours', async () => {
    const ref = readRun(fx.logdir, 'rnn-json').records;
    for (const i of [0, 7, ref.length - 1]) {
      const { status, body } = await getJson(port, `/api/batch?run=rnn-json&batch=${ref[i].batch}`);
      expect(status).toBe(200);
      const { schema: _s, version: _v, ...record } = parseJson<BatchRecord & { schema: string; version: number }>(JSON.stringify(body.record));
      expect(record).toEqual(ref[i]);
      expect(body.rank).toBe(i);
      expect(body.prev).toBe(i > 0 ? ref[i - 1].batch : null);
      expect(body.next).toBe(i + 1 < ref.length ? ref[i + 1].batch : null);
      expect(body.total).toBe(ref.length);
    }
  });

  it('answers 404 with the nearest recorded batch for a batch that was not recorded', async () => {
    const ref = readRun(fx.logdir, 'rnn-json').records;
    const { status, body } = await getJson(port, `/api/batch?run=rnn-json&batch=${ref[3].batch + 1}`);
    expect(ref[3].batch + 1).not.toBe(ref[4].batch);
    expect(status).toBe(404);
    expect([ref[3].batch, ref[4].batch]).toContain(body.nearest);
    const near = await getJson(port, `/api/batch?run=rnn-json&batch=${ref[3].batch + 1}&nearest=1`);
    expect(near.status).toBe(200);
    expect(near.body.batch).toBe(body.nearest);
    expect(near.body.requested).toBe(ref[3].batch + 1);
    expect(near.body.record.batch).toBe(body.nearest);
  });

  it('decodes records of event-file-only runs (GRU) consistently with their own gradients', async () => {
    const { body: runs } = await getJson(port, '/api/runs');
    const gru = runs.runs.find((r: { id: string }) => r.id === 'gru-tb');
    let batch = gru.firstBatch;
    let seen = 0;
    while (batch !== null) {
      const { status, body } = await getJson(port, `/api/batch?run=gru-tb&batch=${batch}`);
      expect(status).toBe(200);
      const r = parseJson<BatchRecord>(JSON.stringify(body.record));
      expect(r.batch).toBe(batch);
      expect(r.cell).toBe('gru');
      expect(r.inputs).toHaveLength(r.n);
      expect(r.params.weight_hh.gates && Object.keys(r.params.weight_hh.gates).sort()).toEqual(['n', 'r', 'z']);
      expect(r.maxGradient).toBeCloseTo(maxOf(referenceBars(r.params[r.primary].byDistance, r.n)), 10);
      seen++;
      batch = body.next;
    }
    expect(seen).toBe(gru.records);
  });
});

describe('GET /api/overview', () => {
  it('gives one column per record when they fit, each the record’s tallest bar', async () => {
    const ref = readRun(fx.logdir, 'rnn-json').records;
    const { body } = await getJson(port, '/api/overview?run=rnn-json&bins=1000');
    expect(body.perRecord).toBe(true);
    expect(body.bins).toHaveLength(ref.length);
    body.bins.forEach((b: { batch: number; max: number; count: number; from: number; to: number }, i: number) => {
      expect(b.batch).toBe(ref[i].batch);
      expect(b.from).toBe(ref[i].batch);
      expect(b.to).toBe(ref[i].batch);
      expect(b.count).toBe(1);
      const expected = maxOf(referenceBars(ref[i].params.weight_hh.byDistance, ref[i].n));
      expect(b.max).toBeCloseTo(expected, 12);
      expect(b.max).toBeCloseTo(ref[i].maxGradient, 12);
    });
    expect(body.max).toBeCloseTo(maxOf(ref.map((r) => r.maxGradient)), 12);
  });

  it('bins to the requested width with the max per bin, and zooms to a range', async () => {
    const ref = readRun(fx.logdir, 'rnn-json').records;
    for (const [from, to, bins] of [[ref[0].batch, ref.at(-1)!.batch, 4], [4, 20, 3], [0, 1000, 7]] as const) {
      const { body } = await getJson(port, `/api/overview?run=rnn-json&bins=${bins}&from=${from}&to=${to}`);
      const inRange = ref.filter((r) => r.batch >= from && r.batch <= to);
      expect(body.records).toBe(inRange.length);
      expect(body.bins.length).toBeLessThanOrEqual(bins);
      expect(body.bins.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(inRange.length);
      for (const b of body.bins) {
        const members = inRange.filter((r) => r.batch >= b.from && r.batch <= b.to);
        expect(members.length).toBe(b.count);
        const best = members.reduce((a, r) => (r.maxGradient > a.maxGradient ? r : a));
        expect(b.max).toBeCloseTo(best.maxGradient, 12);
        expect(b.batch).toBe(best.batch);
      }
      // Columns do not overlap and stay inside the range.
      for (let i = 1; i < body.bins.length; i++) expect(body.bins[i].from).toBeGreaterThan(body.bins[i - 1].to);
      expect(body.bins[0].from).toBeGreaterThanOrEqual(from);
    }
  });

  it('follows the chosen parameter and gate', async () => {
    const ref = readRun(fx.logdir, 'lstm-both').records;
    const { body } = await getJson(port, `/api/overview?run=lstm-both&series=${q('weight_hh:f')}&bins=1000`);
    expect(body.series).toBe('weight_hh:f');
    body.bins.forEach((b: { max: number }, i: number) => {
      expect(b.max).toBeCloseTo(maxOf(referenceBars(ref[i].params.weight_hh.gates!.f, ref[i].n)), 12);
    });
    const ih = await getJson(port, `/api/overview?run=lstm-both&series=weight_ih&bins=1000`);
    ih.body.bins.forEach((b: { max: number }, i: number) => {
      expect(b.max).toBeCloseTo(maxOf(referenceBars(ref[i].params.weight_ih.byDistance, ref[i].n)), 12);
    });
  });

  it('rejects unknown series and bad parameters with 400, unknown runs with 404', async () => {
    expect((await getJson(port, '/api/overview?run=rnn-json&series=weight_hh:f')).status).toBe(400);
    expect((await getJson(port, '/api/overview?run=rnn-json&bins=0')).status).toBe(400);
    expect((await getJson(port, '/api/overview?run=rnn-json&bins=abc')).status).toBe(400);
    expect((await getJson(port, '/api/overview?run=rnn-json&from=9&to=3')).status).toBe(400);
    expect((await getJson(port, '/api/overview')).status).toBe(400);
    expect((await getJson(port, '/api/overview?run=nope')).status).toBe(404);
    expect((await getJson(port, '/api/batch?run=rnn-json')).status).toBe(400);
    expect((await getJson(port, '/api/nothing-here')).status).toBe(404);
  });

  it('says a repeated parameter must be given once, for numbers as for run ids', async () => {
    const batch = await getJson(port, '/api/batch?run=rnn-json&batch=0&batch=20');
    expect(batch.status).toBe(400);
    expect(batch.body.error).toBe('parameter "batch" must be given once');
    const bins = await getJson(port, '/api/overview?run=rnn-json&bins=10&bins=20');
    expect(bins.body.error).toBe('parameter "bins" must be given once');
    const run = await getJson(port, '/api/batch?run=rnn-json&run=lstm-both&batch=0');
    expect(run.body.error).toBe('parameter "run" must be given once');
  });
});

describe('GET /api/horizon and /api/interesting', () => {
  it('gives each distance’s share of the gradient mass, averaged per column', async () => {
    const ref = readRun(fx.logdir, 'rnn-json').records;
    const { body } = await getJson(port, '/api/horizon?run=rnn-json&bins=1000');
    expect(body.width).toBe(5); // k = 4: distances 0..4
    expect(body.bins).toHaveLength(ref.length);
    body.bins.forEach((b: { share: number[] }, i: number) => {
      const mass = [0, 0, 0, 0, 0];
      for (const row of ref[i].params.weight_hh.byDistance) row.forEach((v, d) => (mass[d] += Math.abs(v)));
      const total = mass.reduce((a, c) => a + c, 0);
      // Shares are sent to six decimals (docs/viewer.md).
      b.share.forEach((s, d) => expect(s).toBeCloseTo(mass[d] / total, 5));
    });
    const two = await getJson(port, '/api/horizon?run=rnn-json&bins=2');
    for (const b of two.body.bins) expect(b.share.reduce((a: number, c: number) => a + c, 0)).toBeCloseTo(1, 4);
  });

  it('samples records for a gate’s horizon', async () => {
    const ref = readRun(fx.logdir, 'lstm-both').records;
    const { body } = await getJson(port, `/api/horizon?run=lstm-both&series=${q('weight_hh:o')}&bins=1000`);
    expect(body.sampled).toBe(ref.length);
    body.bins.forEach((b: { share: number[] }, i: number) => {
      const width = body.width;
      const mass = new Array<number>(width).fill(0);
      for (const row of ref[i].params.weight_hh.gates!.o) row.forEach((v, d) => (mass[Math.min(d, width - 1)] += Math.abs(v)));
      const total = mass.reduce((a, c) => a + c, 0);
      b.share.forEach((s, d) => expect(s).toBeCloseTo(mass[d] / total, 5));
    });
  });

  it('lists the largest gradients and the largest truncation residuals', async () => {
    const ref = readRun(fx.logdir, 'rnn-json').records;
    const { body } = await getJson(port, '/api/interesting?run=rnn-json&limit=5');
    const sorted = [...ref].sort((a, b) => b.maxGradient - a.maxGradient).slice(0, 5);
    expect(body.largest.map((x: { batch: number }) => x.batch)).toEqual(sorted.map((r) => r.batch));
    const residual = (r: BatchRecord) => r.params.weight_hh.residual!.reduce((a, v) => a + Math.abs(v), 0);
    const byResidual = [...ref].sort((a, b) => residual(b) - residual(a)).slice(0, 5);
    expect(body.residual.map((x: { batch: number }) => x.batch)).toEqual(byResidual.map((r) => r.batch));
    body.residual.forEach((x: { value: number }, i: number) => expect(x.value).toBeCloseTo(residual(byResidual[i]), 12));
    expect(body.nonFiniteCount).toBe(0);
    const maxes = ref.map((r) => r.maxGradient).sort((a, b) => a - b);
    const mid = maxes.length >> 1;
    expect(body.median).toBeCloseTo(maxes.length % 2 ? maxes[mid] : (maxes[mid - 1] + maxes[mid]) / 2, 12);
  });
});

describe('exploding gradients', () => {
  it('keeps NaN and infinite values as such: counted in the overview, listed, and sent back encoded', async () => {
    const ref = readRun(fx.logdir, 'rnn-json').records;
    const ov = await getJson(port, '/api/overview?run=exploded&bins=1000');
    const bin = ov.body.bins.find((b: { batch: number }) => b.batch === ref[3].batch);
    expect(bin).toMatchObject({ nonFinite: 1, max: null, count: 1 });
    const others = ov.body.bins.filter((b: { batch: number }) => b.batch !== ref[3].batch);
    expect(others.every((b: { nonFinite: number; max: number }) => b.nonFinite === 0 && b.max > 0)).toBe(true);
    const { body } = await getJson(port, '/api/interesting?run=exploded');
    expect(body.nonFiniteCount).toBe(1);
    expect(body.nonFinite.map((x: { batch: number }) => x.batch)).toEqual([ref[3].batch]);
    expect(body.largest.map((x: { batch: number }) => x.batch)).not.toContain(ref[3].batch);
    const batch = await getJson(port, `/api/batch?run=exploded&batch=${ref[3].batch}`);
    expect(batch.body.nonFinite).toBe(true);
    const record = parseJson<BatchRecord>(JSON.stringify(batch.body.record));
    expect(record.params.weight_hh.byDistance[5][1]).toBeNaN();
    expect(record.params.weight_hh.byDistance[6][0]).toBe(Infinity);
    expect(record.losses[5]).toBe(Infinity);
    const horizon = await getJson(port, '/api/horizon?run=exploded&bins=1000');
    expect(horizon.body.bins).toHaveLength(ref.length - 1);
  });
});

describe('damaged and live files', () => {
  it('reports bad lines with their line numbers and serves the good ones', async () => {
    const { body } = await getJson(port, '/api/runs');
    const broken = body.runs.find((r: { id: string }) => r.id === 'broken');
    expect(broken.records).toBe(3);
    const lines = broken.problems.map((p: { line?: number }) => p.line);
    expect(lines).toContain(2);
    expect(lines).toContain(4);
    expect(broken.problems.find((p: { line?: number }) => p.line === 2).message).toMatch(/not valid JSON/);
    expect(broken.problems.find((p: { line?: number }) => p.line === 4).message).toMatch(/not an rnnbow batch record/);
    // The run has no summary.json, so the cut-short last line counts as still being written.
    expect(broken.problems.some((p: { message: string }) => /incomplete last line/.test(p.message))).toBe(false);
    const ov = await getJson(port, '/api/overview?run=broken&bins=100');
    expect(ov.body.bins).toHaveLength(3);
  });

  it('reports an unreadable run.json once, not on every refresh, and reads it again once it is rewritten', async () => {
    const dir = path.join(fx.logdir, 'torn');
    mkdirSync(dir);
    const info = readFileSync(path.join(fx.logdir, 'rnn-json', 'run.json'), 'utf8');
    writeFileSync(path.join(dir, 'run.json'), info.slice(0, Math.floor(info.length / 2)));
    copyFileSync(path.join(fx.logdir, 'rnn-json', 'records.jsonl'), path.join(dir, 'records.jsonl'));
    const torn = async () => (await getJson(port, '/api/runs')).body.runs.find((r: { id: string }) => r.id === 'torn');
    let run = await torn();
    for (let i = 0; i < 3; i++) run = await torn();
    expect(run.status).toBe('error');
    expect(run.records).toBe(0);
    expect(run.problemCount).toBe(1);
    expect(run.problems).toHaveLength(1);
    expect(run.problems[0]).toMatchObject({ file: 'torn/run.json' });
    expect(run.problems[0].message).toMatch(/cannot be read/);
    // Written whole: read again, and its records follow.
    writeFileSync(path.join(dir, 'run.json'), info);
    run = await torn();
    expect(run.status).not.toBe('error');
    expect(run.records).toBe(readRun(fx.logdir, 'rnn-json').records.length);
    expect(run.problemCount).toBe(1);
  });

  it('reports an event file cut mid-record once the run has gone quiet, not while it may still be written', async () => {
    const source = readdirSync(path.join(fx.logdir, 'gru-tb')).find((f) => f.startsWith('events.out.tfevents.'))!;
    const cut = async (id: string) => {
      const dir = path.join(fx.logdir, id);
      mkdirSync(dir);
      const file = path.join(dir, source);
      copyFileSync(path.join(fx.logdir, 'gru-tb', source), file);
      // The session-end record is last: cutting into it leaves a run that never said it ended.
      truncateSync(file, readFileSync(file).length - 5);
      return file;
    };
    const runOf = async (id: string) => (await getJson(port, '/api/runs')).body.runs.find((r: { id: string }) => r.id === id);
    await cut('tb-live');
    let live = await runOf('tb-live');
    expect(live.status).toBe('running');
    expect(live.records).toBe(10);
    expect(live.problemCount).toBe(0);

    const old = (Date.now() - 10 * 60_000) / 1000;
    utimesSync(await cut('tb-quiet'), old, old);
    let quiet = await runOf('tb-quiet');
    for (let i = 0; i < 3; i++) quiet = await runOf('tb-quiet');
    expect(quiet.status).toBe('stale');
    expect(quiet.records).toBe(10);
    expect(quiet.problemCount).toBe(1);
    expect(quiet.problems[0].file).toBe(`tb-quiet/${source}`);
    expect(quiet.problems[0].message).toMatch(/^truncated-tail: incomplete last record \(\d+ bytes\) skipped and nothing was appended for two minutes$/);
  });

  it('a run found already quiet is stale from the first look, not running for two minutes', async () => {
    const dir = path.join(fx.logdir, 'old-json');
    mkdirSync(dir);
    for (const f of ['run.json', 'records.jsonl']) copyFileSync(path.join(fx.logdir, 'rnn-json', f), path.join(dir, f));
    const old = (Date.now() - 10 * 60_000) / 1000;
    for (const f of ['run.json', 'records.jsonl']) utimesSync(path.join(dir, f), old, old);
    const run = (await getJson(port, '/api/runs')).body.runs.find((r: { id: string }) => r.id === 'old-json');
    expect(run.records).toBe(15);
    expect(run.status).toBe('stale');
    expect(run.problemCount).toBe(0);
    // A half line left by a run that went quiet is reported, as the event-file reader's cut tail is.
    append(path.join(dir, 'records.jsonl'), '{"batch": 99, "n');
    utimesSync(path.join(dir, 'records.jsonl'), old, old);
    const later = (await getJson(port, '/api/runs')).body.runs.find((r: { id: string }) => r.id === 'old-json');
    expect(later.problemCount).toBe(1);
    expect(later.problems[0].message).toBe('incomplete last line (16 bytes) ignored: nothing was appended for two minutes');
  });

  it('picks up appended records, and a half-written line only once it is complete', async () => {
    const dir = path.join(fx.logdir, 'live');
    mkdirSync(dir);
    copyFileSync(path.join(fx.logdir, 'rnn-json', 'run.json'), path.join(dir, 'run.json'));
    const lines = readFileSync(path.join(fx.logdir, 'rnn-json', 'records.jsonl'), 'utf8').trimEnd().split('\n');
    writeFileSync(path.join(dir, 'records.jsonl'), lines[0] + '\n');
    const count = async () => (await getJson(port, '/api/runs')).body.runs.find((r: { id: string }) => r.id === 'live');
    let live = await count();
    expect(live.records).toBe(1);
    expect(live.status).toBe('running');
    append(path.join(dir, 'records.jsonl'), lines[1].slice(0, 100));
    live = await count();
    expect(live.records).toBe(1);
    expect(live.problemCount).toBe(0);
    append(path.join(dir, 'records.jsonl'), lines[1].slice(100) + '\n' + lines[2] + '\n');
    live = await count();
    expect(live.records).toBe(3);
    const batch = await getJson(port, `/api/batch?run=live&batch=${JSON.parse(lines[1]).batch}`);
    expect(batch.status).toBe(200);
    expect(batch.body.record.batch).toBe(JSON.parse(lines[1]).batch);
    writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ batches: 6, finalLoss: 3, records: 3, status: 'interrupted' }));
    live = await count();
    expect(live.status).toBe('interrupted');
  });
});

describe('HTTP hygiene', () => {
  it('sends security headers and no framework banner', async () => {
    for (const p of ['/', '/api/runs']) {
      const res = await rawGet(port, p);
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(res.headers['content-security-policy']).not.toMatch(/upgrade-insecure-requests/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('serves the page, its modules and d3 from the package (no CDN)', async () => {
    const page = await rawGet(port, '/');
    expect(page.body).toMatch(/<script src="vendor\/d3.min.js">/);
    expect(page.body).not.toMatch(/https?:\/\//);
    const d3 = await rawGet(port, '/vendor/d3.min.js');
    expect(d3.status).toBe(200);
    expect(d3.headers['content-type']).toMatch(/javascript/);
    expect(d3.body).toMatch(/d3js.org v7/);
    for (const m of ['main.js', 'panel.js', 'api.js', 'style.css']) expect((await rawGet(port, `/assets/${m}`)).status).toBe(200);
  });

  it('is read-only and refuses foreign Host headers (DNS rebinding)', async () => {
    expect((await rawGet(port, '/api/runs', { method: 'POST' })).status).toBe(405);
    expect((await rawGet(port, '/api/runs', { method: 'DELETE' })).status).toBe(405);
    expect((await rawGet(port, '/api/runs', { headers: { host: 'evil.example:80' } })).status).toBe(403);
    expect((await rawGet(port, '/api/runs', { headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it('accepts only real loopback names in the Host header, never a DNS name that starts like one', async () => {
    const status = async (host: string) => (await rawGet(port, '/api/runs', { headers: { host } })).status;
    // DNS names an attacker can register and point at 127.0.0.1.
    for (const host of ['127.evil.com', `127.0.0.1.nip.io:${port}`, '127.0.0.1.nip.io', '127.0.0.1evil.com', 'localhost.evil.com', `evil.localhost:${port}`, '127.0.0.256', '127.0.0', '127.0.0.1.', '127.1', '[::1].evil.com', '[::2]', `127.0.0.1:${port}:80`, `127.0.0.1:port`]) {
      expect(await status(host), `Host: ${host}`).toBe(403);
    }
    for (const host of ['127.0.0.1', `127.0.0.1:${port}`, `127.1.2.3:${port}`, '127.255.255.255', `localhost:${port}`, 'LOCALHOST', '[::1]', `[::1]:${port}`]) {
      expect(await status(host), `Host: ${host}`).toBe(200);
    }
  });

  it('binds 127.0.0.1 by default', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${port}/`);
  });
});
