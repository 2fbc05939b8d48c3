import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchRecord, RunInfo } from '../../../src/core/record.js';
import { SeededRandom } from '../../../src/core/random.js';

/** A fresh temporary folder and its cleanup. */
export function tempDir(prefix = 'rnnbow-tb-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A plausible RunInfo. */
export function sampleRunInfo(overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    runId: 'rnn-test',
    startedAt: '2025-01-02T03:04:05.000Z',
    rnnbowVersion: '0.1.0',
    cell: 'rnn',
    hiddenSize: 16,
    seqLength: 6,
    batchSize: 2,
    vocab: ['a', 'b', ' ', '\n', '|', '\t', '*'],
    corpus: { source: 'test corpus', chars: 1000, files: 1 },
    optimizer: { name: 'adagrad', lr: 0.1, clip: 5 },
    recorder: 'periodic(every=2, truncated(k=3))',
    itemizedParams: [{ name: 'weight_hh' }, { name: 'weight_ih' }],
    engine: 'test',
    config: { seed: 1, nested: { $f64: 3, $weird: [1, 2], list: [0.1, -0] } },
    ...overrides,
  };
}

/**
 * A synthetic record with the shapes a recorder produces: byDistance rows of length
 * min(t, k) + 1, decaying magnitudes, gates for one parameter and a residual.
 */
export function syntheticRecord(batch: number, opts: { n?: number; k?: number | null; seed?: number; vocab?: number; nonFinite?: boolean } = {}): BatchRecord {
  const n = opts.n ?? 6;
  const k = opts.k === undefined ? 3 : opts.k;
  const K = k ?? n - 1;
  const rng = new SeededRandom(opts.seed ?? batch + 1);
  const V = opts.vocab ?? 7;
  const matrix = () =>
    Array.from({ length: n }, (_, t) => Array.from({ length: Math.min(t, K) + 1 }, (_, d) => Math.exp(-d * rng.uniform(0.2, 1.5)) * rng.uniform(0.5, 2)));
  const byDistance = matrix();
  if (opts.nonFinite) {
    byDistance[n - 1][0] = Number.NaN;
    byDistance[n - 2][1] = Number.POSITIVE_INFINITY;
    byDistance[1][0] = Number.NEGATIVE_INFINITY;
    byDistance[0][0] = -0;
  }
  let maxGradient = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = j; t < n && t - j <= K; t++) s += byDistance[t][t - j];
    if (s > maxGradient) maxGradient = s;
  }
  return {
    runId: 'rnn-test',
    batch,
    wallTime: 1_700_000_000 + batch * 0.25,
    cell: 'rnn',
    n,
    k,
    reduction: 'l2',
    sequence: 0,
    corpusOffset: batch * n,
    inputs: Array.from({ length: n }, () => rng.int(V)),
    targets: Array.from({ length: n }, () => rng.int(V)),
    predictions: Array.from({ length: n }, () => rng.int(V)),
    losses: Array.from({ length: n }, () => rng.uniform(0.1, 3)),
    primary: 'weight_hh',
    maxGradient: opts.nonFinite ? Number.NaN : maxGradient,
    params: {
      weight_hh: { byDistance, gates: { i: matrix(), f: matrix() }, residual: Array.from({ length: n }, () => rng.uniform(0, 0.01)) },
      weight_ih: { byDistance: matrix() },
    },
  };
}
