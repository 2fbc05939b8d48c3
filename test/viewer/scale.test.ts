/**
 * What keeps the viewer usable on big logdirs, checked as behaviour (never as timings): event
 * files are read in bounded slices and records are not kept, a gate's horizon chart reads each
 * sampled record once however often it is asked for, the horizon answer is rounded, and the
 * page's batch cache is bounded by the numbers it holds.
 */
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RunReader, TAGS } from '../../src/exporters/tensorboard/index.js';
import { HORIZON_READS_AT_ONCE, sampledHorizon, sampleRanks } from '../../src/viewer/api.js';
import { JsonRunSource } from '../../src/viewer/json-run-source.js';
import { describeRun } from '../../src/viewer/run-description.js';
import { SafeRoot } from '../../src/viewer/safe-root.js';
import { TensorBoardRunSource } from '../../src/viewer/tensorboard-run-source.js';
// The page's own module (plain browser JS; it only needs fetch, stubbed below).
import { BatchCache, recordWeight } from '../../viewer/api.js';
import { readRun, useFixtureViewer } from './fixture.js';
import { getJson } from './http.js';

const viewer = useFixtureViewer();

/** Objects reachable from `root` (own properties, arrays, Maps, Sets; typed arrays and buffers are leaves). */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const stack = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v) || ArrayBuffer.isView(v)) continue;
    seen.add(v);
    if (v instanceof Map) for (const [k, x] of v) stack.push(k, x);
    else if (v instanceof Set) for (const x of v) stack.push(x);
    else for (const x of Object.values(v)) stack.push(x);
  }
  return [...seen];
}

const isBatchRecord = (o: unknown) => !!o && typeof o === 'object' && 'params' in o && 'batch' in o && 'losses' in o;

describe('event files are read in bounded slices', () => {
  it('a poll with a byte budget holds whole frames only up to the budget, and all polls give what one unbounded poll gives', async () => {
    const dir = path.join(viewer.fx.logdir, 'lstm-both');
    const all = await new RunReader(dir).poll();
    const refRecords = all.values.filter((v) => v.tag === TAGS.record);
    expect(refRecords.length).toBeGreaterThan(5);
    expect(all.more).toBe(false);

    const sliced = new RunReader(dir);
    const values: typeof all.values = [];
    const records: typeof all.records = [];
    const totalFrames = new Set(all.values.map((v) => `${v.file}:${v.offset}`)).size;
    let slices = 0;
    let mostFrames = 0;
    for (let more = true; more; ) {
      // One byte per poll: a poll then reads only until it holds one whole frame (records
      // larger than the budget still get through), so no poll comes near the whole file.
      const update = await sliced.poll(1);
      more = update.more;
      mostFrames = Math.max(mostFrames, new Set(update.values.map((v) => `${v.file}:${v.offset}`)).size);
      if (update.values.length) slices++;
      values.push(...update.values);
      records.push(...update.records);
    }
    expect(mostFrames).toBeGreaterThan(0);
    expect(mostFrames).toBeLessThan(totalFrames / 4);
    expect(slices).toBeGreaterThan(refRecords.length);
    expect(values.map((v) => [v.tag, v.step, v.file, v.offset])).toEqual(all.values.map((v) => [v.tag, v.step, v.file, v.offset]));
    expect(records).toEqual(all.records);
    expect(sliced.pendingProblems()).toEqual([]);
  });

  it('the event-file run source indexes every record but keeps none of them', async () => {
    const root = await SafeRoot.open(viewer.fx.logdir);
    const source = new TensorBoardRunSource('lstm-both', path.join(root.real, 'lstm-both'), root);
    await source.refresh(0);
    const { records } = readRun(viewer.fx.logdir, 'lstm-both');
    expect(source.index?.count).toBe(records.length);
    for (let r = 0; r < records.length; r++) expect(source.index!.batchAt(r)).toBe(records[r].batch);
    expect(reachable(source).filter(isBatchRecord)).toEqual([]);
    // A batch is decoded again from its frame when asked for.
    const again = await source.readRecord(records.length - 1);
    expect(again.params.weight_hh.byDistance).toEqual(records[records.length - 1].params.weight_hh.byDistance);
  });
});

