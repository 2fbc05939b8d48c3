import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BACKENDS, type BackendName } from './backend.js';
import { ENGINE_PREFERENCES, REDUCTIONS, type EnginePreference, type Reduction } from './engine.js';
import { ConfigError } from './errors.js';

const PartSpec = z.object({ name: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() }).strict();

/**
 * A part by name with its options, as configs write recorders and exporters.
 *
 * @category Training
 */
export interface PartConfig {
  /** Registered name. */
  name: string;
  /** The part's own options. */
  options?: Record<string, unknown>;
}

/** The registered name of a part as a config gives it: a bare name or a {@link PartConfig}. */
export function partName(part: string | PartConfig): string {
  return typeof part === 'string' ? part : part.name;
}

/** How often the default recorder itemizes a batch (the paper: every 100 batches). */
export const DEFAULT_RECORD_EVERY = 100;

/**
 * The default recorder, as in the paper: truncated k = 5, every 100 batches
 * ({@link periodicRecorder} wrapping {@link truncatedRecorder}).
 *
 * @category Training
 */
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
        const names = list.map(partName);
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
    checkpointEvery: z.number().int().min(0).optional(),
    checkpointSeconds: z.number().min(0).optional(),
    plugins: z.array(z.string().min(1)).default([]),
    resume: z.string().min(1).optional(),
    onNonFinite: z.enum(['stop', 'continue']).default('stop'),
  })
  .strict();

/**
 * A fully resolved run configuration (every default filled in). docs/configuration.md describes
 * each field with its flag and default.
 *
 * @category Training
 */
export interface RunConfig {
  /** Training text: `paths` (files/directories; empty = the bundled default), `maxChars`, `validationFraction`. */
  corpus: CorpusConfig;
  /** Cell name (`rnn`, `lstm`, `gru` or a plugin's, which needs `plugins`); default `rnn`. */
  cell: string;
  /** Hidden size H, 1..16384; default 100. */
  hiddenSize: number;
  /** Characters per sequence n (the steps backpropagated through and itemized); default 25. */
  seqLength: number;
  /** Sequences per minibatch B (parallel streams through the text); default 1. */
  batchSize: number;
  /** Optimizer; default `adagrad` (as min-char-rnn). */
  optimizer: 'adagrad' | 'adam';
  /** Learning rate; default depends on the optimizer (see {@link learningRate}). */
  lr?: number;
  /** Maximum global L2 norm of a batch's gradient (larger ones are scaled down); default 5. */
  clip: number;
  /**
   * Batches to train. With none of `steps`, `epochs` and `maxSeconds` a run trains one epoch;
   * `steps` wins over `epochs`, and `maxSeconds` stops either early.
   */
  steps?: number;
  /** Passes over the training text (fractions allowed), when `steps` is not given. */
  epochs?: number;
  /** Training time budget in seconds; alone, the run trains until it is spent. */
  maxSeconds?: number;
  /** Which batches are itemized and how; default {@link DEFAULT_RECORDER}. */
  recorder: PartConfig;
  /** Magnitude reduction of each itemized gradient; default `l2`. */
  reduction: Reduction;
  /** Which sequence of a minibatch is itemized, 0..batchSize-1; default 0. */
  recordSequence: number;
  /** Exporters by name or `{name, options}`, at least one, each once; default `['json', 'tensorboard']`. */
  exporters: (string | PartConfig)[];
  /** Parent folder of run folders; default `runs`. */
  logdir: string;
  /** Run folder name (letters, digits, `.`, `_`, `-`); default timestamp and cell. */
  runName?: string;
  /** Random seed of initialisation and sampling; default 42. */
  seed: number;
  /** tfjs backend of the reference engine; default `auto`. */
  backend: BackendName;
  /** Compute engine preference; default `auto`. */
  engine: EnginePreference;
  /** Training scalars every N batches; default 10. */
  logEvery: number;
  /** Text sample every N batches (0 = never); default 1000. */
  sampleEvery: number;
  /** Characters per sample; default 200. */
  sampleLength: number;
  /** Validation loss every N batches (0 = never); default 500. */
  validateEvery: number;
  /** Validation batches per measurement (at most); default 20. */
  validationBatches: number;
  /**
   * Checkpoint every N batches instead of every {@link RunConfig.checkpointSeconds} (0 = only at
   * the end); absent by default. A checkpoint is a JSON copy of every parameter and optimizer
   * moment (1.2 MB for the default vanilla model, 3.5 MB for the H = 100 LSTM), and the fused engine trains thousands of
   * batches a second: a batch count that suits one model writes another's every second or two.
   */
  checkpointEvery?: number;
  /**
   * Seconds of training between two periodic checkpoints (0 = only at the end); when neither
   * this nor {@link RunConfig.checkpointEvery} is given, 60 (`DEFAULT_CHECKPOINT_SECONDS`), so a
   * crash loses at most a minute. Giving both is an error. Left absent when not given, so that a
   * resolved config can be given a `checkpointEvery` and parsed again.
   */
  checkpointSeconds?: number;
  /** Plugins to load (paths or package names, see {@link resolvePlugin}); default none. */
  plugins: string[];
  /** Checkpoint to continue from; the model (cell, hidden size, vocabulary) comes from it. */
  resume?: string;
  /**
   * What a NaN/Inf loss does: `stop` (default) throws a {@link NonFiniteLossError} after flushing;
   * `continue` skips that batch's update and resets the state.
   */
  onNonFinite: 'stop' | 'continue';
}

