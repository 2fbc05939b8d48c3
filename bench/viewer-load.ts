import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { BatchRecord } from '../src/core/record.js';
import { syntheticRunInfo } from './synthetic-run.js';

/** Options of {@link benchViewerLoad}. */
export interface ViewerLoadOptions {
  /** Recorded batches in the synthetic run (default 100,000). */
  records?: number;
  /** Seconds of load per endpoint (default 5). */
  seconds?: number;
  /** Concurrent connections (default 10). */
  connections?: number;
}

/** Throughput and tail latency of one endpoint under load. */
export interface EndpointLoad {
  /** Mean requests answered per second. */
  requestsPerSec: number;
  /** 99th percentile latency, ms. */
  p99Ms: number;
  /** Mean latency, ms. */
  meanMs: number;
  /** Requests answered. */
  requests: number;
  /** Answers that were not 2xx, plus connection errors (should be 0). */
  failures: number;
}

/** What {@link benchViewerLoad} measures. */
export interface ViewerLoadResult {
  /** Records in the logdir. */
  records: number;
  /** Size of records.jsonl, MB. */
  fileMB: number;
  /** Seconds the server took to index the run on first request. */
  indexSeconds: number;
  /** `/api/overview` of the whole run at 1000 columns (the page's first view; cached after one request). */
  overviewFull: EndpointLoad;
  /** `/api/overview` of random zoom windows (mostly computed afresh). */
  overviewZoom: EndpointLoad;
  /** `/api/batch` of random batches (one line read from disk each). */
  batch: EndpointLoad;
  /** `/api/batch?series=weight_hh` of random batches: what the page asks (the line is parsed and filtered). */
  batchSeries: EndpointLoad;
  /** `/api/runs/summary`, the run list the page polls every 2 s (the run brought up to date each time). */
  runsSummary: EndpointLoad;
  /** Bytes of the run's entry in `/api/runs` (full description, 64-character vocabulary) and in `/api/runs/summary`. */
  runEntryBytes: { full: number; summary: number };
  /** Server resident set size after the load, MB. */
  serverRssMB: number;
  /** Server JS heap used after the load (after a GC), MB. */
  serverHeapMB: number;
}

const N = 25;
const K = 5;
const VOCAB = Array.from({ length: 64 }, (_, i) => String.fromCharCode(i === 0 ? 10 : 31 + i));

/** Distinct synthetic gradient patterns; batches cycle through them in a scrambled order. */
const TEMPLATES = 1000;

/**
 * The batch-independent part of a valid record of the paper's shape (n = 25, truncated k = 5, with
 * residual), as JSON text after the opening brace. Turning numbers into text is the slow part of
 * writing 100,000 records, so each pattern is serialised once.
 */
function recordTail(pattern: number): string {
  let seed = (pattern * 2654435761) >>> 0 || 1;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  // Four decimals keep lines short (about 1.9 kB, like a real record of this shape).
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const scale = 0.5 + 2 * rand() + (pattern % 97 === 0 ? 40 : 0);
  const byDistance = Array.from({ length: N }, (_, t) => Array.from({ length: Math.min(t, K) + 1 }, (_, d) => round(scale * Math.exp(-d * (0.3 + rand())) * (0.5 + rand()))));
  const bars = new Array<number>(N).fill(0);
  byDistance.forEach((row, t) => row.forEach((v, d) => (bars[t - d] += v)));
  const tokens = () => Array.from({ length: N }, () => Math.floor(rand() * VOCAB.length));
  const targets = tokens();
  const tail: Pick<BatchRecord, 'inputs' | 'targets' | 'predictions' | 'losses' | 'primary' | 'maxGradient' | 'params'> = {
    inputs: tokens(),
    targets,
    predictions: targets.map((t) => (rand() < 0.4 ? t : Math.floor(rand() * VOCAB.length))),
    losses: Array.from({ length: N }, () => round(4 * rand())),
    primary: 'weight_hh',
    maxGradient: Math.max(...bars),
    params: { weight_hh: { byDistance, residual: Array.from({ length: N }, () => round(0.05 * rand())) } },
  };
  return JSON.stringify(tail).slice(1);
}

/** One line of records.jsonl for `batch`: the batch's own fields, then a pattern's gradients. */
function recordLine(batch: number, tails: readonly string[]): string {
  const head = `{"schema":"rnnbow-batch","version":1,"runId":"bench","batch":${batch},"wallTime":${1_700_000_000 + batch / 10},"cell":"rnn","n":${N},"k":${K},"reduction":"l2","sequence":0,"corpusOffset":${batch * N},`;
  return head + tails[(batch * 7919) % tails.length];
}

