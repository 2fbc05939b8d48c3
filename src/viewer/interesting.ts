/**
 * The "interesting batches" the paper asks for in its discussion (section 6): where to look first
 * in a run of thousands of recorded batches. Pure: it reads records through an accessor.
 */

/** One entry of a list. */
export interface InterestingBatch {
  /** Batch number. */
  batch: number;
  /** The value it is ranked by (max gradient, or truncation residual). */
  value: number;
  /** For the residual list: residual / (residual + kept mass), the share truncation dropped. */
  share?: number;
}

/** The lists, each sorted by descending value (non-finite entries in batch order). */
export interface InterestingLists {
  /** Largest finite max gradients. */
  largest: InterestingBatch[];
  /** Records with a NaN or infinite loss or gradient (the first ones, in batch order). */
  nonFinite: InterestingBatch[];
  /** How many records are non-finite in all. */
  nonFiniteCount: number;
  /** Finite max gradients above `factor` × the median (exploding gradients). */
  exploding: InterestingBatch[];
  /** How many records explode in all. */
  explodingCount: number;
  /** Largest truncation residuals (only for truncated records that measured it). */
  residual: InterestingBatch[];
  /** Median of the finite max gradients (null when there are none). */
  median: number | null;
  /** The exploding threshold factor used. */
  factor: number;
}

/** What the lists need to know about a record. */
export interface InterestingFacts {
  /** Batch number. */
  batch: number;
  /** Max gradient of the chosen series (< 0: series missing). */
  max: number;
  /** Truncation residual of the primary series (NaN: not measured). */
  residual: number;
  /** Kept gradient mass of the primary series. */
  mass: number;
  /** A loss or magnitude is NaN/infinite. */
  nonFinite: boolean;
}

/** Default exploding threshold: 10 × the median max gradient. */
export const EXPLODING_FACTOR = 10;

/** Keeps the `limit` largest entries, sorted descending (ties keep the earlier batch). */
class TopK {
  readonly items: InterestingBatch[] = [];
  constructor(private readonly limit: number) {}
  offer(item: InterestingBatch): void {
    const a = this.items;
    if (a.length === this.limit && item.value <= a[a.length - 1].value) return;
    let i = a.length;
    while (i > 0 && a[i - 1].value < item.value) i--;
    a.splice(i, 0, item);
    if (a.length > this.limit) a.pop();
  }
}

/** Median of the finite, non-negative values (null when there are none). */
export function medianOf(values: Float64Array): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Builds the lists over `count` records read through `factsAt`. */
export function interestingBatches(count: number, factsAt: (r: number) => InterestingFacts, limit = 10, factor = EXPLODING_FACTOR): InterestingLists {
  const finite = new Float64Array(count);
  let nFinite = 0;
  const largest = new TopK(limit);
  const residual = new TopK(limit);
  const nonFinite: InterestingBatch[] = [];
  let nonFiniteCount = 0;
  for (let r = 0; r < count; r++) {
    const f = factsAt(r);
    if (f.nonFinite || (f.max >= 0 && !Number.isFinite(f.max)) || Number.isNaN(f.max)) {
      nonFiniteCount++;
      if (nonFinite.length < limit) nonFinite.push({ batch: f.batch, value: f.max });
      continue;
    }
    if (f.max >= 0) {
      finite[nFinite++] = f.max;
      largest.offer({ batch: f.batch, value: f.max });
    }
    if (Number.isFinite(f.residual)) {
      const total = f.residual + f.mass;
      residual.offer({ batch: f.batch, value: f.residual, share: total > 0 ? f.residual / total : 0 });
    }
  }
  const median = medianOf(finite.subarray(0, nFinite));
  const exploding = new TopK(limit);
  let explodingCount = 0;
  if (median !== null && median > 0) {
    const threshold = factor * median;
    for (let r = 0; r < count; r++) {
      const f = factsAt(r);
      if (!f.nonFinite && Number.isFinite(f.max) && f.max > threshold) {
        explodingCount++;
        exploding.offer({ batch: f.batch, value: f.max });
      }
    }
  }
  return { largest: largest.items, nonFinite, nonFiniteCount, exploding: exploding.items, explodingCount, residual: residual.items, median, factor };
}
