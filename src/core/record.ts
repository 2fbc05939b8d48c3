import type { Reduction } from './engine.js';

/** The itemized gradient of one parameter in a record; see {@link BatchRecord}. */
export interface RecordedParam {
  /** `byDistance[t][d]`: magnitude of dL_t/dθ at step j = t - d, d = 0..min(t, k). */
  byDistance: number[][];
  /** The same per gate row block, for gated parameters (LSTM i/f/g/o, GRU r/z/n). */
  gates?: Record<string, number[][]>;
  /** `residual[j]`: magnitude of what truncation dropped at step j (losses t > j + k), when measured. */
  residual?: number[];
}

/**
 * Everything recorded about one batch: the unit every exporter writes and the viewer reads.
 * Schema `rnnbow-batch` version 1 (docs/json-schema.md). Non-finite numbers are kept as numbers
 * here; the JSON exporter encodes them as the strings "NaN", "Infinity", "-Infinity".
 */
export interface BatchRecord {
  /** Run this batch belongs to (the run folder's name). */
  runId: string;
  /** Global batch index (0-based), the x-axis of every chart. */
  batch: number;
  /** Seconds since the epoch when the batch was recorded. */
  wallTime: number;
  /** Cell name (`rnn`, `lstm`, `gru`, or a plugin's). */
  cell: string;
  /** Steps in the sequence (n). */
  n: number;
  /** Truncation: distances kept are d <= k; `null` = full itemization. */
  k: number | null;
  /** Reduction that turned each G_{t,j} into a number. */
  reduction: Reduction;
  /** Which sequence of the minibatch was itemized. */
  sequence: number;
  /** Offset of the sequence's first input character in the training text. */
  corpusOffset: number;
  /** Input token ids `[n]` (indices into the run's vocabulary). */
  inputs: number[];
  /** Target token ids `[n]`: the true labels. */
  targets: number[];
  /** Argmax predictions `[n]`. */
  predictions: number[];
  /** Cross-entropy per step `[n]`. */
  losses: number[];
  /** The parameter whose bars the overview summarises (`weight_hh`). */
  primary: string;
  /** Max over steps j of the bar height Σ_t m[t][j] of the primary parameter. */
  maxGradient: number;
  /** Itemized magnitudes per parameter name. */
  params: Record<string, RecordedParam>;
}

/** Static facts about a run, written once at its start by every exporter. */
export interface RunInfo {
  /** Run id = the run's folder name under the logdir. */
  runId: string;
  /** ISO time the run started. */
  startedAt: string;
  /** rnnbow version that wrote it. */
  rnnbowVersion: string;
  /** Cell name. */
  cell: string;
  /** Hidden size. */
  hiddenSize: number;
  /** Sequence length n. */
  seqLength: number;
  /** Sequences per batch B. */
  batchSize: number;
  /** Vocabulary: token id -> character. */
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
    /** Gradient-norm clip. */
    clip: number;
  };
  /** Recorder description, e.g. `periodic(every=100, truncated(k=5))`. */
  recorder: string;
  /** Itemized parameters and their gates. */
  itemizedParams: {
    /** Parameter name. */
    name: string;
    /** Gate names of its row blocks. */
    gates?: string[];
  }[];
  /** Compute engine/backend used. */
  engine: string;
  /** The resolved configuration, for reproduction. */
  config: Record<string, unknown>;
}

/** Per-step scalars a trainer reports (absent values were not measured at that step). */
export interface TrainingScalars {
  /** Mean per-character training loss of the batch. */
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
  /** Global gradient norm before clipping. */
  gradNorm?: number;
}

/** How a run ended. */
export interface RunSummary {
  /** Batches trained. */
  batches: number;
  /** Last smoothed training loss. */
  finalLoss: number;
  /** The last validation loss measured (absent when none was: no validation text, or no `validateEvery` batch reached). */
  finalValLoss?: number;
  /** Records written. */
  records: number;
  /** `completed`, `interrupted` (signal) or `failed` (error, e.g. non-finite loss). */
  status: 'completed' | 'interrupted' | 'failed';
  /** Seconds the training loop ran (absent in runs written before rnnbow recorded it). */
  seconds?: number;
  /** Characters trained per second over the whole loop: batches · B · n / seconds. */
  charsPerSec?: number;
}
