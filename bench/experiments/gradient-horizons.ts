/**
 * Trains vanilla RNN, LSTM and GRU on the same corpus with the same budget and compares their
 * gradient horizons from the recorded batches (docs/experiments.md).
 *
 *   npx tsc -p . && node dist/bench/experiments/gradient-horizons.js [--steps 2000] [--hidden 128] [--optimizer adam] ...
 *   node dist/bench/experiments/gradient-horizons.js --from runs/experiments/<stamp>   (analyse only)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatError } from '../../src/core/errors.js';
import type { BatchRecord } from '../../src/core/record.js';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { train } from '../../src/train/trainer.js';
import { parseHorizonArgs, type HorizonArgs } from './horizon-args.js';
import { summarize, type HorizonSummary } from './horizon-stats.js';

const GATES: Record<string, string[]> = { lstm: ['i', 'f', 'g', 'o'], gru: ['r', 'z', 'n'] };
const PROFILE_DISTANCES = [0, 1, 2, 3, 4, 6, 8, 12, 16, 24];

interface CellResult {
  cell: string;
  runDir: string;
  seconds: number | null;
  cellParams: number;
  trainLoss: number;
  valLoss: number | null;
  early: HorizonSummary;
  late: HorizonSummary;
  gates: Record<string, HorizonSummary>;
}

// Parsed before anything runs, so a typo costs no training time.
let values: HorizonArgs;
try {
  values = parseHorizonArgs(process.argv.slice(2));
} catch (err) {
  exitWith(err);
}
const { cells, steps, epsilon } = values;

/** Prints a user's mistake as rnnbow's CLI does (one line and a hint) and exits 1; real bugs keep their stack. */
function exitWith(err: unknown): never {
  process.stderr.write(formatError(err) + '\n');
  process.exit(1);
}

async function runCell(cell: string, logdir: string): Promise<{ runDir: string; seconds: number }> {
  const start = performance.now();
  const result = await train({
    cell,
    hiddenSize: values.hidden,
    seqLength: values.seq,
    batchSize: values.batch,
    steps,
    seed: values.seed,
    optimizer: values.optimizer,
    ...(values.lr !== undefined ? { lr: values.lr } : {}),
    recorder: { name: 'periodic', options: { every: values.every, inner: { name: 'full' } } },
    exporters: ['json'],
    logdir,
    runName: cell,
    validateEvery: Math.max(1, Math.floor(steps / 4)),
    sampleEvery: 0,
    checkpointEvery: 0,
  }, {
    onMessage: (line) => process.stderr.write(`[${cell}] ${line}\n`),
  });
  return { runDir: result.runDir, seconds: (performance.now() - start) / 1000 };
}

function analyse(cell: string, runDir: string, seconds: number | null): CellResult {
  const run = readJsonRun(runDir);
  const total = run.summary?.batches ?? steps;
  const records = run.records;
  const hh = (r: BatchRecord) => r.params.weight_hh?.byDistance;
  const early = records.filter((r) => r.batch < total / 4);
  const late = records.filter((r) => r.batch >= total / 2);
  const checkpoint = JSON.parse(readFileSync(path.join(runDir, 'checkpoint.json'), 'utf8')) as { params: Record<string, number[] | number[][]> };
  const cellParams = Object.entries(checkpoint.params)
    .filter(([name]) => !name.startsWith('out.'))
    .reduce((s, [, v]) => s + (v as unknown[]).flat().length, 0);
  const vals = run.scalars.filter((s) => s.valLoss !== undefined);
  const gates = Object.fromEntries((GATES[cell] ?? []).map((g) => [g, summarize(late, epsilon, (r) => r.params.weight_hh?.gates?.[g])]));
  return {
    cell,
    runDir,
    seconds,
    cellParams,
    trainLoss: run.summary?.finalLoss ?? NaN,
    valLoss: vals.length ? vals[vals.length - 1].valLoss! : null,
    early: summarize(early, epsilon, hh),
    late: summarize(late, epsilon, hh),
    gates,
  };
}

const f = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const p = (x: number) => (x >= 0.001 ? x.toFixed(3) : x.toExponential(1));

function report(results: CellResult[]): string {
  const lines: string[] = [];
  lines.push(`epsilon = ${epsilon}; early = first quarter of training, late = second half; parameter weight_hh`);
  lines.push('');
  lines.push('| cell | cell params | train loss | val loss | horizon early | horizon late | median horizon late | share from d>=1 late | mean distance late | records early/late | seconds |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    lines.push(`| ${r.cell} | ${r.cellParams} | ${f(r.trainLoss)} | ${r.valLoss === null ? 'n/a' : f(r.valLoss)} | ${r.early.horizon} | ${r.late.horizon} | ${r.late.medianHorizon} | ${f(r.late.futureShare)} | ${f(r.late.meanDistance, 2)} | ${r.early.records}/${r.late.records} | ${r.seconds === null ? 'n/a' : f(r.seconds, 0)} |`);
  }
  for (const phase of ['early', 'late'] as const) {
    lines.push('');
    lines.push(`m(d)/m(0), ${phase}:`);
    lines.push('');
    lines.push(`| cell | ${PROFILE_DISTANCES.map((d) => `d=${d}`).join(' | ')} |`);
    lines.push(`|---|${PROFILE_DISTANCES.map(() => '---:').join('|')}|`);
    for (const r of results) lines.push(`| ${r.cell} | ${PROFILE_DISTANCES.map((d) => p(r[phase].profile[d] ?? NaN)).join(' | ')} |`);
  }
  const gated = results.filter((r) => Object.keys(r.gates).length);
  if (gated.length) {
    lines.push('');
    lines.push('weight_hh per gate, late (each gate normalized to its own d=0):');
    lines.push('');
    lines.push(`| cell/gate | horizon | share from d>=1 | ${PROFILE_DISTANCES.slice(1, 7).map((d) => `d=${d}`).join(' | ')} |`);
    lines.push(`|---|---:|---:|${PROFILE_DISTANCES.slice(1, 7).map(() => '---:').join('|')}|`);
    for (const r of gated) {
      for (const [g, s] of Object.entries(r.gates)) {
        lines.push(`| ${r.cell}/${g} | ${s.horizon} | ${f(s.futureShare)} | ${PROFILE_DISTANCES.slice(1, 7).map((d) => p(s.profile[d] ?? NaN)).join(' | ')} |`);
      }
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const results: CellResult[] = [];
  if (values.from) {
    for (const cell of cells) results.push(analyse(cell, path.join(values.from, cell), null));
  } else {
    const logdir = path.join(values.logdir, new Date().toISOString().replace(/[:.]/g, '-'));
    for (const cell of cells) {
      const { runDir, seconds } = await runCell(cell, logdir);
      results.push(analyse(cell, runDir, seconds));
    }
    writeFileSync(path.join(logdir, 'horizons.json'), JSON.stringify({ settings: values, results }, null, 1));
    process.stderr.write(`runs and horizons.json in ${logdir}\n`);
  }
  process.stdout.write(report(results) + '\n');
}

await main().catch(exitWith);
