import type { Reduction } from './engine.js';

/**
 * The itemized gradient of one parameter in a record; see {@link BatchRecord}. Every number is
 * the record's {@link BatchRecord.reduction} of a matrix G_{t,j}: the part of the gradient of
 * the loss at step t that reaches this parameter at step j (j <= t). Indices are 0-based steps
 * of the sequence; matrices are indexed by t and the distance d = t - j, not by j.
 *
 * @category Exporter plugins
 */
export interface RecordedParam {
  /**
   * `byDistance[t][d]`: magnitude of dL_t/dθ at step j = t - d, for d = 0..min(t, k) (k = n - 1
   * when full), so row t has min(t, k) + 1 entries and there are n rows. Row t is the gradient
   * horizon of the loss at t; the bar at step j sums column j over t ({@link barHeights}).
   */
  byDistance: number[][];
  /**
   * The same per gate row block, for parameters that declare {@link ParamSpec.gates} (LSTM
   * i/f/g/o, GRU r/z/n): gate name → a matrix shaped like `byDistance`.
   */
  gates?: Record<string, number[][]>;
  /**
   * `residual[j]`, j = 0..n-1: magnitude of what truncation dropped at step j (the summed
   * gradient of the losses t > j + k). Present only for truncated records whose plan asked for
   * it ({@link RecordPlan.residual}).
   */
  residual?: number[];
}

/**
 * Everything recorded about one batch: the unit every exporter writes and the viewer reads.
 * Schema `rnnbow-batch` version 1 (docs/json-schema.md). Non-finite numbers are kept as numbers
 * here; the JSON exporter encodes them as the strings "NaN", "Infinity", "-Infinity".
 *
 * One sequence of the minibatch is itemized ({@link sequence}); the per-step arrays are that
 * sequence's, indexed by step 0..n-1: step t reads `inputs[t]` and predicts `targets[t]`.
 * An exporter receives it through {@link Exporter.writeRecord}; a recorder may reshape it in
 * {@link GradientRecorder.finalize}. {@link readJsonRun} and {@link RunReader} read it back.
 *
 * @example The bars of the paper's area 2 and the horizon of the last loss
 * ```ts
 * import { barHeights, type BatchRecord } from 'rnnbow';
 *
 * function paperViews(record: BatchRecord) {
 *   const p = record.params[record.primary];
 *   const bars = barHeights(p.byDistance);           // bars[j] = Σ_t |m[t][j]|
 *   const horizon = p.byDistance[record.n - 1];      // horizon[d]: from the last loss back to j = n - 1 - d
 *   return { bars, horizon };
 * }
 * ```
 *
 * @category Exporter plugins
 */
export interface BatchRecord {
  /** Run this batch belongs to (the run folder's name). */
  runId: string;
  /** Global batch index (0-based), the x-axis of every chart. */
  batch: number;
  /** Seconds since the Unix epoch (fractional) when the batch was recorded. */
  wallTime: number;
  /** Cell name (`rnn`, `lstm`, `gru`, or a plugin's). */
  cell: string;
  /** Steps in the sequence (n, the run's `seqLength`). */
  n: number;
  /** Truncation: distances kept are d = t - j <= k; `null` = full itemization (every d <= t). */
  k: number | null;
  /** Reduction that turned each G_{t,j} into a number. */
  reduction: Reduction;
  /** Which sequence (row, 0..B-1) of the minibatch was itemized: the run's `recordSequence`. */
  sequence: number;
  /**
   * Offset of the sequence's first input character in the training text, in characters (code
   * points, the same units as token ids).
   */
  corpusOffset: number;
  /** Input token ids `[n]` (indices into the run's vocabulary). */
  inputs: number[];
  /** Target token ids `[n]`: the true labels. */
  targets: number[];
  /** Argmax predictions `[n]`: the token id the model found most likely at each step. */
  predictions: number[];
  /** Cross-entropy per step `[n]`, in nats: L_t = -ln p_t[targets[t]]. */
  losses: number[];
  /**
   * The parameter whose bars the overview summarises: `weight_hh` when it is itemized, else the
   * first itemized parameter. Always a key of {@link params}.
   */
  primary: string;
  /**
   * Max over steps j of the bar height Σ_t |m[t][j]| of the primary parameter (the overview's
   * value; {@link maxBar}). NaN when any bar is NaN.
   */
  maxGradient: number;
  /**
   * Itemized magnitudes per parameter name: the parameters that entered the cell's step through
   * {@link CellContext.linear} or {@link CellContext.elementwise} (weights and their biases).
   */
  params: Record<string, RecordedParam>;
}

