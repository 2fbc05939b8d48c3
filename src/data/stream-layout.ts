/**
 * How minibatches are cut from a token sequence, as char-rnn does it: the text is split into B
 * equal contiguous streams, and batch k holds the k-th window of n characters of every stream.
 * Sequence b of batch k+1 continues exactly where sequence b of batch k stopped, so a trainer can
 * carry each stream's hidden state from batch to batch.
 */
import type { Batch } from '../core/engine.js';
import { ConfigError, CorpusError } from '../core/errors.js';
import type { TokenIds } from './token-ids.js';

/**
 * Where the B streams lie in a token sequence.
 *
 * @category Corpus and batches
 */
export interface StreamLayout {
  /** Sequences per batch (B), one per stream. */
  readonly batchSize: number;
  /** Steps per sequence (n). */
  readonly seqLength: number;
  /** Offset of stream 0's first character in the token sequence. */
  readonly start: number;
  /** Input characters per stream (L = floor((length - start - 1) / B)); stream b starts at start + b L. */
  readonly streamLength: number;
  /** Full windows per stream, floor(L / n): the batches of one epoch. */
  readonly batchesPerEpoch: number;
}

/**
 * A batch together with where its sequences come from.
 *
 * @category Corpus and batches
 */
export interface StreamBatch {
  /** Inputs and targets (targets = the next character of each input). */
  readonly batch: Batch;
  /** Offset of each sequence's first input character (`[B]`), in corpus characters. */
  readonly offsets: Int32Array;
  /** Epoch of this batch, 0-based. */
  readonly epoch: number;
  /**
   * Index of this batch within its epoch. At 0 every stream jumps back to its start, so hidden
   * state carried from the previous batch no longer continues the text.
   */
  readonly indexInEpoch: number;
  /** Global index of this batch since the first (epoch * batchesPerEpoch + indexInEpoch). */
  readonly index: number;
}

/** Characters needed for B streams of n steps: B n inputs plus one more target. */
export function minimumCorpusChars(batchSize: number, seqLength: number): number {
  return batchSize * seqLength + 1;
}

/** Checks that the batch size B and sequence length n are positive integers ({@link ConfigError} if not). */
export function checkBatchShape(batchSize: number, seqLength: number): void {
  for (const [name, value] of [['batch size', batchSize], ['sequence length', seqLength]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`${name} must be a positive integer, got ${String(value)}`);
    }
  }
}

/**
 * The layout of B streams of n-step windows over `length` tokens, beginning at `start`. Throws a
 * {@link CorpusError} saying how many characters are needed when `length - start < B n + 1`.
 */
export function streamLayout(length: number, batchSize: number, seqLength: number, start = 0): StreamLayout {
  checkBatchShape(batchSize, seqLength);
  const usable = length - start;
  const needed = minimumCorpusChars(batchSize, seqLength);
  if (usable < needed) {
    const what =
      batchSize === 1
        ? `a sequence of ${seqLength} steps needs at least ${needed} characters (n + 1)`
        : `${batchSize} sequences of ${seqLength} steps need at least ${needed} characters (B n + 1)`;
    throw new CorpusError(
      `the training text has ${usable} characters; ${what}`,
      'use a longer corpus (or a higher --max-chars), or lower the batch size, the sequence length or the validation fraction',
    );
  }
  const streamLength = Math.floor((usable - 1) / batchSize);
  return { batchSize, seqLength, start, streamLength, batchesPerEpoch: Math.floor(streamLength / seqLength) };
}

/**
 * Batch `index` of the layout over `ids` (epochs wrap around). `baseOffset` is added to the
 * reported offsets, for ids that are a piece of a longer corpus (the validation tail).
 */
export function batchAt(ids: TokenIds, layout: StreamLayout, index: number, baseOffset = 0): StreamBatch {
  if (!Number.isInteger(index) || index < 0) throw new ConfigError(`batch index must be a non-negative integer, got ${String(index)}`);
  const { batchSize: B, seqLength: n, start, streamLength, batchesPerEpoch } = layout;
  const epoch = Math.floor(index / batchesPerEpoch);
  const indexInEpoch = index - epoch * batchesPerEpoch;
  const inputs = new Int32Array(B * n);
  const targets = new Int32Array(B * n);
  const offsets = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const from = start + b * streamLength + indexInEpoch * n;
    inputs.set(ids.subarray(from, from + n), b * n);
    targets.set(ids.subarray(from + 1, from + n + 1), b * n);
    offsets[b] = baseOffset + from;
  }
  return { batch: { batchSize: B, length: n, inputs, targets }, offsets, epoch, indexInEpoch, index };
}
