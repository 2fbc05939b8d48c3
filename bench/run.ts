/**
 * `npm run bench`: throughput of rnnbow's engines beside a numpy baseline, on this machine.
 * Every figure is the median of several runs of an engine-level training loop (engine.train,
 * then the project's Adagrad) at the paper's setting: H = 100, n = 25, V = 100.
 *
 *   node dist/bench/run.js [--quick] [--runs N] [--seconds S] [--skip machine,numpy,keras,tfjs,memory,itemized,trainer,tensorboard,viewer] [--help]
 *
 * Each measurement lives in its own module; this file composes them and prints the table.
 */
import { Command, InvalidArgumentError } from 'commander';
import { benchItemizedTraining } from './itemized-training.js';
import { kerasRows, runKerasBaseline } from './keras-baseline.js';
import { describeMachine, loadLine, machineLines } from './machine.js';
import { machineRows, probeMachine } from './machine-probe.js';
import { benchMemory, benchTrainerMemory } from './memory-run.js';
import { numpyRows, runNumpyBaseline } from './numpy-baseline.js';
import { benchPlainTraining, type TrainingBenchOptions } from './plain-training.js';
import { type BenchRow, formatRate, renderTable } from './table.js';
import { benchTfjsReference } from './tfjs-reference.js';
import { benchTrainerRuns } from './trainer-run.js';

/** Sections `--skip` can leave out (plain training always runs: every ratio needs it). */
const SECTIONS = ['machine', 'itemized', 'trainer', 'tfjs', 'numpy', 'keras', 'memory', 'tensorboard', 'viewer'] as const;

interface Args {
  quick: boolean;
  runs: number;
  seconds: number;
  skip: Set<string>;
}

function positive(kind: 'integer' | 'number') {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !(n > 0) || (kind === 'integer' && !Number.isInteger(n))) {
      throw new InvalidArgumentError(`expected a positive ${kind}`);
    }
    return n;
  };
}

function sectionList(value: string): Set<string> {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length) throw new InvalidArgumentError(`unknown section ${unknown.map((n) => `"${n}"`).join(', ')}; choose from ${SECTIONS.join(', ')}`);
  return new Set(names);
}

/** The command line, with `--help` and clear errors for unknown flags or bad values (a typo used to run the whole 11-minute bench). */
function parseArgs(argv: string[]): Args {
  const opts = new Command('bench')
    .description('throughput of rnnbow beside numpy and Keras baselines, on this machine')
    .option('--quick', 'fewer and shorter runs (a smoke test, not figures to quote)')
    .option('--runs <n>', 'runs per figure, of which the median is shown (default 5, --quick 3)', positive('integer'))
    .option('--seconds <s>', 'length of each run (default 1, --quick 0.3)', positive('number'))
    .option('--skip <sections>', `comma-separated sections to leave out: ${SECTIONS.join(', ')}`, sectionList)
    .parse(argv, { from: 'user' })
    .opts<{ quick?: boolean; runs?: number; seconds?: number; skip?: Set<string> }>();
  return { quick: opts.quick === true, runs: opts.runs ?? (opts.quick ? 3 : 5), seconds: opts.seconds ?? (opts.quick ? 0.3 : 1), skip: opts.skip ?? new Set() };
}

/** The part of bench/viewer-load.ts's result the table shows. */
interface ViewerLoadSummary {
  records: number;
  indexSeconds: number;
  serverRssMB: number;
  serverHeapMB: number;
  overviewFull: { requestsPerSec: number; p99Ms: number; failures: number };
  overviewZoom: { requestsPerSec: number; p99Ms: number; failures: number };
  batch: { requestsPerSec: number; p99Ms: number; failures: number };
  batchSeries: { requestsPerSec: number; p99Ms: number; failures: number };
  runsSummary: { requestsPerSec: number; p99Ms: number; failures: number };
}

