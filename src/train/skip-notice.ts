/**
 * What a run with `onNonFinite: 'continue'` says about the batches it skips. A model that has
 * diverged can make every batch non-finite, thousands a second at the paper's setting: a line
 * for each would bury everything else, so the first is said at once and the rest as a count.
 */

/** Least seconds between two lines about skipped batches after the first. */
export const SKIP_NOTICE_SECONDS = 10;

/** Counts the batches a run skips and says which ones are worth a line (see {@link SkipNotices.skip}). */
export class SkipNotices {
  /** Batches skipped so far. */
  skipped = 0;
  private lastSaid = -Infinity;
  private toldAt = 0;

  /** @param now clock in milliseconds (tests) */
  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Counts batch `batch`, whose loss was `loss`, as skipped. Returns the line to say: the first
   * skip's, then one at most every {@link SKIP_NOTICE_SECONDS} with the count since the last
   * line; null for the skips in between.
   */
  skip(batch: number, loss: number): string | null {
    this.skipped++;
    const at = this.now();
    if (this.skipped === 1) {
      this.lastSaid = at;
      this.toldAt = 1;
      return `batch ${batch}: loss is ${loss}; skipping the update and resetting the state (--on-non-finite continue; ` +
        `later skips are counted, with a line at most every ${SKIP_NOTICE_SECONDS} s)`;
    }
    if (at - this.lastSaid < SKIP_NOTICE_SECONDS * 1000) return null;
    const since = this.skipped - this.toldAt;
    this.lastSaid = at;
    this.toldAt = this.skipped;
    return `batch ${batch}: loss is ${loss}; ${since.toLocaleString('en-US')} more batch${since === 1 ? '' : 'es'} skipped, ${this.skipped.toLocaleString('en-US')} in all`;
  }
}
