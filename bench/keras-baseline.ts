import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../src/core/package-root.js';
import { type BenchRow, formatRate } from './table.js';

/** What bench/keras_baseline.py reported, or why it did not run. */
export type KerasResult =
  | { readonly ran: true; readonly version: string; readonly jit: boolean; readonly rates: Record<string, number> }
  | { readonly ran: false; readonly reason: string };

/** Where the bench looks for a Python with tensorflow-cpu: the venv docs/performance.md describes, then python3. */
function kerasPython(root: string): string {
  const venv = join(root, '.venv', 'keras', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

/**
 * Runs bench/keras_baseline.py (a Keras SimpleRNN/LSTM/GRU char model, B = 1 and B = 32) with
 * the interpreter of `.venv/keras` when it exists, else python3. Reports why when TensorFlow
 * is not installed.
 */
export function runKerasBaseline(runs: number, seconds: number): KerasResult {
  const root = packageRoot();
  const script = join(root, 'bench', 'keras_baseline.py');
  const python = kerasPython(root);
  const res = spawnSync(python, [script, '--runs', String(runs), '--seconds', String(seconds)], { encoding: 'utf8', timeout: 20 * 60_000 });
  if (res.error) return { ran: false, reason: `${python} not available (${res.error.message})` };
  if (res.status !== 0) {
    const why = /No module named .(tensorflow|keras)/.test(res.stderr)
      ? 'tensorflow is not installed (python3 -m venv .venv/keras && .venv/keras/bin/pip install tensorflow-cpu)'
      : res.stderr.trim().split('\n').pop();
    return { ran: false, reason: `Keras baseline did not run: ${why}` };
  }
  const out = JSON.parse(res.stdout) as { tensorflow: string; jit_compile: boolean; variants: Record<string, { chars_per_sec: number }> };
  return {
    ran: true,
    version: out.tensorflow,
    jit: out.jit_compile,
    rates: Object.fromEntries(Object.entries(out.variants).map(([k, v]) => [k, v.chars_per_sec])),
  };
}

/** Table rows for the Keras figures, each beside rnnbow's figure for the same cell and B (`ours` keyed `cell:B`). */
export function kerasRows(r: KerasResult, ours: ReadonlyMap<string, number>): BenchRow[] {
  if (!r.ran) return [{ measure: 'Keras baseline (bench/keras_baseline.py)', engine: '-', value: 'not run', compare: r.reason }];
  return Object.entries(r.rates).map(([key, rate]) => {
    const [cell, B] = key.split(':');
    const mine = ours.get(key);
    return {
      measure: `Keras ${cell} B=${B} (tf.function${r.jit ? ', XLA' : ''})`,
      engine: `tensorflow ${r.version}`,
      value: `${formatRate(rate)} chars/s`,
      compare: mine ? `rnnbow ${(mine / rate).toFixed(2)}x` : '',
    };
  });
}
