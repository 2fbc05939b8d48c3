import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRegistry } from '../builtins.js';
import { loadCheckpoint, saveCheckpoint, toCheckpoint } from '../core/checkpoint.js';
import { resumeDefaults } from '../core/resume-defaults.js';
import { DEFAULT_CHECKPOINT_SECONDS, learningRate, parseConfig, partName, type RunConfig, type RunConfigInput } from '../core/config.js';
import type { ItemizeRequest, State } from '../core/engine.js';
import { createEngineWithBackend, engineSlots } from '../core/engine/create-engine.js';
import type { ItemizedSlot } from '../core/engine/itemization-builder.js';
import type { CellDefinition } from '../core/cell.js';
import { CheckpointError, ConfigError, ExportError, NonFiniteLossError, PluginError, RnnbowError } from '../core/errors.js';
import type { Exporter } from '../core/exporter.js';
import { createRunExporter, ThreadedExporter } from '../exporters/threaded-exporter.js';
import { initParams, zeroState } from '../core/model.js';
import { zerosLike, type ParamStore } from '../core/params.js';
import { SeededRandom } from '../core/random.js';
import type { RunInfo, RunSummary, TrainingScalars } from '../core/record.js';
import type { PartRegistry } from '../core/registry.js';
import { packageVersion } from '../core/package-root.js';
import type { ClippingOptimizer, OptimizerState } from './optimizer.js';
import { FusedOptimizer } from '../core/engine/fused/fused-optimizer.js';
import { buildRecord } from './record-builder.js';
import { checkRunFolder, createRunFolder, defaultRunName } from './run-folder.js';
import { sampleTokens } from './sampler.js';
import { exitBySignal, installStopSignals, type StopSignal, type StopSignals } from './stop-signals.js';
import { byName, describeExportShare, EXPORT_NOTICE_AFTER_SECONDS, ExportTimer } from './export-time.js';
import { SkipNotices } from './skip-notice.js';
import { ThroughputMeter } from './throughput.js';
import { prepareData } from './training-data.js';
import { describeCorpus } from '../data/describe-corpus.js';

/**
 * Progress of a run, reported after every batch.
 *
 * @category Training
 */
export interface TrainingProgress {
  /** Batches done by this call (a resumed run counts from where it resumed). */
  batch: number;
  /** Batches planned (`Infinity` when only a time budget bounds the run). */
  total: number;
  /** Smoothed per-character training loss, in nats (see {@link TrainingScalars.smoothedLoss}). */
  loss: number;
  /** Smoothed throughput, characters per second. */
  charsPerSec: number;
  /** Seconds since training started. */
  elapsed: number;
  /** Records written so far. */
  records: number;
}

/**
 * What a {@link TrainOptions.onMessage} line is: a `validation` loss or a `sample` (each on its
 * schedule, `validateEvery` and `sampleEvery` batches), or any other line, a `notice` (the run's
 * start, a resume, a signal, a skipped non-finite batch, exporters that set the pace).
 *
 * @category Training
 */
export type TrainingMessageKind = 'validation' | 'sample' | 'notice';

/**
 * Hooks and shared objects for {@link train}.
 *
 * @category Training
 */
export interface TrainOptions {
  /** Registry to resolve parts from (default: built-ins plus `config.plugins`). */
  registry?: PartRegistry;
  /** Called after every batch. */
  onProgress?(progress: TrainingProgress): void;
  /**
   * Human-readable events: samples, validation losses, resumes, signals. `kind` tells the two
   * periodic ones apart, which a fast run produces many times a second, so that a console can
   * pace them (the CLI does) while the exporters keep every one.
   */
  onMessage?(line: string, kind: TrainingMessageKind): void;
  /** Called once the run folder exists and exporters are open (e.g. to start the viewer beside it). */
  onStart?(info: { runDir: string; runId: string; logdir: string }): void | Promise<void>;
  /**
   * Install SIGINT/SIGTERM/SIGHUP handlers (the CLI does) while the run folder exists: the first
   * signal stops training after the current batch, and the run is saved and closed as
   * `interrupted`; a second is acknowledged; a third flushes what was recorded and ends the
   * process by that signal at once. {@link TrainResult.signal} names the first signal.
   */
  handleSignals?: boolean;
  /** Stops training after the current batch; the run then ends `interrupted`, closed and checkpointed. */
  signal?: AbortSignal;
}