/** Writes a logdir with one run `bench` of `count` synthetic records (JSON export layout); returns records.jsonl's path. */
export async function writeSyntheticLogdir(logdir: string, count: number): Promise<string> {
  const dir = path.join(logdir, 'bench');
  mkdirSync(dir, { recursive: true });
  const run = syntheticRunInfo({ seqLength: N, vocab: VOCAB, corpus: { source: 'synthetic', chars: count * N, files: 1 }, recorder: `truncated(k=${K})`, engine: 'synthetic' });
  writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ schema: 'rnnbow-run', version: 1, ...run }) + '\n');
  const file = path.join(dir, 'records.jsonl');
  const tails = Array.from({ length: TEMPLATES }, (_, i) => recordTail(i));
  const out = createWriteStream(file);
  for (let start = 0; start < count; start += 1000) {
    const lines: string[] = [];
    for (let b = start; b < Math.min(count, start + 1000); b++) lines.push(recordLine(b, tails));
    if (!out.write(lines.join('\n') + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ batches: count, finalLoss: 1, records: count, status: 'completed' }) + '\n');
  return file;
}

function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (key in m) {
        child.off('message', on);
        resolve(m[key] as T);
      }
    };
    child.on('message', on);
    if (message) child.send(message);
  });
}

async function load(url: string, seconds: number, connections: number, makePath: () => string): Promise<EndpointLoad> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: makePath() }) }],
  });
  return {
    requestsPerSec: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    meanMs: Math.round(result.latency.mean * 100) / 100,
    requests: result.requests.total,
    failures: result.non2xx + result.errors,
  };
}

/**
 * Load on the viewer's API: a logdir of 100,000 synthetic-but-valid recorded batches (written as
 * JSON Lines directly), the server in a child process on 127.0.0.1, then autocannon against the
 * overview (whole run; random zoom windows), batch (whole; one series) and run-summary endpoints for
 * a few seconds each. Reports requests/s, p99 latency, the bytes of a run's entry in the full and
 * the summary run list, the time to index the run and the server's memory afterwards.
 * Bounded: about 5 × `seconds` plus the time to write and index the file (~40 s in all by default).
 */
export async function benchViewerLoad(options: ViewerLoadOptions = {}): Promise<ViewerLoadResult> {
  const count = options.records ?? 100_000;
  const seconds = options.seconds ?? 5;
  const connections = options.connections ?? 10;
  const logdir = mkdtempSync(path.join(tmpdir(), 'rnnbow-viewer-bench-'));
  const child = fork(fileURLToPath(new URL('./viewer-server-child.js', import.meta.url)), [logdir], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const file = await writeSyntheticLogdir(logdir, count);
    const url = await ask<string>(child, '', 'url');
    // The first request starts indexing; answers cover what is indexed so far until it is done.
    const started = performance.now();
    let indexed = 0;
    while (indexed < count) {
      if (performance.now() - started > 300_000) throw new Error(`the server indexed only ${indexed} of ${count} records in 5 minutes`);
      const runs = (await (await fetch(`${url}api/runs/summary`)).json()) as { runs: { id: string; records: number; indexing: boolean }[] };
      const run = runs.runs.find((r) => r.id === 'bench');
      indexed = run?.records ?? 0;
      if (indexed < count) await new Promise((r) => setTimeout(r, 100));
    }
    const indexSeconds = (performance.now() - started) / 1000;
    const rand = (n: number) => Math.floor(Math.random() * n);
    const overviewFull = await load(url, seconds, connections, () => '/api/overview?run=bench&bins=1000');
    const overviewZoom = await load(url, seconds, connections, () => {
      const width = 100 + rand(count / 2);
      const from = rand(count - width);
      return `/api/overview?run=bench&bins=800&from=${from}&to=${from + width}`;
    });
    const batch = await load(url, seconds, connections, () => `/api/batch?run=bench&batch=${rand(count)}`);
    const batchSeries = await load(url, seconds, connections, () => `/api/batch?run=bench&batch=${rand(count)}&series=weight_hh`);
    const runsSummary = await load(url, seconds, connections, () => '/api/runs/summary');
    const entryBytes = async (endpoint: string) => {
      const body = (await (await fetch(`${url}api/${endpoint}`)).json()) as { runs: unknown[] };
      return Buffer.byteLength(JSON.stringify(body.runs[0]));
    };
    const runEntryBytes = { full: await entryBytes('runs'), summary: await entryBytes('runs/summary') };
    const memory = await ask<NodeJS.MemoryUsage>(child, 'memory', 'memory');
    return {
      records: count,
      fileMB: Math.round(statSync(file).size / 1e5) / 10,
      indexSeconds: Math.round(indexSeconds * 100) / 100,
      overviewFull,
      overviewZoom,
      batch,
      batchSeries,
      runsSummary,
      runEntryBytes,
      serverRssMB: Math.round(memory.rss / 1e5) / 10,
      serverHeapMB: Math.round(memory.heapUsed / 1e5) / 10,
    };
  } finally {
    child.send('stop');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve();
      }, 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    rmSync(logdir, { recursive: true, force: true });
  }
}

// `node dist/bench/viewer-load.js` runs it alone.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  benchViewerLoad().then((r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'));
}
