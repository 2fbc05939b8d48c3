import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BACKENDS } from './backend.js';
import { REDUCTIONS } from './engine.js';
import { ConfigError } from './errors.js';

const PartSpec = z.object({ name: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() }).strict();

/** The default recorder, as in the paper: truncated k = 5, every 100 batches. */
export const DEFAULT_RECORDER = { name: 'periodic', options: { every: 100, inner: { name: 'truncated', options: { k: 5 } } } };

/** Zod schema of a run configuration; `RunConfig` is its parsed type. */
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
    checkpointEvery: z.number().int().min(0).default(1000),
    plugins: z.array(z.string().min(1)).default([]),
    resume: z.string().min(1).optional(),
    onNonFinite: z.enum(['stop', 'continue']).default('stop'),
  })
  .strict();

/** A fully resolved run configuration (every default filled in). */
export type RunConfig = z.output<typeof RunConfigSchema>;

/** What a user may write: every field optional. */
export type RunConfigInput = z.input<typeof RunConfigSchema>;

/** Validates a config object, filling defaults; throws a {@link ConfigError} listing every problem. */
export function parseConfig(input: unknown, source = 'config'): RunConfig {
  const result = RunConfigSchema.safeParse(input ?? {});
  if (result.success) {
    const config = result.data as RunConfig;
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
