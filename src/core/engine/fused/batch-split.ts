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
 * when B is below {@link MIN_THREADED_BATCH}. The split depends only on B and `threads` (and,
 * through {@link lightenPart}, on the itemize request), never on timing, so the fixed-order
 * gradient sum over parts is reproducible.
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

/**
 * The parts with up to `by` sequences of part `index` handed to a neighbour: from its end to the
 * next part, or, when that would take sequence `keep` along (or there is no next part), from
 * its start to the previous part. The part keeps at least one sequence and always keeps `keep`.
 * The thread that itemizes a sequence does that on top of its share; this evens the two out.
 */
export function lightenPart(parts: readonly BatchPart[], index: number, by: number, keep: number): BatchPart[] {
  const out = parts.map((p) => ({ ...p }));
  const p = out[index];
  const moved = Math.max(0, Math.min(Math.floor(by), p.count - 1));
  if (moved === 0) return out;
  if (index + 1 < out.length && keep < p.start + p.count - moved) {
    p.count -= moved;
    out[index + 1].start -= moved;
    out[index + 1].count += moved;
  } else if (index > 0 && keep >= p.start + moved) {
    p.start += moved;
    p.count -= moved;
    out[index - 1].count += moved;
  }
  return out;
}

/**
 * How many sequences' worth of work itemizing one sequence of n steps at distance ≤ k (null:
 * all) adds, for a cell with GH gate rows and a vocabulary of V: its cotangent rows (n(n+1)/2
 * untruncated, about n(k+2) with the residual row, one GH × H product each) against one
 * sequence's plain training (about three GH × H and three V × H products per step), times 1.5
 * for the small, latency-bound products and the bookkeeping (measured at H = 100).
 */
export function itemizationWeight(n: number, k: number | null, GH: number, V: number): number {
  const rowSteps = k === null || k >= n - 1 ? (n * (n + 1)) / 2 : n * (Math.max(0, k) + 2);
  return (1.5 * rowSteps) / (n * 3 * (1 + V / GH));
}