/**
 * What {@link train} returns.
 *
 * @category Training
 */
export interface TrainResult {
  /** Run id (the run folder's name). */
  runId: string;
  /** The run folder. */
  runDir: string;
  /** The final checkpoint file (`<runDir>/checkpoint.json`), for {@link itemizeText} or `resume`. */
  checkpoint: string;
  /** How it ended: `completed` or `interrupted` (a failed run throws instead of returning). */
  summary: RunSummary;
  /** The resolved configuration. */
  config: RunConfig;
  /**
   * With `handleSignals`: the signal that stopped the run (or arrived while it was closing), so
   * that a caller can exit by it once it has reported the run. (The CLI asks `stop-signals`
   * instead, which also knows it when the run then ended in an error.)
   */
  signal?: 'SIGINT' | 'SIGTERM' | 'SIGHUP';
}

const CHECKPOINT_FILE = 'checkpoint.json';

/**
 * Trains a model as `config` describes and streams everything recorded to the exporters. The CLI's
 * `train` and `demo` are thin shells over this function.
 *
 * `input` is validated and completed by {@link parseConfig} (docs/configuration.md lists every
 * field and default). Every part is resolved and every input read before anything is written,
 * so a bad config, corpus or plugin fails without leaving a half-made run folder. The run goes
 * to `<logdir>/<runId>/`: each exporter's files and `checkpoint.json`. A checkpoint is also
 * saved when the run fails between updates (a non-finite loss, an exporter's or a plugin's
 * error, a throwing callback), so the work so far can be resumed.
 *
 * @throws {@link ConfigError} (a {@link ConfigValidationError} for the config itself) for bad
 * settings, {@link CorpusError} for a missing or unusable corpus, {@link CheckpointError} when
 * `resume` names a bad checkpoint, {@link UnknownPartError} and {@link PluginError} for parts,
 * {@link ExportError} when an exporter cannot write, {@link CheckpointError} when a checkpoint
 * cannot be written, an {@link RnnbowError} with code `LOGDIR` when the run folder cannot be
 * made or is removed while training, {@link NonFiniteLossError} when the loss stops being finite
 * (unless `onNonFinite` is `continue`). Each ends the run first: its exporters are closed with
 * status `failed`. What `onStart` or `onProgress` throws is rethrown as it is, after the run is
 * closed.
 *
 * @example
 * ```ts
 * import { train } from 'rnnbow';
 * const { runDir } = await train({ cell: 'lstm', hiddenSize: 32, steps: 200, logdir: 'runs' });
 * ```
 *
 * @category Training
 */
