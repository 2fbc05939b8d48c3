import type { Command } from 'commander';
import { ConfigValidationError, describeIssue } from '../core/config.js';
import { ConfigError } from '../core/errors.js';

/**
 * For each command that builds a run config from its flags: which flag sets which config field
 * (a field's sub-fields and list items go to the same flag). Validation speaks in config fields;
 * the user typed flags, so errors name the flag first. Keep in step with addTrainOptions and demo.
 */
export const CONFIG_FLAGS: Record<string, Record<string, string>> = {
  train: {
    'corpus.paths': '--corpus',
    'corpus.maxChars': '--max-chars',
    'corpus.validationFraction': '--validation',
    cell: '--cell',
    hiddenSize: '--hidden',
    seqLength: '--seq-length',
    batchSize: '--batch-size',
    optimizer: '--optimizer',
    lr: '--lr',
    clip: '--clip',
    steps: '--steps',
    epochs: '--epochs',
    maxSeconds: '--max-seconds',
    recorder: '--recorder',
    reduction: '--reduction',
    exporters: '--export',
    logdir: '--logdir',
    runName: '--run-name',
    seed: '--seed',
    backend: '--backend',
    engine: '--engine',
    logEvery: '--log-every',
    sampleEvery: '--sample-every',
    validateEvery: '--validate-every',
    checkpointEvery: '--checkpoint-every',
    checkpointSeconds: '--checkpoint-seconds',
    plugins: '--plugin',
    resume: '--resume',
    onNonFinite: '--on-non-finite',
  },
  demo: { maxSeconds: '--seconds', cell: '--cell', seed: '--seed', logdir: '--logdir' },
};

/** The flag of `flags` that sets `field` or the field it belongs to (`corpus.paths.0` -> `--corpus`). */
function flagOf(field: string, flags: Record<string, string>): string | undefined {
  let best: string | undefined;
  for (const key of Object.keys(flags)) {
    if ((field === key || field.startsWith(`${key}.`)) && (best === undefined || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : flags[best];
}

/**
 * Rewords a config validation error of `cmd` by the flags the user typed: `--hidden must be >= 1
 * (config hiddenSize)`. A field the user did not set by flag came from `--config` (or the command's
 * own settings), so it keeps its config name, after the file's.
 */
export function nameFlags(err: unknown, cmd: Command): unknown {
  const flags = CONFIG_FLAGS[cmd.name()];
  if (!(err instanceof ConfigValidationError) || !flags) return err;
  const configFile = (cmd.opts() as { config?: unknown }).config;
  const byFlag: string[] = [];
  const byField: string[] = [];
  for (const issue of err.issues) {
    const flag = flagOf(issue.field, flags);
    const option = flag === undefined ? undefined : cmd.options.find((o) => o.long === flag);
    if (flag && option && cmd.getOptionValueSource(option.attributeName()) === 'cli') byFlag.push(`${describeIssue(issue, flag)} (config ${issue.field})`);
    else byField.push(describeIssue(issue));
  }
  const fromFile = byField.length && typeof configFile === 'string' ? [`${configFile}: ${byField.join('; ')}`] : byField;
  return new ConfigError([...byFlag, ...fromFile].join('; '), err.hint);
}
