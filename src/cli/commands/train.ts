import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { BACKENDS } from '../../core/backend.js';
import { loadConfigFile, parseConfig, partName, type RunConfig, type RunConfigInput } from '../../core/config.js';
import { ENGINE_PREFERENCES, REDUCTIONS } from '../../core/engine.js';
import type { TrainOptions, TrainResult } from '../../train/trainer.js';
import { collect, collectList, parseInteger, parseNumber } from '../parse.js';
import { recorderFromFlags } from '../recorder-flags.js';
import { paceMessages } from '../message-pace.js';
import { resumeDefaultsFromFile } from '../resume-defaults.js';
import { createProgressView } from '../progress.js';
import type { RunSummary } from '../../core/record.js';
import { addServeBesideOptions, type ServeBesideFlags, viewerBeside } from '../serve-beside.js';
import { withResumeCorpusHint } from '../../data/resume-corpus.js';
import { exitIfStoppedBySignal } from '../exit-by-signal.js';
import { describeExportShare } from '../../train/export-time.js';

/** Flags of `rnnbow train` as commander parses them (all optional: unset flags keep config/defaults). */
export interface TrainFlags {
  config?: string;
  corpus?: string[];
  maxChars?: number;
  validation?: number;
  cell?: string;
  hidden?: number;
  seqLength?: number;
  batchSize?: number;
  optimizer?: 'adagrad' | 'adam';
  lr?: number;
  clip?: number;
  steps?: number;
  epochs?: number;
  maxSeconds?: number;
  recorder?: string;
  k?: number;
  every?: number;
  residual?: boolean;
  recorderOpt?: string[];
  reduction?: string;
  export?: string[];
  logdir?: string;
  runName?: string;
  seed?: number;
  backend?: string;
  engine?: string;
  logEvery?: number;
  sampleEvery?: number;
  validateEvery?: number;
  checkpointEvery?: number;
  checkpointSeconds?: number;
  plugin?: string[];
  resume?: string;
  onNonFinite?: 'stop' | 'continue';
}

/** Adds the training flags to a command (shared by `train` and `demo`). */
export function addTrainOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'JSON run config; flags override its values')
    .option('--corpus <path>', 'training text: a UTF-8 file or a directory (repeatable; default: Node.js C headers, else generated C)', collect)
    .option('--max-chars <n>', 'read at most this many characters of the corpus', parseInteger)
    .option('--validation <fraction>', 'tail of the corpus held out for validation (default 0.1)', parseNumber)
    .option('--cell <name>', 'recurrent cell: rnn, lstm, gru or a plugin cell (default rnn)')
    .option('--hidden <n>', 'hidden size H (default 100)', parseInteger)
    .option('-n, --seq-length <n>', 'characters per sequence (default 25, the paper\'s)', parseInteger)
    .option('-b, --batch-size <n>', 'sequences per minibatch B (default 1)', parseInteger)
    .addOption(new Option('--optimizer <name>', 'optimizer (default adagrad)').choices(['adagrad', 'adam']))
    .option('--lr <rate>', 'learning rate (default 0.1 for adagrad, 0.002 for adam)', parseNumber)
    .option('--clip <norm>', 'clip the global gradient norm to this (default 5)', parseNumber)
    .option('--steps <n>', 'batches to train', parseInteger)
    .option('--epochs <n>', 'passes over the training text (default 1 when no --steps/--max-seconds)', parseNumber)
    .option('--max-seconds <s>', 'stop after this much time', parseNumber)
    .option('--recorder <name>', 'full, truncated or a plugin recorder (default: truncated k=5 every 100 batches)')
    .option('--k <n>', 'truncated recorder: keep distances d <= k (default 5)', parseInteger)
    .option('--every <n>', 'record every n-th batch (default 100; 1 = every batch)', parseInteger)
    .option('--no-residual', 'do not measure what truncation drops')
    .option('--recorder-opt <key=value>', 'option for the recorder (repeatable)', collect)
    .addOption(new Option('--reduction <name>', 'magnitude of each itemized gradient (default l2)').choices([...REDUCTIONS]))
    .option('--export <names>', 'exporters, comma-separated or repeated (default json,tensorboard)', collectList)
    .option('--logdir <dir>', 'parent folder of run folders (default runs)')
    .option('--run-name <name>', 'run folder name (default: timestamp and cell); never overwritten')
    .option('--seed <n>', 'random seed (default 42)', parseInteger)
    .addOption(new Option('--backend <name>', 'tfjs backend for the reference engine (default auto: tensorflow if installed, else wasm)').choices([...BACKENDS]))
    .addOption(new Option('--engine <name>', 'compute engine (default auto: the fused kernel when the cell has one, else tfjs; fused refuses a cell without one)').choices([...ENGINE_PREFERENCES]))
    .option('--log-every <n>', 'write training scalars every n batches (default 10)', parseInteger)
    .option('--sample-every <n>', 'generate a text sample every n batches, 0 = never (default 1000)', parseInteger)
    .option('--validate-every <n>', 'validation loss every n batches, 0 = never (default 500)', parseInteger)
    .option('--checkpoint-every <n>', 'save checkpoint.json every n batches instead of every 60 s, 0 = only at the end', parseInteger)
    .option('--checkpoint-seconds <s>', 'save checkpoint.json every s seconds of training, 0 = only at the end (default 60)', parseNumber)
    .option('--plugin <path|package>', 'load a plugin (repeatable)', collect)
    .option('--resume <checkpoint>', 'continue from a checkpoint.json')
    .addOption(new Option('--on-non-finite <action>', 'what a NaN/Inf loss does (default stop)').choices(['stop', 'continue']));
}