export async function train(input: RunConfigInput | RunConfig, options: TrainOptions = {}): Promise<TrainResult> {
  let config = parseConfig(input);
  const registry = options.registry ?? (await createRegistry(config.plugins));

  // Resolve every part and read every input before anything is written.
  const resumed = config.resume ? loadCheckpoint(config.resume, (n) => registry.cell(n)) : undefined;
  // What the input leaves out comes from the checkpoint (optimizer, n, B), as on the command
  // line. A parsed RunConfig names every field, so it keeps its own.
  if (resumed) config = parseConfig({ ...resumeDefaults({ training: resumed.training }), ...input });
  // The model comes from the checkpoint: a config that names another one is a mistake to report,
  // not to train past. (A parsed RunConfig names every field; the CLI fills them from the checkpoint.)
  if (resumed && (input as RunConfigInput).cell !== undefined && (input as RunConfigInput).cell !== resumed.cell.name) {
    throw new ConfigError(`--resume ${config.resume} holds a "${resumed.cell.name}" model but the config asks for cell "${config.cell}"`, 'leave the cell out (--cell) when resuming: it comes from the checkpoint');
  }
  if (resumed && (input as RunConfigInput).hiddenSize !== undefined && (input as RunConfigInput).hiddenSize !== resumed.hiddenSize) {
    throw new ConfigError(`--resume ${config.resume} holds a model of hidden size ${resumed.hiddenSize} but the config asks for ${config.hiddenSize}`, 'leave the hidden size out (--hidden) when resuming: it comes from the checkpoint');
  }
  const cell = resumed?.cell ?? registry.cell(config.cell);
  const hiddenSize = resumed?.hiddenSize ?? config.hiddenSize;
  const recorder = registry.createRecorder(config.recorder, { seqLength: config.seqLength, reduction: config.reduction });
  const exporterSpecs = config.exporters.map((e) => (typeof e === 'string' ? { name: e, options: {} } : { name: e.name, options: e.options ?? {} }));
  const exporterDefs = exporterSpecs.map((s) => registry.exporter(s.name));
  // Made now, so that an export thread's module loading can overlap this thread's reading the
  // corpus and building the engine (measured within noise of making them after). Options are
  // checked here, before anything is read or written.
  const exporters: Exporter[] = exporterDefs.map((def, i) => createRunExporter(def, exporterSpecs[i].options));
  const endThreads = () => Promise.all(exporters.map((e) => (e instanceof ThreadedExporter ? e.terminate() : undefined)));
  const installed: InstalledSignals = {};
  try {
    // run.json's config says what trained: the checkpoint's model when resuming.
    const resolved = resumed ? { ...config, cell: cell.name, hiddenSize } : config;
    return await trainWith(resolved, options, { resumed, cell, hiddenSize, recorder, exporters }, installed);
  } catch (err) {
    await endThreads();
    throw err;
  } finally {
    installed.signals?.uninstall();
  }
}

/** The signal handlers {@link trainWith} installs once the run folder exists; {@link train} removes them however the run ends. */
interface InstalledSignals {
  signals?: StopSignals;
}

/** The parts {@link train} resolved before it reads the corpus. */
interface ResolvedParts {
  resumed: ReturnType<typeof loadCheckpoint> | undefined;
  cell: CellDefinition;
  hiddenSize: number;
  recorder: ReturnType<PartRegistry['createRecorder']>;
  exporters: Exporter[];
}

/** How often, at most, reading a large corpus is reported (ms). */
const CORPUS_NOTE_MS = 2000;

