/** A contiguous run of sequences of a batch: `count` sequences from `start`. */
export interface BatchPart {
  /** First sequence of the part. */
  readonly start: number;
  /** Sequences in the part. */
  readonly count: number;
}

/** Smallest batch the fused engine splits across threads (smaller ones are not worth a hand-off). */
export const MIN_THREADED_BATCH = 8;

/** Fewest sequences one thread gets: below this a part's products are too small to pay for the hand-off. */
export const MIN_SEQUENCES_PER_THREAD = 4;

/**
 * How a batch of B sequences splits over at most `threads` threads: contiguous parts in
 * sequence order, sizes differing by at most one (the later parts take the extra sequences,
 * since part 0 usually runs on the main thread, which also reduces the gradients). One part
 * when B is below {@link MIN_THREADED_BATCH}. The split depends only on B and `threads`, never
 * on timing, so the fixed-order gradient sum over parts is reproducible.
 */
export function splitBatch(B: number, threads: number): BatchPart[] {
  const parts = B < MIN_THREADED_BATCH ? 1 : Math.max(1, Math.min(Math.floor(threads), Math.floor(B / MIN_SEQUENCES_PER_THREAD)));
  const base = Math.floor(B / parts);
  const extra = B - base * parts;
  const out: BatchPart[] = [];
  let start = 0;
  for (let p = 0; p < parts; p++) {
    const count = base + (p >= parts - extra ? 1 : 0);
    out.push({ start, count });
    start += count;
  }
  return out;
}
