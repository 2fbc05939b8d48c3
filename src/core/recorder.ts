import type { Reduction } from './engine.js';
import type { BatchRecord } from './record.js';

/** What a recorder asks the engine to itemize for one batch. */
export interface RecordPlan {
  /** Keep distances d <= k; `null` = full itemization. */
  readonly k: number | null;
  /** Measure what the truncation dropped (the paper's S_k error). */
  readonly residual: boolean;
}

/**
 * Decides which batches are itemized and how. Batches it returns `null` for run ordinary BPTT
 * at full speed.
 */
export interface GradientRecorder {
  /** Human-readable description, e.g. `periodic(every=100, truncated(k=5))`. */
  readonly description: string;
  /** The plan for batch `batch` (global index), or `null` to skip recording it. */
  plan(batch: number): RecordPlan | null;
  /**
   * Optional last look at a record before exporters see it: an adaptive recorder may cut it down
   * (e.g. choose k from the measured residual). Must return a valid record.
   */
  finalize?(record: BatchRecord): BatchRecord;
}

/** Options a recorder factory receives: its own options plus a way to build a recorder it wraps. */
export interface RecorderContext {
  /** Builds another registered recorder by spec (how `periodic` wraps `full` or `truncated`). */
  create(spec: RecorderSpec): GradientRecorder;
  /** The run's sequence length n (for recorders that reason about k). */
  readonly seqLength: number;
  /** The run's reduction. */
  readonly reduction: Reduction;
}

/** A recorder by name with its options, as in the run config. */
export interface RecorderSpec {
  /** Registered recorder name (`full`, `truncated`, `periodic`, or a plugin's). */
  readonly name: string;
  /** Options for that recorder (e.g. `{k: 5}`, `{every: 100, inner: {...}}`). */
  readonly options?: Record<string, unknown>;
}

/** Registration of a recorder kind. */
export interface RecorderDefinition {
  /** Name in configs and `--recorder`. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** Builds a recorder; throw a {@link ConfigError} for bad options. */
  create(options: Record<string, unknown>, ctx: RecorderContext): GradientRecorder;
}