describe('sampled horizon chart of a gate', () => {
  it('sampleRanks picks multiples of a power-of-two stride, at most `limit`, within the byte budget', () => {
    for (const [lo, hi, limit] of [
      [0, 10, 400],
      [0, 1000, 400],
      [37, 5000, 100],
      [3, 4, 10],
    ]) {
      const ranks = sampleRanks(lo, hi, limit, Infinity, () => 1);
      expect(ranks.length).toBeGreaterThan(0);
      expect(ranks.length).toBeLessThanOrEqual(limit);
      const stride = ranks.length > 1 ? ranks[1] - ranks[0] : 1;
      expect(Math.log2(stride) % 1).toBe(0);
      for (const r of ranks) expect(r >= lo && r < hi && (ranks.length === 1 || r % stride === 0)).toBe(true);
      // The stride is the smallest that fits: half of it would pick more than `limit`.
      if (stride > 1) expect(Math.ceil((hi - lo) / (stride / 2))).toBeGreaterThan(limit);
    }
    expect(sampleRanks(5, 5, 10, Infinity, () => 1)).toEqual([]);
    // Records of 10 bytes, budget 100: at most 10 records are read.
    const budgeted = sampleRanks(0, 64, 400, 100, () => 10);
    expect(budgeted.length * 10).toBeLessThanOrEqual(100);
    expect(budgeted).toEqual([0, 8, 16, 24, 32, 40, 48, 56]);
    // A run that grows keeps most of its earlier sample (so those records are not read again).
    const before = new Set(sampleRanks(0, 1000, 400, Infinity, () => 1));
    for (const hi of [1100, 1700, 4000]) {
      const after = sampleRanks(0, hi, 400, Infinity, () => 1);
      expect(after.filter((r) => r < 1000).every((r) => before.has(r))).toBe(true);
    }
  });

  it('reads each sampled record once, however often the chart is asked for', async () => {
    const root = await SafeRoot.open(viewer.fx.logdir);
    const source = new JsonRunSource('lstm-both', path.join(root.real, 'lstm-both'), root);
    await source.refresh(0);
    const series = source.series.find((s) => s.key === 'weight_hh:f')!;
    expect(series).toBeDefined();
    const read = vi.spyOn(source, 'readRecord');
    const idx = source.index!;
    const first = idx.batchAt(0);
    const last = idx.batchAt(idx.count - 1);
    const a = await sampledHorizon(source, series, first, last, 1000);
    expect(read).toHaveBeenCalledTimes(idx.count);
    const b = await sampledHorizon(source, series, first, last, 3);
    const c = await sampledHorizon(source, series, idx.batchAt(2), last, 1000);
    expect(read).toHaveBeenCalledTimes(idx.count);
    expect(b.sampled).toBe(a.sampled);
    expect(c.bins.map((x) => x.share)).toEqual(a.bins.slice(2).map((x) => x.share));
    // Each share row is that record's own mass by distance, normalised (computed here from the record).
    const { records } = readRun(viewer.fx.logdir, 'lstm-both');
    const m = records[0].params.weight_hh.gates!.f;
    const mass = new Array(idx.width).fill(0);
    for (const row of m) row.forEach((v, d) => (mass[Math.min(d, idx.width - 1)] += Math.abs(v)));
    const total = mass.reduce((s, v) => s + v, 0);
    a.bins[0].share.forEach((s, d) => expect(s).toBeCloseTo(mass[d] / total, 12));
  });

  it('reads the sampled records several at a time, never more than its bound', async () => {
    // More records than are read at once: lstm-both's records again and again, numbered on.
    const dir = path.join(viewer.fx.logdir, 'many-records');
    mkdirSync(dir);
    copyFileSync(path.join(viewer.fx.logdir, 'lstm-both', 'run.json'), path.join(dir, 'run.json'));
    const lines = readFileSync(path.join(viewer.fx.logdir, 'lstm-both', 'records.jsonl'), 'utf8').trimEnd().split('\n');
    const count = 3 * HORIZON_READS_AT_ONCE;
    writeFileSync(path.join(dir, 'records.jsonl'), Array.from({ length: count }, (_, i) => JSON.stringify({ ...JSON.parse(lines[i % lines.length]), batch: i })).join('\n') + '\n');
    const root = await SafeRoot.open(viewer.fx.logdir);
    const source = new JsonRunSource('many-records', path.join(root.real, 'many-records'), root);
    await source.refresh(0);
    const series = source.series.find((s) => s.key === 'weight_hh:o')!;
    const read = source.readRecord.bind(source);
    let inFlight = 0;
    let most = 0;
    vi.spyOn(source, 'readRecord').mockImplementation(async (r) => {
      most = Math.max(most, ++inFlight);
      try {
        // Each read waits for a later turn of the event loop, as a file read does.
        await new Promise((resolve) => setImmediate(resolve));
        return await read(r);
      } finally {
        inFlight--;
      }
    });
    const idx = source.index!;
    expect(idx.count).toBe(count);
    const result = await sampledHorizon(source, series, idx.batchAt(0), idx.batchAt(idx.count - 1), 1000);
    expect(result.sampled).toBe(count);
    expect(most).toBe(HORIZON_READS_AT_ONCE);
  });

  it('the horizon answer sends shares to six decimals, still summing to 1', async () => {
    const { status, body } = await getJson(viewer.port, '/api/horizon?run=lstm-both&series=weight_hh%3Ai');
    expect(status).toBe(200);
    expect(body.bins.length).toBeGreaterThan(0);
    for (const b of body.bins) {
      for (const s of b.share) expect(Math.round(s * 1e6) / 1e6).toBe(s);
      expect(b.share.reduce((x: number, y: number) => x + y, 0)).toBeCloseTo(1, 4);
    }
  });
});

