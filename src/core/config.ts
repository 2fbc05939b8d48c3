import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BACKENDS } from './backend.js';
import { REDUCTIONS } from './engine.js';
import { ConfigError } from './errors.js';

const PartSpec = z.object({ name: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() }).strict();

/** A part by name with its options, as configs write recorders and exporters. */
export interface PartConfig {
  /** Registered name. */
  name: string;
  /** The part's own options. */
  options?: Record<string, unknown>;
}

/** How often the default recorder itemizes a batch (the paper: every 100 batches). */
export const DEFAULT_RECORD_EVERY = 100;

/** The default recorder, as in the paper: truncated k = 5, every 100 batches. */
export const DEFAULT_RECORDER: PartConfig = {
  name: 'periodic',
  options: { every: DEFAULT_RECORD_EVERY, inner: { name: 'truncated', options: { k: 5 } } },
};

/** Zod schema of a run configuration (its output type is {@link RunConfig}). Internal: use {@link parseConfig}. */
export const RunConfigSchema = z
  .object({
    /** Training text: files/directories, or empty for the bundled default corpus. */
    corpus: z
      .object({
        paths: z.array(z.string().min(1)).default([]),
        maxChars: z.number().int().positive().optional(),
        validationFraction: z.number().min(0).max(0.5).default(0.1),
      })
      .strict()
      .default({ paths: [], validationFraction: 0.1 }),
    cell: z.string().min(1).default('rnn'),
    hiddenSize: z.number().int().min(1).default(100),
    seqLength: z.number().int().min(1).default(25),
    batchSize: z.number().int().min(1).default(1),
    optimizer: z.enum(['adagrad', 'adam']).default('adagrad'),
    lr: z.number().positive().optional(),
    clip: z.number().positive().default(5),
    steps: z.number().int().min(1).optional(),
    epochs: z.number().positive().optional(),
    maxSeconds: z.number().positive().optional(),
    recorder: PartSpec.default(DEFAULT_RECORDER),
    reduction: z.enum(REDUCTIONS as [string, ...string[]]).default('l2'),
    recordSequence: z.number().int().min(0).default(0),
    exporters: z.array(z.union([z.string().min(1), PartSpec])).default(['json', 'tensorboard']),
    logdir: z.string().min(1).default('runs'),
    runName: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" and "-" only')
      .refine((s) => s !== '.' && s !== '..', 'must not be "." or ".."')
      .optional(),
    seed: z.number().int().default(42),
    backend: z.enum(BACKENDS as [string, ...string[]]).default('auto'),
    engine: z.enum(['auto', 'fused', 'tfjs']).default('auto'),
    logEvery: z.number().int().min(1).default(10),
    sampleEvery: z.number().int().min(0).default(1000),
    sampleLength: z.number().int().min(1).default(200),
    validateEvery: z.number().int().min(0).default(500),
    validationBatches: z.number().int().min(1).default(20),
    checkpointEvery: z.number().int().min(0).default(10000),
    plugins: z.array(z.string().min(1)).default([]),
    resume: z.string().min(1).optional(),
    onNonFinite: z.enum(['stop', 'continue']).default('stop'),
  })
  .strict();

/**
 * A fully resolved run configuration (every default filled in). docs/configuration.md describes
 * each field with its flag and default.
 */
export interface RunConfig {
  /** Training text: `paths` (files/directories; empty = the bundled default), `maxChars`, `validationFraction`. */
  corpus: CorpusConfig;
  /** Cell name (`rnn`, `lstm`, `gru` or a plugin's). */
  cell: string;
  /** Hidden size H. */
  hiddenSize: number;
  /** Characters per sequence n. */
  seqLength: number;
  /** Sequences per minibatch B. */
  batchSize: number;
  /** Optimizer. */
  optimizer: 'adagrad' | 'adam';
  /** Learning rate; default depends on the optimizer (see {@link learningRate}). */
  lr?: number;
  /** Maximum global gradient norm. */
  clip: number;
  /** Batches to train. */
  steps?: number;
  /** Passes over the training text. */
  epochs?: number;
  /** Training time budget in seconds. */
  maxSeconds?: number;
  /** Which batches are itemized and how. */
  recorder: PartConfig;
  /** Magnitude reduction of each itemized gradient. */
  reduction: string;
  /** Which sequence of a minibatch is itemized. */
  recordSequence: number;
  /** Exporters by name or `{name, options}`. */
  exporters: (string | PartConfig)[];
  /** Parent folder of run folders. */
  logdir: string;
  /** Run folder name; default timestamp and cell. */
  runName?: string;
  /** Random seed. */
  seed: number;
  /** tfjs backend of the reference engine. */
  backend: string;
  /** Compute engine preference. */
  engine: 'auto' | 'fused' | 'tfjs';
  /** Training scalars every N batches. */
  logEvery: number;
  /** Text sample every N batches (0 = never). */
  sampleEvery: number;
  /** Characters per sample. */
  sampleLength: number;
  /** Validation loss every N batches (0 = never). */
  validateEvery: number;
  /** Validation batches per measurement. */
  validationBatches: number;
  /**
   * Checkpoint every N batches (0 = only at the end). The default, 10,000, is a few seconds of
   * the fused engine: a checkpoint is a JSON copy of every parameter and optimizer moment (40 ms
   * for the H = 100 LSTM), so every 1,000 batches cost 3-6% of training.
   */
  checkpointEvery: number;
  /** Plugins to load (paths or package names). */
  plugins: string[];
  /** Checkpoint to continue from. */
  resume?: string;
  /** What a NaN/Inf loss does. */
  onNonFinite: 'stop' | 'continue';
}

/** The corpus section of a {@link RunConfig}. */
export interface CorpusConfig {
  /** UTF-8 files or directories; empty for the bundled default corpus. */
  paths: string[];
  /** Read at most this many characters. */
  maxChars?: number;
  /** Tail fraction held out for validation. */
  validationFraction: number;
}

/** What a user may write: every field optional (defaults fill the rest). */
export interface RunConfigInput extends Partial<Omit<RunConfig, 'corpus'>> {
  /** Training text; any field may be left out. */
  corpus?: Partial<CorpusConfig>;
}

/** Validates a config object, filling defaults; throws a {@link ConfigError} listing every problem. */
export function parseConfig(input: unknown, source = 'config'): RunConfig {
  const result = RunConfigSchema.safeParse(input ?? {});
  if (result.success) {
    const config = result.data as unknown as RunConfig;
    if (config.recordSequence >= config.batchSize) {
      throw new ConfigError(`${source}: recordSequence ${config.recordSequence} must be < batchSize ${config.batchSize}`);
    }
    return config;
  }
  const problems = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
  throw new ConfigError(`${source} is invalid: ${problems.join('; ')}`);
}

/** Reads and validates a JSON config file. */
export function loadConfigFile(file: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 120)}`);
  }
  return parseConfig(json, file);
}

/** The learning rate a config implies (Adagrad 0.1 as in min-char-rnn, Adam 0.002). */
export function learningRate(config: RunConfig): number {
  return config.lr ?? (config.optimizer === 'adagrad' ? 0.1 : 0.002);
}