/** Optional sections other modules add (imported by name so a missing file is not an error). */
async function optionalSection(file: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(file)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const machine = await describeMachine();
  for (const line of machineLines(machine)) console.log(line);
  const o: TrainingBenchOptions = { dims: { inputSize: 100, hiddenSize: 100 }, n: 25, runs: args.runs, seconds: args.seconds };
  console.log(`settings: H=${o.dims.hiddenSize}, n=${o.n}, V=${o.dims.inputSize}, Adagrad; median of ${o.runs} runs of ~${o.seconds}s each\n`);

  const rows: BenchRow[] = [];
  if (!args.skip.has('machine')) rows.push(...machineRows(await probeMachine(args.quick ? 0.3 : 1)));
  const plain = benchPlainTraining(o);
  rows.push(...plain.rows);
  const plainB1 = plain.rates.get('rnn:1')!;

  let fullB1 = NaN;
  if (!args.skip.has('itemized')) {
    const itemized = benchItemizedTraining(o);
    rows.push(...itemized);
    const full = itemized.find((r) => r.measure.startsWith('train rnn B=1 + full'));
    fullB1 = full ? Number(full.value.replace(/[^0-9.]/g, '')) : NaN;
  }
  if (!args.skip.has('trainer')) rows.push(...(await benchTrainerRuns(args.seconds, Math.min(args.runs, 3), plain.rates)));
  if (!args.skip.has('tfjs')) rows.push(...benchTfjsReference(o, plainB1));
  if (!args.skip.has('numpy')) rows.push(...numpyRows(runNumpyBaseline(args.runs, args.quick ? 15_000 : 50_000), { plainB1, fullB1 }));
  if (!args.skip.has('keras')) rows.push(...kerasRows(runKerasBaseline(args.runs, args.seconds), plain.rates));
  if (!args.skip.has('memory')) {
    const chars = args.quick ? 200_000 : 1_000_000;
    rows.push(...benchMemory(o.dims, o.n, chars), ...benchTrainerMemory(chars));
  }

  if (!args.skip.has('tensorboard')) {
    const tb = await optionalSection('./tensorboard-write.js');
    const fn = tb?.benchTensorboardWrite as ((opts?: Record<string, unknown>) => Promise<{ recordsPerSec: number; mbPerSec: number }>) | undefined;
    if (fn) {
      const r = await fn(args.quick ? { records: 300 } : {});
      rows.push({ measure: 'TensorBoard exporter, full-itemization records', engine: 'tensorboard', value: `${formatRate(r.recordsPerSec)} records/s`, compare: `${r.mbPerSec.toFixed(1)} MB/s` });
    }
  }

  if (!args.skip.has('viewer')) {
    const viewer = await optionalSection('./viewer-load.js');
    const fn = viewer?.benchViewerLoad as ((opts?: Record<string, unknown>) => Promise<ViewerLoadSummary>) | undefined;
    if (fn) {
      const r = await fn(args.quick ? { records: 20_000, seconds: 2 } : {});
      const load = (name: string, e: ViewerLoadSummary['batch']) =>
        rows.push({ measure: `viewer ${name}, ${formatRate(r.records)} recorded batches`, engine: 'express', value: `${formatRate(e.requestsPerSec)} req/s`, compare: `p99 ${e.p99Ms} ms, ${e.failures} failures` });
      load('GET /api/overview (whole run)', r.overviewFull);
      load('GET /api/overview (zoom windows)', r.overviewZoom);
      load('GET /api/batch', r.batch);
      load('GET /api/batch?series= (one series)', r.batchSeries);
      load('GET /api/runs/summary (the page\'s poll)', r.runsSummary);
      rows.push({ measure: 'viewer server memory after the load', engine: 'express', value: `${r.serverRssMB} MB RSS`, compare: `${r.serverHeapMB} MB heap, indexed in ${r.indexSeconds.toFixed(1)} s` });
    }
  }

  console.log(renderTable('rnnbow benchmark', rows));
  console.log(loadLine('at end'));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