describe("the page's batch cache", () => {
  /** A record holding `numbers` numbers in one matrix. */
  const fakeRecord = (batch: number, numbers: number) => ({ batch, losses: [], params: { w: { byDistance: [new Array(numbers).fill(1)] } } });

  it('counts the numbers a record holds', () => {
    const r = { losses: [1, 2], params: { a: { byDistance: [[1], [2, 3]], gates: { f: [[1, 2, 3]] }, residual: [1, 2] } } };
    expect(recordWeight(r)).toBe(2 + 3 + 3 + 2);
  });

  it('drops the least recently used batches once they hold more numbers than allowed', async () => {
    const fetchMock = vi.fn(async (url: string) => {
      const batch = Number(new URLSearchParams(url.split('?')[1]).get('batch'));
      return new Response(JSON.stringify({ batch, record: fakeRecord(batch, 1000) }), { status: 200 });
    });
    vi.stubGlobal('fetch', fetchMock);
    try {
      const cache = new BatchCache(300, 5000);
      for (let b = 0; b < 20; b++) await cache.get('run', b, 1);
      expect(cache.numbers).toBeLessThanOrEqual(5000);
      expect(cache.map.size).toBe(5);
      for (let b = 15; b < 20; b++) expect(cache.has('run', b, 1)).toBe(true);
      expect(cache.has('run', 0, 1)).toBe(false);
      // A kept batch is served without a request; a dropped one is fetched again.
      const calls = fetchMock.mock.calls.length;
      await cache.get('run', 19, 1);
      expect(fetchMock.mock.calls.length).toBe(calls);
      await cache.get('run', 0, 1);
      expect(fetchMock.mock.calls.length).toBe(calls + 1);
      expect(cache.numbers).toBeLessThanOrEqual(5000);
      // A batch larger than the whole budget is still kept: it is the one on screen.
      const small = new BatchCache(300, 500);
      await small.get('run', 7, 1);
      expect(small.has('run', 7, 1)).toBe(true);
      cache.forget('run');
      expect(cache.numbers).toBe(0);
      expect(cache.map.size).toBe(0);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('a live run is not "indexing" while it grows', () => {
  it('says indexing while it reads the records that were there, not while it reads what a live run appends', async () => {
    const dir = path.join(viewer.fx.logdir, 'growing');
    mkdirSync(dir);
    copyFileSync(path.join(viewer.fx.logdir, 'rnn-json', 'run.json'), path.join(dir, 'run.json'));
    const lines = readFileSync(path.join(viewer.fx.logdir, 'rnn-json', 'records.jsonl'), 'utf8').trimEnd().split('\n');
    const records = path.join(dir, 'records.jsonl');
    writeFileSync(records, lines.slice(0, 2).join('\n') + '\n');
    const root = await SafeRoot.open(viewer.fx.logdir);
    const source = new JsonRunSource('growing', path.join(root.real, 'growing'), root);
    expect(describeRun(source).indexing).toBe(true);
    await source.refresh(0);
    expect(describeRun(source).indexing).toBe(false);
    appendFileSync(records, lines.slice(2, 4).join('\n') + '\n');
    const scan = source.refresh(0);
    // A scan of appended records is running, and the page still sees a live run, not a loading one.
    expect(source.scanning).toBe(true);
    expect(describeRun(source).indexing).toBe(false);
    await scan;
    expect(source.index!.count).toBe(4);
  });
});
