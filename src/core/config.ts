import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BACKENDS } from './backend.js';
import { ENGINE_PREFERENCES, REDUCTIONS, type EnginePreference } from './engine.js';
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
    // 2^14: a gated cell's 4H x H weight then still has fewer than 2^31 values (the kernels'
    // offsets are 32-bit), and anything larger than WebAssembly's 4 GiB is refused in one line.
    hiddenSize: z.number().int().min(1).max(16384).default(100),
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
    // At least one, each once: a run with no exporter keeps nothing it recorded, and a name given
    // twice would write every record twice.
    exporters: z
      .array(z.union([z.string().min(1), PartSpec]))
      .min(1, 'must name at least one exporter')
      .superRefine((list, ctx) => {
        const names = list.map((e) => (typeof e === 'string' ? e : e.name));
        const twice = [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
        if (twice.length) ctx.addIssue({ code: 'custom', message: `must name each exporter once; ${twice.map((n) => `"${n}"`).join(', ')} given twice` });
      })
      .default(['json', 'tensorboard']),
    logdir: z.string().min(1).default('runs'),
    runName: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'must use letters, digits, ".", "_" and "-" only')
      .refine((s) => s !== '.' && s !== '..', 'must not be "." or ".."')
      .optional(),
    seed: z.number().int().default(42),
    backend: z.enum(BACKENDS as [string, ...string[]]).default('auto'),
    engine: z.enum(ENGINE_PREFERENCES as [EnginePreference, ...EnginePreference[]]).default('auto'),
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
  engine: EnginePreference;
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

/** One problem found in a config: which field, and what is wrong with it. */
export interface ConfigIssue {
  /** Dotted path of the field (`hiddenSize`, `corpus.paths`, `exporters.1`); empty for the whole config. */
  readonly field: string;
  /** What is wrong, worded to follow the field's name: `must be >= 1`, `is not a known field`. */
  readonly problem: string;
}

/**
 * The {@link ConfigError} of {@link parseConfig}: its message lists every problem by config field,
 * and `issues` lists them one by one so that a front end can name them its own way (the CLI names
 * the flag the user typed).
 */
export class ConfigValidationError extends ConfigError {
  /** What was validated: a config file's path, or a word such as `config`. */
  readonly source: string;
  /** Every problem found, in schema order. */
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(`${source}: ${issues.map((issue) => describeIssue(issue)).join('; ')}`);
    this.name = 'ConfigValidationError';
    this.source = source;
    this.issues = issues;
  }
}

/** `hiddenSize must be >= 1`: a field's name, then its problem. */
export function describeIssue(issue: ConfigIssue, name: string = issue.field): string {
  return name ? `${name} ${issue.problem}` : issue.problem;
}

/**
 * Validates a config object, filling defaults; throws a {@link ConfigError} naming every problem
 * (a `ConfigValidationError`, whose `issues` list them one by one).
 */
export function parseConfig(input: unknown, source = 'config'): RunConfig {
  const result = RunConfigSchema.safeParse(input ?? {});
  if (result.success) {
    const config = result.data as unknown as RunConfig;
    if (config.recordSequence >= config.batchSize) {
      throw new ConfigValidationError(source, [{ field: 'recordSequence', problem: `must be < batchSize (${config.batchSize}), got ${config.recordSequence}` }]);
    }
    return config;
  }
  throw new ConfigValidationError(source, result.error.issues.flatMap(issuesOf));
}

/**
 * Zod's issues as {@link ConfigIssue}s in rnnbow's wording, for other schemas that check user
 * input the way the run config is checked (an exporter's options).
 */
export function configIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.flatMap(issuesOf);
}

/** Rewords one zod issue as config issues (an unknown-keys issue becomes one per key). */
function issuesOf(issue: z.core.$ZodIssue): ConfigIssue[] {
  const field = issue.path.map(String).join('.');
  const at = (problem: string): ConfigIssue[] => [{ field, problem }];
  // Our own messages (refinements, the run-name pattern, exporters' minimum) already read "must ...".
  if (issue.message.startsWith('must ')) return at(issue.message);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({ field: field ? `${field}.${key}` : key, problem: 'is not a known field' }));
    case 'too_small':
      if (issue.origin === 'array') return at(`must have at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`);
      if (issue.origin === 'string') return at('must not be empty');
      return at(`must be ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`);
    case 'too_big':
      return at(`must be ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`);
    case 'invalid_type':
      return at(`must be ${article(issue.expected === 'int' ? 'integer' : issue.expected)}`);
    case 'invalid_value':
      return at(`must be one of ${issue.values.map(String).join(', ')}`);
    case 'invalid_union':
      return at('must be a name or {"name": ..., "options": {...}}');
    default:
      return at(`is invalid: ${issue.message}`);
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
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
  // JSON.parse accepts `null`, `[]` or `3`; none of them is a config (null would even mean "all defaults").
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ConfigError(`config file ${file} must hold a JSON object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}`);
  }
  return parseConfig(json, file);
}

/** The learning rate a config implies (Adagrad 0.1 as in min-char-rnn, Adam 0.002). */
export function learningRate(config: RunConfig): number {
  return config.lr ?? (config.optimizer === 'adagrad' ? 0.1 : 0.002);
}
