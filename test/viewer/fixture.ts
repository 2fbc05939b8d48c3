/**
 * A logdir made by real (short) training runs, for the viewer's API and browser tests:
 *
 * - `rnn-json`: vanilla RNN, JSON export, truncated k = 4 every 2nd batch (with residuals);
 * - `lstm-both`: LSTM, JSON + TensorBoard export, full itemization every batch (gates i/f/g/o);
 * - `gru-tb`: GRU, TensorBoard export only (read through the event-file reader);
 * - `broken`: a copy of `rnn-json` with damaged lines and a half-written last line;
 * - `exploded`: a copy of `rnn-json` whose 4th record has NaN and infinite gradients and losses;
 * - `sneaky`: a run whose records.jsonl is a symbolic link to a file outside the logdir;
 * - `escape`: a symbolic link to a run folder outside the logdir (must never be listed).
 */
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll } from 'vitest';
import path from 'node:path';
import { createRegistry } from '../../src/builtins.js';
import type { RunConfigInput } from '../../src/core/config.js';
import { definePlugin } from '../../src/core/plugin.js';
import type { BatchRecord, RunInfo } from '../../src/core/record.js';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { tensorboardExporter } from '../../src/exporters/tensorboard/index.js';
import { train } from '../../src/train/trainer.js';
import { startViewer, type ViewerServer } from '../../src/viewer/index.js';

/** A marker only the files outside the logdir hold: it must never appear in a response. */
export const OUTSIDE_SECRET = 'OUTSIDE-THE-LOGDIR-7f3a9c';

/** The fixture's folders. */
export interface ViewerFixture {
  /** The logdir. */
  logdir: string;
  /** A folder next to the logdir (outside it) holding files the viewer must not read. */
  outside: string;
  /** Removes both. */
  cleanup(): void;
}

const BASE: RunConfigInput = {
  corpus: { maxChars: 20_000 },
  batchSize: 1,
  sampleEvery: 0,
  validateEvery: 0,
  checkpointEvery: 0,
  logEvery: 5,
  seed: 7,
};