/** Merges a config file (if any) with the flags the user set; validates the result. */
export function configFromFlags(flags: TrainFlags, overrides: RunConfigInput = {}): RunConfig {
  const base: RunConfigInput = flags.config ? (loadConfigFile(flags.config) as RunConfigInput) : {};
  const set = <K extends keyof RunConfigInput>(key: K, value: RunConfigInput[K] | undefined) => {
    if (value !== undefined) (base as Record<string, unknown>)[key] = value;
  };
  const corpus = { ...(base.corpus ?? {}) };
  if (flags.corpus) corpus.paths = flags.corpus;
  if (flags.maxChars !== undefined) corpus.maxChars = flags.maxChars;
  if (flags.validation !== undefined) corpus.validationFraction = flags.validation;
  base.corpus = corpus;
  set('cell', flags.cell);
  set('hiddenSize', flags.hidden);
  set('seqLength', flags.seqLength);
  set('batchSize', flags.batchSize);
  set('optimizer', flags.optimizer);
  set('lr', flags.lr);
  set('clip', flags.clip);
  set('steps', flags.steps);
  set('epochs', flags.epochs);
  set('maxSeconds', flags.maxSeconds);
  set('recorder', recorderFromFlags(flags, base.recorder));
  set('reduction', flags.reduction as RunConfigInput['reduction']);
  set('exporters', flags.export);
  set('logdir', flags.logdir);
  set('runName', flags.runName);
  set('seed', flags.seed);
  set('backend', flags.backend as RunConfigInput['backend']);
  set('engine', flags.engine as RunConfigInput['engine']);
  set('logEvery', flags.logEvery);
  set('sampleEvery', flags.sampleEvery);
  set('validateEvery', flags.validateEvery);
  set('checkpointEvery', flags.checkpointEvery);
  set('checkpointSeconds', flags.checkpointSeconds);
  // The two are one setting, the pace of checkpoints: a flag for one replaces the file's other.
  if (flags.checkpointEvery !== undefined && flags.checkpointSeconds === undefined) delete base.checkpointSeconds;
  if (flags.checkpointSeconds !== undefined && flags.checkpointEvery === undefined) delete base.checkpointEvery;
  set('plugins', flags.plugin ? [...(base.plugins ?? []), ...flags.plugin] : undefined);
  set('resume', flags.resume);
  set('onNonFinite', flags.onNonFinite);
  const fromCheckpoint = base.resume ? resumeDefaultsFromFile(base.resume) : {};
  return parseConfig({ ...fromCheckpoint, ...base, ...overrides }, flags.config ?? 'options');
}