/** Everything of {@link train} from reading the corpus on. */
async function trainWith(config: RunConfig, options: TrainOptions, parts: ResolvedParts, installed: InstalledSignals): Promise<TrainResult> {
  const { resumed, cell, hiddenSize, recorder, exporters } = parts;
  const say = (line: string, kind: TrainingMessageKind = 'notice') => options.onMessage?.(line, kind);
  // A large tree takes seconds to read: a line every few seconds shows it moves.
  let lastNote = Date.now();
  const data = prepareData(config, resumed?.vocab, (read) => {
    if (Date.now() - lastNote < CORPUS_NOTE_MS) return;
    lastNote = Date.now();
    say(`reading the corpus: ${read.files.toLocaleString('en-US')} files, ${read.chars.toLocaleString('en-US')} characters so far`);
  });
  const dims = { inputSize: data.vocab.size, hiddenSize };

  const { engine, kind, backend } = await createEngineWithBackend(cell, dims, config.engine, config.backend);
  const rng = new SeededRandom(config.seed);
  const params: ParamStore = resumed?.params ?? initParams(cell, dims, rng);
  const lr = learningRate(config);
  // The SIMD optimizers apply the update rules of src/train/optimizer.ts in a fraction of the
  // time. One that lives in the engine keeps the gradient there: no gradient store to fill.
  const inEngine = engine.createOptimizer?.(config.optimizer, params, lr);
  const optimizer: ClippingOptimizer = inEngine ?? new FusedOptimizer(config.optimizer, params, lr);
  const grads = inEngine ? null : zerosLike(params);
  const training = resumed?.training;
  const savedOptimizer = training?.optimizer as OptimizerState | undefined;
  if (savedOptimizer && savedOptimizer.name === config.optimizer) optimizer.load(savedOptimizer);
  const firstBatch = training?.batch ?? 0;
  // The data goes on where the checkpoint's run left it, with the state carried from there.
  data.train.seek(firstBatch);

  const { dir: runDir, runId } = createRunFolder(config.logdir, config.runName ?? defaultRunName(cell.name), config.runName !== undefined);
  const checkpointFile = path.join(runDir, CHECKPOINT_FILE);
  // From here on a signal must not end the process on the spot: the run folder exists, and it
  // should end with a summary and a checkpoint even when the signal comes while exporters open.
  // (Before, Ctrl-C keeps its default: there is nothing to save, and reading a large corpus
  // holds the thread, so a handler would only run once it was read.)
  let stop: RunSummary['status'] | null = null;
  /** The batch the newest checkpoint of this run resumes from (none written yet: undefined). */
  let savedBatch: number | undefined;
  /** Exporters closed at the end of the run (each with the summary). */
  let closedExporters = 0;
  if (options.handleSignals) {
    const named = (signal: StopSignal) => (signal === 'SIGINT' ? 'Ctrl-C' : signal);
    installed.signals = installStopSignals({
      onStop: (signal) => {
        stop = 'interrupted';
        say(`${named(signal)}: stopping after this batch, then saving the checkpoint and closing the run`);
      },
      onWait: (signal) => say(`${named(signal)}: already stopping: the current batch ends, then the run is saved and closed (a large checkpoint takes seconds); once more quits at once, leaving it without a summary`),
      onForce: (signal) => {
        for (const e of exporters) {
          try {
            e.flushSync?.();
          } catch {
            // Quitting at once: keep flushing the others.
          }
        }
        const files = closedExporters === exporters.length ? "the run's files are closed" : 'the records so far are flushed, but the run may be left without its summary';
        const kept = savedBatch === undefined ? 'no checkpoint was written by this run' : `${checkpointFile} resumes from batch ${savedBatch}`;
        say(`${named(signal)} once more: quitting at once; ${files}; ${kept}`);
        exitBySignal(signal);
      },
    });
  }
  const runFolder = statSync(runDir);
  const runInfo: RunInfo = {
    runId,
    startedAt: new Date().toISOString(),
    rnnbowVersion: packageVersion(),
    cell: cell.name,
    hiddenSize,
    seqLength: config.seqLength,
    batchSize: config.batchSize,
    vocab: [...data.vocab.chars],
    corpus: { source: data.corpus.source, chars: data.corpus.chars, files: data.corpus.files },
    optimizer: { name: config.optimizer, lr, clip: config.clip },
    recorder: recorder.description,
    itemizedParams: itemizedParams(engineSlots(engine, cell, dims)),
    engine: backend ? `${engine.name} (tfjs backend ${backend})` : engine.name,
    config: { ...config },
  };
  for (const exporter of exporters) await exporter.open(runInfo, runDir);

  const total = config.steps ?? (config.epochs !== undefined ? Math.ceil(config.epochs * data.train.batchesPerEpoch) : config.maxSeconds ? Infinity : data.train.batchesPerEpoch);
  // Which engine runs explains the speed a user sees: a cell without a fused kernel trains on
  // the reference engine, one to two hundred times slower at the paper's sizes.
  const engineNote = {
    fused: '',
    reference: ` — the reference engine${cell.kernel ? '' : ` (the ${cell.name} cell has no fused kernel)`}, far slower than the fused one`,
    'cell-kernel': ` — the ${cell.name} cell's own kernel`,
  }[kind];
  say(`training ${cell.name} (H=${hiddenSize}, B=${config.batchSize}, n=${config.seqLength}) on ${engine.name}${engineNote}`);
  say(describeCorpus(data.corpus, config.corpus.maxChars));
  // The progress bar counts this run's batches; steps, records and scalars go on from here.
  if (resumed) say(`resuming ${config.resume} at batch ${firstBatch}: steps continue from there`);

  if (training?.corpus !== undefined && training.corpus !== data.fingerprint) {
    say(`resuming on other text than the checkpoint was trained on (another corpus, --max-chars or --validation): training goes on from batch ${firstBatch} of this text`);
  }
  if (savedOptimizer && savedOptimizer.name !== config.optimizer) {
    say(`resuming with ${config.optimizer}: the checkpoint's ${savedOptimizer.name} state does not carry over`);
  }
  // The carried state continues B streams of text; another batch size starts its streams afresh.
  // Under another n, batch k is the k-th window of another length: the streams continue
  // elsewhere in the text, so the state they carried no longer fits either.
  const carried = training?.state;
  const otherN = training?.seqLength !== undefined && training.seqLength !== config.seqLength;
  const fits = !otherN && carried?.length === cell.state.length && carried.every((s) => s.length === config.batchSize * hiddenSize);
  if (otherN) {
    say(`resuming with n=${config.seqLength}: the checkpoint trained with n=${training!.seqLength}, so batch ${firstBatch} starts at another place in the text and the state starts at zero (-n / seqLength ${training!.seqLength} continues exactly)`);
  } else if (carried && !fits) say(`resuming with B=${config.batchSize}: the checkpoint's carried state is for another batch size, so the state starts at zero`);
  let state: State = fits ? carried!.map((s) => Float32Array.from(s)) : zeroState(cell, dims, config.batchSize);
  const zero = zeroState(cell, dims, 1);
  const charsPerBatch = config.batchSize * config.seqLength;
  // A resumed run's average goes on from the checkpoint's, as its batch counter does.
  let smoothLoss = typeof training?.smoothedLoss === 'number' && Number.isFinite(training.smoothedLoss) ? training.smoothedLoss : NaN;
  let valLoss: number | undefined;
  let lastValLoss: number | undefined;
  /** The newest trained batch's scalars, and whether they were logged (reused: no object per batch). */
  const last = { logged: true, batch: 0, loss: 0, smoothedLoss: 0, gradNorm: 0, charsPerSec: 0, wallTime: 0 };
  let records = 0;
  let batch = firstBatch;
  let lastYield = Date.now();
  let lastFlush = Date.now();
  let lastFolderCheck = Date.now();
  const meter = new ThroughputMeter();
  let lastCheckpoint = performance.now();
  // Keyed as the config names the exporters, the names `--export` takes.
  const exporterNames = config.exporters.map(partName);
  const exportTime = new ExportTimer(exporterNames);
  // Busy time over the same span as `seconds`: from here to the end of the loop.
  const busyBefore = busySeconds(exporters, exporterNames, exportTime);
  const busyInLoop = () =>
    Object.fromEntries(Object.entries(busySeconds(exporters, exporterNames, exportTime)).map(([name, s]) => [name, Math.max(0, s - (busyBefore[name] ?? 0))]));
  let exportNoticed = false;
  const skips = new SkipNotices();
  /**
   * What every batch ends with, trained or skipped: the progress callback, the periodic flush,
   * the exporters' notice, and a turn of the event loop (signals, the export threads' replies).
   */
  const afterBatch = async (done: number, now: number, charsPerSec: number): Promise<void> => {
    try {
      options.onProgress?.({ batch: done + 1, total, loss: smoothLoss, charsPerSec, elapsed: meter.elapsedSeconds(now), records });
    } catch (err) {
      batch++; // this batch is trained and counted; the next one is where a resume starts
      throw new CallbackFailure(err);
    }
    if (Date.now() - lastFlush > 5000) {
      for (let i = 0; i < exporters.length; i++) await exportTime.timeAsync(i, 'flushes', () => exporters[i].flush());
      lastFlush = Date.now();
    }
    if (!exportNoticed && meter.elapsedSeconds(now) >= EXPORT_NOTICE_AFTER_SECONDS) {
      // Said once, early: a long run should not end before the user learns what slows it.
      exportNoticed = true;
      const line = describeExportShare(exportTime.seconds(), busyInLoop(), meter.elapsedSeconds(now), exportTime.byCall());
      if (line) say(line);
    }
    if (Date.now() - lastYield > 50) {
      await new Promise((r) => setImmediate(r));
      lastYield = Date.now();
    }
  };
  let status: RunSummary['status'] = 'completed';
  let failure: unknown;

  /** Saves the model; `next` is the batch a resumed run starts from. */
  const save = (next: number) => {
    // A checkpoint of NaN weights cannot be resumed or itemized: the last good one is worth more.
    if (!finiteParams(params)) {
      say(`batch ${batch}: parameters are not finite; ${checkpointFile} keeps the last finite checkpoint${existsSync(checkpointFile) ? '' : ' (none was written)'}`);
      return;
    }
    saveCheckpoint(
      checkpointFile,
      toCheckpoint(cell.name, hiddenSize, [...data.vocab.chars], params, { batch: next, optimizer: optimizer.save(), state: state.map((s) => Array.from(s)), corpus: data.fingerprint, seqLength: config.seqLength, batchSize: config.batchSize, ...(Number.isFinite(smoothLoss) ? { smoothedLoss: smoothLoss } : {}) }),
    );
    savedBatch = next;
  };
  try {
    // In here, so that a failing callback still ends the run with a summary.
    await callback(() => options.onStart?.({ runDir, runId, logdir: config.logdir }));
    for (let done = 0; done < total && !stop; done++, batch++) {
      if (options.signal?.aborted) {
        stop = 'interrupted';
        break;
      }
      if (config.maxSeconds && meter.elapsedSeconds() >= config.maxSeconds) break;
      // A run folder removed (or replaced) while training takes every later write with it,
      // unseen until the next checkpoint, which may be hours away: stop now and say so.
      if (Date.now() - lastFolderCheck > 1000) {
        checkRunFolder(runDir, runFolder, batch);
        lastFolderCheck = Date.now();
      }
      const next = data.train.next();
      const { batch: data1, offsets } = next;
      // A new epoch sends every stream back to its start: the carried state no longer continues the text.
      if (next.indexInEpoch === 0 && done > 0) state = zeroState(cell, dims, config.batchSize);
      const plan = recorder.plan(batch);
      // k >= n - 1 keeps every distance: recorded as full (k null), as the truncated recorder does.
      const full = plan !== null && (plan.k === null || plan.k >= config.seqLength - 1);
      const itemize: ItemizeRequest | undefined = plan
        ? { sequence: config.recordSequence, k: full ? null : plan.k, reduction: config.reduction, residual: plan.residual && !full, sequenceGradient: false }
        : undefined;
      const result = engine.train(params, data1, state, grads, itemize);
      let lossSum = 0;
      for (let i = 0; i < result.losses.length; i++) lossSum += result.losses[i];
      const loss = lossSum / result.losses.length;
      const wallTime = Date.now() / 1000;
      if (result.itemized) {
        let record = buildRecord({ runId, cell: cell.name, batch, data: data1, offsets: Array.from(offsets), result }, wallTime);
        if (recorder.finalize) record = recorder.finalize(record);
        exporters.forEach((e, i) => exportTime.time(i, 'records', () => e.writeRecord(record)));
        records++;
      }
      if (!Number.isFinite(loss)) {
        if (config.onNonFinite === 'stop') throw new NonFiniteLossError(batch, loss);
        const line = skips.skip(batch, loss);
        if (line) say(line);
        state = zeroState(cell, dims, config.batchSize);
        // Skipped, not stalled: progress, flushes and signals still come (a diverged model can
        // skip every batch, and Ctrl-C must still stop it).
        const at = performance.now();
        await afterBatch(done, at, meter.add(charsPerBatch, at));
        continue;
      }
      const gradNorm = optimizer.clipAndUpdate(params, grads, config.clip);
      state = result.finalState;
      smoothLoss = Number.isNaN(smoothLoss) ? loss : 0.99 * smoothLoss + 0.01 * loss;

      const now = performance.now();
      const charsPerSec = meter.add(charsPerBatch, now);
      if (config.validateEvery > 0 && (batch + 1) % config.validateEvery === 0) {
        valLoss = data.validationLoss(engine, params, (b) => zeroState(cell, dims, b));
        if (valLoss !== undefined) lastValLoss = valLoss;
        // Batch indices as TensorBoard's steps and the viewer show them (the 500th batch is 499).
        say(`batch ${batch}: validation loss ${valLoss?.toFixed(4) ?? 'n/a (no validation text)'}`, 'validation');
      }
      if (batch % config.logEvery === 0 || valLoss !== undefined) {
        const scalars: TrainingScalars = { loss, smoothedLoss: smoothLoss, gradNorm, ...(charsPerSec ? { charsPerSec } : {}), ...(valLoss !== undefined ? { valLoss } : {}) };
        exporters.forEach((e, i) => exportTime.time(i, 'scalars', () => e.writeScalars(batch, scalars, wallTime)));
        last.logged = true;
      } else {
        Object.assign(last, { logged: false, batch, loss, smoothedLoss: smoothLoss, gradNorm, charsPerSec, wallTime });
      }
      valLoss = undefined;
      if (config.sampleEvery > 0 && (batch + 1) % config.sampleEvery === 0) {
        const text = data.vocab.decode(Int32Array.from(sampleTokens(engine, params, zero, data1.inputs[0], config.sampleLength, rng)));
        exporters.forEach((e, i) => exportTime.time(i, 'samples', () => e.writeSample(batch, text, wallTime)));
        say(`sample at batch ${batch}:\n${text}`, 'sample');
      }
      // This batch is done: a resumed run starts from the next.
      if (checkpointDue(config, batch, now - lastCheckpoint)) {
        try {
          save(batch + 1);
        } catch (err) {
          batch++; // trained and recorded: a checkpoint saved at the end resumes after it
          throw err;
        }
        lastCheckpoint = performance.now();
      }
      await afterBatch(done, now, charsPerSec);
    }
    // The last batch's scalars, when logEvery skipped it: TensorBoard's HParams table and the
    // charts end at the run's last value, not up to logEvery - 1 batches before it.
    if (!last.logged) {
      const scalars: TrainingScalars = { loss: last.loss, smoothedLoss: last.smoothedLoss, gradNorm: last.gradNorm, ...(last.charsPerSec ? { charsPerSec: last.charsPerSec } : {}) };
      exporters.forEach((e, i) => exportTime.time(i, 'scalars', () => e.writeScalars(last.batch, scalars, last.wallTime)));
    }
    if (stop) status = stop;
  } catch (err) {
    status = 'failed';
    failure = err;
  }
  installed.signals?.closing();
  const seconds = meter.elapsedSeconds();
  const exporterBusySeconds = busyInLoop();
  if (status !== 'failed' || keepsParams(failure)) {
    try {
      // After the loop `batch` is the next batch; after a failure, the batch that failed.
      save(batch);
    } catch (err) {
      // The run's own failure (a full disk, say) is the one to report. Either way the exporters
      // are closed below: their newest records are still in their buffers.
      if (!failure) {
        status = 'failed';
        failure = err;
      }
    }
  }
  const batches = batch - firstBatch;
  const summary: RunSummary = {
    batches,
    finalLoss: smoothLoss,
    ...(lastValLoss !== undefined ? { finalValLoss: lastValLoss } : {}),
    records,
    status,
    seconds,
    charsPerSec: seconds > 0 ? (batches * charsPerBatch) / seconds : 0,
    exportSeconds: exportTime.seconds(),
    exporterBusySeconds,
    exportSecondsByCall: exportTime.byCall(),
    ...(skips.skipped > 0 ? { skippedBatches: skips.skipped } : {}),
  };
  const closeErrors: unknown[] = [];
  for (const e of exporters) {
    try {
      await e.close(summary);
    } catch (err) {
      closeErrors.push(err);
    }
    closedExporters++;
  }
  engine.dispose();
  if (failure) throw failure instanceof CallbackFailure ? failure.error : failure;
  if (closeErrors.length) throw closeErrors[0] instanceof RnnbowError ? closeErrors[0] : new ExportError(String(closeErrors[0]));
  const signal = installed.signals?.received;
  return { runId, runDir, checkpoint: checkpointFile, summary, config, ...(signal ? { signal } : {}) };
}