/** Trains the fixture runs into a fresh temporary logdir. */
export async function makeViewerFixture(): Promise<ViewerFixture> {
  const root = mkdtempSync(path.join(tmpdir(), 'rnnbow-viewer-'));
  const logdir = path.join(root, 'logdir');
  const outside = path.join(root, 'outside');
  mkdirSync(logdir);
  mkdirSync(outside);
  const registry = await createRegistry();
  if (!registry.names('exporter').includes('tensorboard')) registry.register(definePlugin({ name: 'viewer-test-tensorboard', exporters: [tensorboardExporter] }));
  const run = (config: RunConfigInput) => train({ ...BASE, logdir, ...config }, { registry });
  await run({
    runName: 'rnn-json',
    cell: 'rnn',
    hiddenSize: 6,
    seqLength: 12,
    steps: 30,
    recorder: { name: 'periodic', options: { every: 2, inner: { name: 'truncated', options: { k: 4 } } } },
    exporters: ['json'],
  });
  await run({ runName: 'lstm-both', cell: 'lstm', hiddenSize: 4, seqLength: 10, steps: 12, recorder: { name: 'full' }, exporters: ['json', 'tensorboard'] });
  await run({ runName: 'gru-tb', cell: 'gru', hiddenSize: 4, seqLength: 10, steps: 10, recorder: { name: 'truncated', options: { k: 3 } }, exporters: ['tensorboard'] });

  // A damaged copy of rnn-json: bad JSON, a JSON line that is no record, and a half-written tail.
  const broken = path.join(logdir, 'broken');
  mkdirSync(broken);
  copyFileSync(path.join(logdir, 'rnn-json', 'run.json'), path.join(broken, 'run.json'));
  const lines = readFileSync(path.join(logdir, 'rnn-json', 'records.jsonl'), 'utf8').trimEnd().split('\n');
  writeFileSync(path.join(broken, 'records.jsonl'), [lines[0], '{"this is": not json', lines[1], '{"hello": "world"}', lines[2]].join('\n') + '\n' + lines[3].slice(0, 40));

  // Exploding gradients: non-finite numbers are written as strings, as the JSON exporter does.
  const exploded = path.join(logdir, 'exploded');
  mkdirSync(exploded);
  copyFileSync(path.join(logdir, 'rnn-json', 'run.json'), path.join(exploded, 'run.json'));
  const bad = JSON.parse(lines[3]);
  bad.params.weight_hh.byDistance[5][1] = 'NaN';
  bad.params.weight_hh.byDistance[6][0] = 'Infinity';
  bad.maxGradient = 'NaN';
  bad.losses[5] = 'Infinity';
  writeFileSync(path.join(exploded, 'records.jsonl'), [...lines.slice(0, 3), JSON.stringify(bad), ...lines.slice(4)].join('\n') + '\n');

  // Files outside the logdir, reachable only through symbolic links.
  const outsideRun = path.join(outside, 'run');
  mkdirSync(outsideRun);
  const secretInfo = { ...JSON.parse(readFileSync(path.join(logdir, 'rnn-json', 'run.json'), 'utf8')), runId: OUTSIDE_SECRET };
  writeFileSync(path.join(outsideRun, 'run.json'), JSON.stringify(secretInfo) + '\n');
  const secretRecords = lines.map((l) => JSON.stringify({ ...JSON.parse(l), runId: OUTSIDE_SECRET })).join('\n') + '\n';
  writeFileSync(path.join(outsideRun, 'records.jsonl'), secretRecords);
  writeFileSync(path.join(outside, 'secret.txt'), `${OUTSIDE_SECRET}\n`);
  symlinkSync(outsideRun, path.join(logdir, 'escape'));
  const sneaky = path.join(logdir, 'sneaky');
  mkdirSync(sneaky);
  copyFileSync(path.join(logdir, 'rnn-json', 'run.json'), path.join(sneaky, 'run.json'));
  symlinkSync(path.join(outsideRun, 'records.jsonl'), path.join(sneaky, 'records.jsonl'));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(logdir, 'secret-link.txt'));

  return { logdir, outside, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A JSON run of the fixture as the JSON reader reads it (the independent reference). */
/** A viewer over a fresh fixture logdir that rescans on every request, as the API tests want it. */
export interface FixtureViewer {
  /** The fixture. */
  readonly fx: ViewerFixture;
  /** The running viewer. */
  readonly server: ViewerServer;
  /** Its port on 127.0.0.1. */
  readonly port: number;
}

/** Makes the fixture and starts a viewer on it (a free port, no refresh throttling). */
export async function startFixtureViewer(): Promise<FixtureViewer> {
  const fx = await makeViewerFixture();
  const server = await startViewer({ logdir: fx.logdir, port: 0, refresh: { listMs: 0, runMs: 0 } });
  return { fx, server, port: server.port };
}

/** Stops what {@link startFixtureViewer} started and removes the fixture (either may be missing after a failed start). */
export async function stopFixtureViewer(v: Partial<FixtureViewer> | undefined): Promise<void> {
  await v?.server?.close();
  v?.fx?.cleanup();
}

/**
 * {@link startFixtureViewer} before the file's tests and {@link stopFixtureViewer} after them;
 * read the viewer from the returned object inside tests (it is set once the hook has run).
 */
export function useFixtureViewer(): FixtureViewer {
  const live: Partial<{ -readonly [K in keyof FixtureViewer]: FixtureViewer[K] }> = {};
  beforeAll(async () => Object.assign(live, await startFixtureViewer()));
  afterAll(() => stopFixtureViewer(live));
  return live as FixtureViewer;
}

export function readRun(logdir: string, id: string): { run: RunInfo; records: BatchRecord[] } {
  return readJsonRun(path.join(logdir, id));
}

/** Appends text to a file (live-mode tests). */
export function append(file: string, text: string): void {
  appendFileSync(file, text);
}

/**
 * Independent bar heights: bar j = Σ over the recorded (t, d) with t - d = j of |m[t][d]|, by a
 * direct double loop (not the library's barHeights).
 */
export function referenceBars(m: number[][], n: number): number[] {
  const bars: number[] = [];
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = j; t < m.length; t++) {
      const d = t - j;
      if (d < m[t].length) s += Math.abs(m[t][d]);
    }
    bars.push(s);
  }
  return bars;
}

/** Segments per bar j: how many recorded (t, d) land on step j. */
export function referenceSegmentCounts(m: number[][], n: number): number[] {
  const counts = new Array<number>(n).fill(0);
  m.forEach((row, t) => row.forEach((_v, d) => {
    if (t - d >= 0 && t - d < n) counts[t - d]++;
  }));
  return counts;
}