/** Runs training with a progress bar; returns the result for callers that print next steps. */
export async function runTraining(config: RunConfig, hooks: Pick<TrainOptions, 'onStart'> = {}): Promise<TrainResult> {
  // The trainer (exporters, protobufjs, the registry) loads here, so `--help` answers at once.
  const { train } = await import('../../train/trainer.js');
  const view = createProgressView(config.maxSeconds);
  try {
    const onMessage = paceMessages((l) => view.log(l), config.exporters.map(partName));
    const result = await train(config, { handleSignals: true, onProgress: (p) => view.update(p), onMessage, onStart: hooks.onStart });
    view.stop();
    return result;
  } catch (err) {
    view.stop();
    throw err;
  }
}

/** ` in 60.0 s (104,043 chars/s)`: the run's average, the figure to compare with other tools. */
function speed(summary: RunSummary): string {
  if (summary.seconds === undefined || summary.charsPerSec === undefined) return '';
  return ` in ${summary.seconds.toFixed(1)} s (${Math.round(summary.charsPerSec).toLocaleString('en-US')} chars/s)`;
}

/** ` (validation 1.6213)` when the run measured a validation loss. */
function validation(summary: RunSummary): string {
  return summary.finalValLoss === undefined ? '' : ` (validation ${summary.finalValLoss.toFixed(4)})`;
}

/** `, loss 1.6213`; nothing for a run stopped before its first batch, which has no loss yet. */
function finalLoss(summary: RunSummary): string {
  return summary.batches === 0 && !Number.isFinite(summary.finalLoss) ? '' : `, loss ${summary.finalLoss.toFixed(4)}`;
}

/** `, 312 batches skipped (non-finite loss)` when `--on-non-finite continue` skipped any. */
function skipped(summary: RunSummary): string {
  const n = summary.skippedBatches ?? 0;
  return n > 0 ? `, ${n.toLocaleString('en-US')} batch${n === 1 ? '' : 'es'} skipped (non-finite loss)` : '';
}

/** Prints how a run ended and where its outputs are. */
export function printRunResult(result: TrainResult): void {
  const { summary } = result;
  const how = summary.status === 'interrupted' ? 'stopped by signal (everything up to here is saved)' : summary.status;
  const exporting = summary.exportSeconds && summary.seconds ? describeExportShare(summary.exportSeconds, summary.exporterBusySeconds ?? {}, summary.seconds, summary.exportSecondsByCall) : null;
  process.stdout.write(
    `run ${result.runId}: ${how}; ${summary.batches} batches${speed(summary)}${finalLoss(summary)}${validation(summary)}, ${summary.records} records${skipped(summary)}\n` +
      (exporting ? `  ${exporting}\n` : '') +
      `  folder:     ${result.runDir}\n  checkpoint: ${existsSync(result.checkpoint) ? result.checkpoint : 'none written (the parameters were not finite when one was due)'}\n`,
  );
}

/** `rnnbow train`. */
export function trainCommand(): Command {
  const command = addTrainOptions(new Command('train').description('train a recurrent network and record its itemized gradients'));
  return addServeBesideOptions(command, 'start the RNNbow viewer on the logdir while training (the page updates live)')
    .action(async (flags: TrainFlags & ServeBesideFlags) => {
      const viewer = viewerBeside(flags);
      const config = configFromFlags(flags);
      try {
        let result: TrainResult;
        try {
          result = await runTraining(config, { onStart: viewer.onStart });
        } catch (err) {
          // A run resumed without --corpus reads the default corpus: say which one to pass.
          throw withResumeCorpusHint(err, config.resume, config.corpus.paths);
        }
        printRunResult(result);
        if (viewer.server()) process.stdout.write(`viewer stopped with the run; see it again with: rnnbow serve --logdir ${result.config.logdir}\n`);
      } finally {
        await viewer.close();
      }
      await exitIfStoppedBySignal();
    });
}
