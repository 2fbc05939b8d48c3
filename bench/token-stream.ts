import type { Batch } from '../src/core/engine.js';
import { SeededRandom } from '../src/core/random.js';

/**
 * B parallel streams over one long random token sequence, cut into batches of n steps the way a
 * character-level trainer reads a corpus (targets are the next token). The batch object and its
 * arrays are reused, so the loop that consumes them allocates nothing.
 */
export class TokenStream {
  /** The batch the last {@link TokenStream.next} filled. */
  readonly batch: Batch;
  private readonly tokens: Int32Array;
  private readonly starts: number[];
  private readonly span: number;
  private step = 0;

  constructor(
    vocab: number,
    readonly batchSize: number,
    readonly length: number,
    size = 1 << 20,
    seed = 1,
  ) {
    const rng = new SeededRandom(seed);
    this.tokens = Int32Array.from({ length: size }, () => rng.int(vocab));
    const span = Math.floor((size - 1) / batchSize);
    this.starts = Array.from({ length: batchSize }, (_, b) => b * span);
    this.batch = { batchSize, length, inputs: new Int32Array(batchSize * length), targets: new Int32Array(batchSize * length) };
    this.span = span;
  }

  /** Fills {@link TokenStream.batch} with the next n steps of every stream. */
  next(): Batch {
    const { batchSize: B, length: n } = this;
    const offset = (this.step * n) % (this.span - n);
    for (let b = 0; b < B; b++) {
      const at = this.starts[b] + offset;
      for (let j = 0; j < n; j++) {
        this.batch.inputs[b * n + j] = this.tokens[at + j];
        this.batch.targets[b * n + j] = this.tokens[at + j + 1];
      }
    }
    this.step++;
    return this.batch;
  }
}