/**
 * Static facts about a run, passed once to {@link Exporter.open} and written at its start by
 * every exporter (`run.json` in a JSON run).
 *
 * @category Exporter plugins
 */
export interface RunInfo {
  /** Run id = the run's folder name under the logdir. */
  runId: string;
  /** ISO time the run started. */
  startedAt: string;
  /** rnnbow version that wrote it. */
  rnnbowVersion: string;
  /** Cell name. */
  cell: string;
  /** Hidden size H. */
  hiddenSize: number;
  /** Sequence length n. */
  seqLength: number;
  /** Sequences per batch B. */
  batchSize: number;
  /** Vocabulary: `vocab[id]` is the character (one code point) of token id `id`. */
  vocab: string[];
  /** Corpus description (source and size). */
  corpus: {
    /** Where the text came from. */
    source: string;
    /** Characters read. */
    chars: number;
    /** Files read. */
    files: number;
  };
  /** Optimizer name and learning rate. */
  optimizer: {
    /** `adagrad` or `adam`. */
    name: string;
    /** Learning rate. */
    lr: number;
    /** Gradient clipping: the largest global L2 norm of an update's gradient. */
    clip: number;
  };
  /** Recorder description, e.g. `periodic(every=100, truncated(k=5))`. */
  recorder: string;
  /** Itemized parameters (the keys a record's `params` can have) and their gates. */
  itemizedParams: {
    /** Parameter name. */
    name: string;
    /** Gate names of its row blocks. */
    gates?: string[];
  }[];
  /** Compute engine and backend used, e.g. `fused:wasm-simd` or `tfjs:wasm (tfjs backend wasm)`. */
  engine: string;
  /** The resolved configuration, for reproduction. */
  config: Record<string, unknown>;
}

/**
 * Scalars of one training batch, passed to {@link Exporter.writeScalars} (absent values were not
 * measured at that batch).
 *
 * @category Exporter plugins
 */
export interface TrainingScalars {
  /** Mean per-character training loss of the batch, in nats. */
  loss: number;
  /**
   * The training loss smoothed over batches (exponential moving average, 0.99 on the past), the
   * figure {@link RunSummary.finalLoss} ends on. One batch's loss is too noisy to compare runs by.
   */
  smoothedLoss?: number;
  /** Mean per-character validation loss, when measured. */
  valLoss?: number;
  /** Training throughput, characters per second, smoothed. */
  charsPerSec?: number;
  /** Global L2 norm of the batch's gradient before clipping. */
  gradNorm?: number;
}

/**
 * How a run ended, passed to {@link Exporter.close} and returned by {@link train}.
 *
 * @category Exporter plugins
 */
export interface RunSummary {
  /** Batches trained by this invocation (a resumed run counts from where it resumed). */
  batches: number;
  /** Last smoothed training loss. */
  finalLoss: number;
  /** The last validation loss measured (absent when none was: no validation text, or no `validateEvery` batch reached). */
  finalValLoss?: number;
  /** Records written by this invocation. */
  records: number;
  /** `completed`, `interrupted` (signal) or `failed` (error, e.g. non-finite loss). */
  status: 'completed' | 'interrupted' | 'failed';
  /** Seconds the training loop ran (absent in runs written before rnnbow recorded it). */
  seconds?: number;
  /** Characters trained per second over the whole loop: batches · B · n / seconds. */
  charsPerSec?: number;
  /**
   * Seconds of `seconds` the training loop spent in each exporter's calls, by exporter name:
   * handing it records, scalars and samples, and waiting for its flushes. For an exporter on its
   * own thread (the built-in ones) that is the hand-off and any wait for room in its queue, so a
   * large share means the exporter, not the model, set the run's pace. Absent in runs written
   * before rnnbow measured it.
   */
  exportSeconds?: Record<string, number>;
  /**
   * Seconds each exporter was at work, by name: on its own thread (the built-in ones: the
   * thread's busy time from opening to the end of training) or, for an exporter on the training
   * thread, the same as `exportSeconds`. Absent in runs written before rnnbow measured it.
   */
  exporterBusySeconds?: Record<string, number>;
  /**
   * `exportSeconds` of all exporters by kind of call: `records`, `scalars`, `samples` and
   * `flushes` (waiting for everything queued to be written). Says which schedule to thin when
   * the exporters set the pace. Absent in runs written before rnnbow measured it.
   */
  exportSecondsByCall?: Record<'records' | 'scalars' | 'samples' | 'flushes', number>;
  /**
   * Batches whose loss was not finite and whose update was skipped (`onNonFinite: 'continue'`);
   * absent when there were none. They count in `batches`.
   */
  skippedBatches?: number;
}
