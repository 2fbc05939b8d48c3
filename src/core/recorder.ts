import type { Reduction } from './engine.js';
import type { BatchRecord } from './record.js';

/**
 * What a recorder asks the engine to itemize for one batch, returned by
 * {@link GradientRecorder.plan}. The engine itemizes one sequence of the batch (the run's
 * `recordSequence`) and the result reaches exporters as a {@link BatchRecord}.
 *
 * @category Recorder plugins
 */
export interface RecordPlan {
  /**
   * Keep distances d = t - j <= k, an integer >= 0 (cost O(n k H²) per sequence); `null` = full
   * itemization (O(n² H²)). A k >= n - 1 keeps every distance and is recorded as `null`.
   */
  readonly k: number | null;
  /**
   * Also measure, at each step j, what the truncation dropped: the gradient from losses t > j + k
   * (the paper's S_k error), stored as {@link RecordedParam.residual}. Ignored when the plan is
   * full, since nothing is dropped.
   */
  readonly residual: boolean;
}

/**
 * Decides which batches are itemized and how. Batches it returns `null` for run ordinary BPTT
 * at full speed, so the schedule sets a run's recording cost. Built by a
 * {@link RecorderDefinition}; the built-ins are {@link fullRecorder}, {@link truncatedRecorder}
 * and {@link periodicRecorder}.
 *
 * @category Recorder plugins
 */
export interface GradientRecorder {
  /** Human-readable description, e.g. `periodic(every=100, truncated(k=5))`. */
  readonly description: string;
  /**
   * The plan for batch `batch`, or `null` to skip recording it. Called once per trained batch, in
   * order (a recorder wrapped by `periodic` only for the batches that picks); `batch` is the
   * global 0-based index, so a resumed run continues from where it stopped rather than from 0.
   */
  plan(batch: number): RecordPlan | null;
  /**
   * Optional last look at a record before exporters see it: an adaptive recorder may cut it down
   * (e.g. choose k from the measured residual, as plugins/adaptive-k-recorder does). Must return
   * a valid record: `primary` must name an entry of `params`, each with a `byDistance` matrix (a
   * plugin's record that is not is refused with a {@link PluginError}).
   */
  finalize?(record: BatchRecord): BatchRecord;
}

/**
 * What a recorder factory ({@link RecorderDefinition.create}) receives next to its options: the
 * run's facts, and a way to build a recorder it wraps.
 *
 * @category Recorder plugins
 */
export interface RecorderContext {
  /** Builds another registered recorder by spec (how `periodic` wraps `full` or `truncated`). */
  create(spec: RecorderSpec): GradientRecorder;
  /** The run's sequence length n (for recorders that reason about k). */
  readonly seqLength: number;
  /** The run's reduction: how the engine turns each G_{t,j} into the numbers a record holds. */
  readonly reduction: Reduction;
}

/**
 * A recorder by name with its options, as in the run config.
 *
 * @category Recorder plugins
 */
export interface RecorderSpec {
  /** Registered recorder name (`full`, `truncated`, `periodic`, or a plugin's). */
  readonly name: string;
  /** Options for that recorder (e.g. `{k: 5}`, `{every: 100, inner: {...}}`); default `{}`. */
  readonly options?: Record<string, unknown>;
}

/**
 * Registration of a recorder kind: a name and a factory that builds a {@link GradientRecorder}
 * for one run from the options in the run config (`recorder: {name, options}`) or the CLI's
 * flags. Pass it to {@link definePlugin} in `recorders`. On the command line `--recorder NAME`
 * wraps it in `periodic` (every 100th batch) unless `--every 1` is given, and
 * `--recorder-opt key=value` arrives in `options` with numbers and `true`/`false` already parsed.
 *
 * @example Record every batch whose index is a power of two, truncated at k
 * ```ts
 * import { ConfigError, type RecorderDefinition } from 'rnnbow';
 *
 * export const powersOfTwo: RecorderDefinition = {
 *   name: 'powers-of-two',
 *   description: 'itemize batches 1, 2, 4, 8, ... truncated at k (option k, default 5)',
 *   create(options) {
 *     const k = options.k ?? 5;
 *     if (typeof k !== 'number' || !Number.isInteger(k) || k < 0) {
 *       throw new ConfigError(`recorder "powers-of-two": option "k" must be an integer >= 0, got ${JSON.stringify(k)}`);
 *     }
 *     return {
 *       description: `powers-of-two(k=${k})`,
 *       plan: (batch) => (batch > 0 && (batch & (batch - 1)) === 0 ? { k, residual: true } : null),
 *     };
 *   },
 * };
 * ```
 *
 * @category Recorder plugins
 */
export interface RecorderDefinition {
  /** Name in configs and `--recorder`; must not clash with a built-in's or another plugin's. */
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /**
   * Builds a recorder for one run. `options` is what the config gave (`{}` when none); validate
   * it here, throwing a {@link ConfigError} for unknown or bad options, so a typo stops the run
   * before training starts rather than recording the wrong batches.
   */
  create(options: Record<string, unknown>, ctx: RecorderContext): GradientRecorder;
}
