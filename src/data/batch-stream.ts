/**
 * The training batches of a run, in order, epoch after epoch (see {@link StreamLayout} for how they
 * are cut).
 */
import { SeededRandom } from '../core/random.js';
import type { TokenIds } from './token-ids.js';
import { batchAt, streamLayout, minimumCorpusChars, type StreamBatch, type StreamLayout } from './stream-layout.js';

/**
 * Options of a {@link BatchStream}.
 *
 * @category Corpus and batches
 */
export interface BatchStreamOptions {
  /** Sequences per batch (B). */
  readonly batchSize: number;
  /** Steps per sequence (n). */
  readonly seqLength: number;
  /**
   * Start the streams at a seeded random offset in `[0, n - 1]` instead of 0, so runs with different
   * seeds see the text cut into different windows. Default false: the batches then do not depend
   * on the seed at all.
   */
  readonly randomStart?: boolean;
  /** Seed of the random start offset (only used with `randomStart`); default 0. */
  readonly seed?: number;
  /** Added to every reported offset, when `ids` do not begin at corpus offset 0. Default 0. */
  readonly baseOffset?: number;
}

/**
 * An endless, deterministic sequence of training batches: B parallel contiguous streams through the
 * token ids, each advancing n characters per batch; targets are the inputs shifted by one. After
 * `batchesPerEpoch` batches the epoch counter goes up and the streams restart. Batches can also be
 * fetched by global index ({@link at}) or the stream moved ({@link seek}), so a resumed run gets
 * exactly the batches it would have had.
 *
 * Throws a `CorpusError` (saying how many characters are needed) when the ids are shorter than
 * B n + 1 (n + 1 for a single stream).
 *
 * @category Corpus and batches
 */
export class BatchStream {
  /** Where the streams lie. */
  readonly layout: StreamLayout;
  private readonly ids: TokenIds;
  private readonly baseOffset: number;
  private nextIndex = 0;

  constructor(ids: TokenIds, options: BatchStreamOptions) {
    const { batchSize, seqLength } = options;
    let start = 0;
    if (options.randomStart) {
      // Checked first so that a too-short text gets the ordinary message rather than a bad offset.
      streamLayout(ids.length, batchSize, seqLength);
      const slack = ids.length - minimumCorpusChars(batchSize, seqLength);
      start = new SeededRandom(options.seed ?? 0).int(Math.min(seqLength - 1, slack) + 1);
    }
    this.layout = streamLayout(ids.length, batchSize, seqLength, start);
    this.ids = ids;
    this.baseOffset = options.baseOffset ?? 0;
  }

  /** Batches in one epoch. */
  get batchesPerEpoch(): number {
    return this.layout.batchesPerEpoch;
  }

  /** Global index of the batch {@link next} returns. */
  get position(): number {
    return this.nextIndex;
  }

  /** Epoch of the batch {@link next} returns (0-based). */
  get epoch(): number {
    return Math.floor(this.nextIndex / this.layout.batchesPerEpoch);
  }

  /** The next batch; advances the stream. */
  next(): StreamBatch {
    return this.at(this.nextIndex++);
  }

  /** Batch `index` (global, epochs wrap), without moving the stream. */
  at(index: number): StreamBatch {
    return batchAt(this.ids, this.layout, index, this.baseOffset);
  }

  /** Makes batch `index` the next one (resuming a run). */
  seek(index: number): void {
    this.at(index); // validates the index
    this.nextIndex = index;
  }
}
