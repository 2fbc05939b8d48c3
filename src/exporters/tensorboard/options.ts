import { z } from 'zod';
import { configIssues, describeIssue } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { knownOptions } from '../../core/options.js';
import { DEFAULT_HORIZON_FRACTION } from './horizon.js';

/**
 * Options of the TensorBoard exporter (`exporters: [{name: "tensorboard", options: {...}}]`).
 * Every field is optional there; unknown keys and out-of-range values throw a {@link ConfigError}.
 *
 * @category TensorBoard event files
 */
export interface TensorBoardOptions {
  /** Flush buffered events at least this often, in ms (0: only on flush/close/full buffer); default 5000. */
  flushIntervalMs: number;
  /** Flush as soon as this many bytes are buffered (at least 1024); default 1 MiB. */
  maxPendingBytes: number;
  /** Write the heatmap and stacked-bar PNGs of each recorded batch (Images dashboard); default true. */
  images: boolean;
  /** Write the labels-vs-predictions table of each recorded batch (Text dashboard); default true. */
  predictionsText: boolean;
  /**
   * Fraction of the local magnitude that bounds the horizon length (`rnnbow/horizon`), in
   * (0, 1); default 0.1. The horizon of loss t is the largest distance d at which its gradient
   * is still above this fraction of its local gradient (d = 0); the summary is the mean over t.
   */
  horizonFraction: number;
}

/**
 * Bytes an event file buffers before it is written without waiting for the flush interval: 1 MiB.
 * Recording every batch buffers 17 MB a second; with 8 MiB, each write first copied that much
 * into one buffer, and the TensorBoard thread rendered 10-15% fewer records a second.
 *
 * @category TensorBoard event files
 */
export const DEFAULT_MAX_PENDING_BYTES = 1024 * 1024;

/**
 * Defaults of {@link TensorBoardOptions}.
 *
 * @category TensorBoard event files
 */
export const DEFAULT_TENSORBOARD_OPTIONS: TensorBoardOptions = {
  flushIntervalMs: 5000,
  maxPendingBytes: DEFAULT_MAX_PENDING_BYTES,
  images: true,
  predictionsText: true,
  horizonFraction: DEFAULT_HORIZON_FRACTION,
};

const schema = z
  .object({
    flushIntervalMs: z.number().int().min(0),
    maxPendingBytes: z.number().int().min(1024),
    images: z.boolean(),
    predictionsText: z.boolean(),
    horizonFraction: z.number().gt(0).lt(1),
  })
  .partial()
  .strict();

/** Validates exporter options; unknown keys and bad values are a {@link ConfigError}. */
export function parseTensorBoardOptions(options: Record<string, unknown>): TensorBoardOptions {
  // Same wording as every built-in part for a typo, before the schema judges the values.
  knownOptions('exporter "tensorboard"', options ?? {}, Object.keys(DEFAULT_TENSORBOARD_OPTIONS));
  const parsed = schema.safeParse(options ?? {});
  // Every bad value at once, worded as the run config's are: `flushIntervalMs must be >= 0`.
  if (!parsed.success) throw new ConfigError(`exporter "tensorboard": ${configIssues(parsed.error).map((i) => describeIssue(i)).join('; ')}`);
  return { ...DEFAULT_TENSORBOARD_OPTIONS, ...parsed.data };
}