/**
 * Seconds each exporter was at work, by name: an export thread's busy time, or, for an exporter
 * on the training thread, the time its calls took.
 */
function busySeconds(exporters: readonly Exporter[], names: readonly string[], timer: ExportTimer): Record<string, number> {
  const inCalls = timer.perExporter();
  return byName(names, exporters.map((e, i) => (e instanceof ThreadedExporter ? e.busySeconds() : inCalls[i])));
}

/**
 * Whether a periodic checkpoint is due after batch `batch`: every `checkpointEvery` batches when
 * that is given, else once `checkpointSeconds` have passed since the last one (`sinceLastMs`).
 */
function checkpointDue(config: RunConfig, batch: number, sinceLastMs: number): boolean {
  if (config.checkpointEvery !== undefined) return config.checkpointEvery > 0 && (batch + 1) % config.checkpointEvery === 0;
  const seconds = config.checkpointSeconds ?? DEFAULT_CHECKPOINT_SECONDS;
  return seconds > 0 && sinceLastMs >= seconds * 1000;
}

/** Whether every parameter value is finite. */
function finiteParams(params: ParamStore): boolean {
  for (const p of Object.values(params)) {
    for (let i = 0; i < p.data.length; i++) if (!Number.isFinite(p.data[i])) return false;
  }
  return true;
}