/**
 * The corpus section of a {@link RunConfig}.
 *
 * @category Training
 */
export interface CorpusConfig {
  /** UTF-8 files or directories; empty for the bundled default corpus. */
  paths: string[];
  /** Read at most this many characters (default: all, or {@link DEFAULT_CORPUS_MAX_CHARS} of the default corpus). */
  maxChars?: number;
  /** Tail fraction held out for validation, 0..0.5; default 0.1. */
  validationFraction: number;
}

/**
 * What a user may write: every field optional (defaults fill the rest).
 *
 * @category Training
 */
export interface RunConfigInput extends Partial<Omit<RunConfig, 'corpus'>> {
  /** Training text; any field may be left out. */
  corpus?: Partial<CorpusConfig>;
}

/**
 * One problem found in a config: which field, and what is wrong with it.
 *
 * @category Training
 */
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
 *
 * @category Errors
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

/** Seconds between periodic checkpoints when a config sets no pace ({@link RunConfig.checkpointSeconds}). */
export const DEFAULT_CHECKPOINT_SECONDS = 60;

/**
 * Validates a config object, filling defaults; throws a {@link ConfigError} naming every problem
 * (a {@link ConfigValidationError}, whose `issues` list them one by one). Unknown fields are
 * problems too, so a typo is never silently ignored. `source` names the input in the message.
 *
 * @throws {@link ConfigValidationError} listing every problem.
 *
 * @category Training
 */
export function parseConfig(input: unknown, source = 'config'): RunConfig {
  const result = RunConfigSchema.safeParse(input ?? {});
  if (result.success) {
    const config = result.data as unknown as RunConfig;
    if (config.recordSequence >= config.batchSize) {
      throw new ConfigValidationError(source, [{ field: 'recordSequence', problem: `must be < batchSize (${config.batchSize}), got ${config.recordSequence}` }]);
    }
    if (config.checkpointEvery !== undefined && config.checkpointSeconds !== undefined) {
      // Two paces for one file: say which one to keep rather than pick one.
      throw new ConfigValidationError(source, [
        { field: 'checkpointSeconds', problem: 'must not be given with checkpointEvery (--checkpoint-every): checkpoints go by seconds or by batches; give one' },
      ]);
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

/**
 * Reads and validates a JSON config file (see {@link parseConfig}). Relative paths in it
 * (corpus, logdir, plugins, resume) are used as they are, so they resolve from the working
 * directory, not from the file's folder.
 *
 * @throws {@link ConfigError} when the file cannot be read or is not a JSON object, and
 * {@link ConfigValidationError} (naming the file) for invalid fields.
 *
 * @category Training
 */
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

/**
 * The learning rate a config implies (Adagrad 0.1 as in min-char-rnn, Adam 0.002).
 *
 * @category Training
 */
export function learningRate(config: RunConfig): number {
  return config.lr ?? (config.optimizer === 'adagrad' ? 0.1 : 0.002);
}
