import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../src/core/errors.js';

/** Settings of `npm run experiment:horizons` (docs/experiments.md), after validation. */
export interface HorizonArgs {
  /** Cells to train and compare, in order. */
  cells: string[];
  /** Batches per cell. */
  steps: number;
  /** Hidden size H. */
  hidden: number;
  /** Sequences per batch B. */
  batch: number;
  /** Characters per sequence n. */
  seq: number;
  /** Record every this many batches. */
  every: number;
  /** Random seed. */
  seed: number;
  /** Horizon threshold ε on the normalized profile. */
  epsilon: number;
  /** `adam` or `adagrad`. */
  optimizer: 'adam' | 'adagrad';
  /** Learning rate, or undefined for the optimizer's default. */
  lr?: number;
  /** Parent folder of the experiment's timestamped folder. */
  logdir: string;
  /** Analyse the runs in this folder instead of training. */
  from?: string;
}

const OPTIONS = {
  cells: { type: 'string', default: 'rnn,lstm,gru' },
  steps: { type: 'string', default: '2000' },
  hidden: { type: 'string', default: '128' },
  batch: { type: 'string', default: '16' },
  seq: { type: 'string', default: '25' },
  every: { type: 'string', default: '50' },
  seed: { type: 'string', default: '42' },
  epsilon: { type: 'string', default: '0.05' },
  optimizer: { type: 'string', default: 'adam' },
  lr: { type: 'string' },
  logdir: { type: 'string', default: 'runs/experiments' },
  from: { type: 'string' },
} as const;

const USAGE = `options: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(', ')} (docs/experiments.md)`;

function integer(name: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) throw new ConfigError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(text)}`, USAGE);
  return v;
}

/**
 * Parses and checks the experiment's command line; every mistake is a one-line
 * {@link ConfigError} with a hint, never a stack trace.
 */
export function parseHorizonArgs(argv: string[]): HorizonArgs {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (err) {
    // node:util's messages are one sentence (plus advice on "--"); keep the first line.
    throw new ConfigError(`experiment:horizons: ${(err as Error).message.split('\n')[0]}`, USAGE);
  }
  const cells = values.cells!.split(',').map((c) => c.trim()).filter(Boolean);
  if (cells.length === 0) throw new ConfigError('--cells must name at least one cell, e.g. rnn,lstm,gru', USAGE);
  const optimizer = values.optimizer!;
  if (optimizer !== 'adam' && optimizer !== 'adagrad') throw new ConfigError(`--optimizer must be adam or adagrad, got ${JSON.stringify(optimizer)}`, USAGE);
  const epsilon = Number(values.epsilon);
  if (!(epsilon > 0 && epsilon < 1)) throw new ConfigError(`--epsilon must be a number between 0 and 1, got ${JSON.stringify(values.epsilon)}`, USAGE);
  let lr: number | undefined;
  if (values.lr !== undefined) {
    lr = Number(values.lr);
    if (!(lr > 0) || !Number.isFinite(lr)) throw new ConfigError(`--lr must be a positive number, got ${JSON.stringify(values.lr)}`, USAGE);
  }
  if (values.from !== undefined && !statSync(values.from, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ConfigError(`--from ${values.from} is not a folder`, 'pass the folder an earlier run printed ("runs and horizons.json in runs/experiments/STAMP")');
  }
  return {
    cells,
    steps: integer('steps', values.steps!, 1),
    hidden: integer('hidden', values.hidden!, 1),
    batch: integer('batch', values.batch!, 1),
    seq: integer('seq', values.seq!, 2),
    every: integer('every', values.every!, 1),
    seed: integer('seed', values.seed!, 0),
    epsilon,
    optimizer,
    ...(lr !== undefined ? { lr } : {}),
    logdir: values.logdir!,
    ...(values.from !== undefined ? { from: values.from } : {}),
  };
}
