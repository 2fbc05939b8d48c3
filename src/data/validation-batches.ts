/**
 * The validation set as a fixed list of batches, cut like training batches (see
 * {@link StreamLayout}) so a trainer can carry hidden state through the list in order.
 */
import { ConfigError } from '../core/errors.js';
import type { TokenIds } from './token-ids.js';
import { batchAt, checkBatchShape, streamLayout, type StreamBatch } from './stream-layout.js';

/**
 * Options of {@link validationBatches}.
 *
 * @category Corpus and batches
 */
export interface ValidationBatchOptions {
  /** Sequences per batch (B); fewer when the validation text is too short for B streams. */
  readonly batchSize: number;
  /** Steps per sequence (n). */
  readonly seqLength: number;
  /** Keep at most this many batches (the first ones, so state carries through them); default all. */
  readonly maxBatches?: number;
  /** Added to every reported offset: the corpus offset of the validation text (`validationStart`). */
  readonly baseOffset?: number;
}

/**
 * One epoch of batches over the validation ids, capped at `maxBatches`. When the text is too short
 * for `batchSize` streams of n + 1 characters, the batches have as many streams as fit (their
 * `batchSize` says how many), and when it is shorter than n + 1 there are none: the list is empty,
 * never an error, since validation is optional.
 *
 * @category Corpus and batches
 */
export function validationBatches(ids: TokenIds, options: ValidationBatchOptions): StreamBatch[] {
  const { seqLength } = options;
  const maxBatches = options.maxBatches ?? Infinity;
  if (maxBatches !== Infinity && (!Number.isInteger(maxBatches) || maxBatches < 0)) {
    throw new ConfigError(`validation batch limit must be a non-negative integer, got ${String(maxBatches)}`);
  }
  checkBatchShape(options.batchSize, seqLength);
  const streams = Math.min(options.batchSize, Math.floor((ids.length - 1) / seqLength));
  if (streams < 1) return [];
  const layout = streamLayout(ids.length, streams, seqLength);
  const count = Math.min(layout.batchesPerEpoch, maxBatches);
  const batches: StreamBatch[] = [];
  for (let k = 0; k < count; k++) batches.push(batchAt(ids, layout, k, options.baseOffset ?? 0));
  return batches;
}