/**
 * Whether a run that failed this way still has parameters worth a checkpoint: a non-finite loss
 * skips its update, and a plugin's or exporter's failure, or a checkpoint that could not be
 * written (a disk that was full for a moment), comes between updates. Anything else may have
 * stopped inside the engine or the optimizer.
 */
function keepsParams(failure: unknown): boolean {
  return failure instanceof NonFiniteLossError || failure instanceof PluginError || failure instanceof ExportError || failure instanceof CheckpointError || failure instanceof CallbackFailure;
}

/**
 * What a caller's callback (`onStart`, `onProgress`) threw: it comes between batches, so the model
 * is whole and gets its checkpoint; the caller gets its own error back.
 */
class CallbackFailure {
  constructor(readonly error: unknown) {}
}

/** Runs a caller's callback, its failure marked as {@link CallbackFailure}. */
async function callback(fn: () => void | Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    throw new CallbackFailure(err);
  }
}

/**
 * The parameters the engine itemizes (those entering through the cell's linear/elementwise
 * helpers): the fused engine knows its slots; any other engine's are found by probing the cell.
 */
function itemizedParams(slots: readonly ItemizedSlot[]): RunInfo['itemizedParams'] {
  return slots.flatMap((s) =>
    (s.bias ? [s.param, s.bias] : [s.param]).map((name) => ({ name, ...(s.gates ? { gates: [...s.gates] } : {}) })),
  );
}
