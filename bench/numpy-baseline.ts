import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/core/package-root.js';
import { type BenchRow, formatRate } from './table.js';

/** What the numpy script reported, or why it did not run. */
export type NumpyResult =
  | { readonly ran: true; readonly version: string; readonly rates: Record<string, number> }
  | { readonly ran: false; readonly reason: string };

const LABELS: Record<string, string> = {
  step: 'numpy, one step at a time (min-char-rnn style)',
  batched: 'numpy, output layer batched over n steps',
  itemized: 'numpy batched + full itemization every batch',
};

/**
 * Runs bench/numpy_baseline.py with python3 when python3 and numpy are present. OpenBLAS
 * core-type overrides are removed for this one command (they slow a current numpy).
 */
export function runNumpyBaseline(runs: number, chars: number): NumpyResult {
  const script = join(packageRoot(), 'bench', 'numpy_baseline.py');
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const res = spawnSync('python3', [script, '--runs', String(runs), '--chars', String(chars)], { env, encoding: 'utf8', timeout: 15 * 60_000 });
  if (res.error) return { ran: false, reason: `python3 not available (${res.error.message})` };
  if (res.status !== 0) {
    const why = /No module named .numpy/.test(res.stderr) ? 'numpy is not installed' : res.stderr.trim().split('\n').pop();
    return { ran: false, reason: `numpy baseline did not run: ${why}` };
  }
  const out = JSON.parse(res.stdout) as { numpy: string; variants: Record<string, { chars_per_sec: number }> };
  return { ran: true, version: out.numpy, rates: Object.fromEntries(Object.entries(out.variants).map(([k, v]) => [k, v.chars_per_sec])) };
}

/** Table rows for the baseline, and our figures as ratios to its best plain variant. */
export function numpyRows(r: NumpyResult, ours: { plainB1: number; fullB1: number }): BenchRow[] {
  if (!r.ran) return [{ measure: 'numpy baseline (bench/numpy_baseline.py)', engine: '-', value: 'not run', compare: r.reason }];
  const rows: BenchRow[] = Object.entries(r.rates).map(([k, v]) => ({
    measure: LABELS[k] ?? `numpy ${k}`,
    engine: `numpy ${r.version}`,
    value: `${formatRate(v)} chars/s`,
  }));
  const best = Math.max(r.rates.step ?? 0, r.rates.batched ?? 0);
  rows.push({ measure: 'ratio: rnnbow plain B=1 / numpy best plain', engine: '', value: `${(ours.plainB1 / best).toFixed(2)}`, compare: 'goal >= 1.0' });
  if (r.rates.itemized) {
    rows.push({ measure: 'ratio: rnnbow full itemization / numpy itemized', engine: '', value: `${(ours.fullB1 / r.rates.itemized).toFixed(2)}` });
  }
  return rows;
}
