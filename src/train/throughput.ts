/**
 * Training throughput in characters per second for the progress bar and the `perf/chars_per_sec`
 * scalar: the plain average until a full second has passed, then an exponential average over
 * one-second windows, so the figure settles quickly and then follows changes (e.g. a slower
 * recorded batch) without jumping.
 */
export class ThroughputMeter {
  private windowStart: number;
  private windowChars = 0;
  private totalChars = 0;
  private rate = 0;
  /** True once the first one-second window has closed. */
  private windowed = false;

  /** @param start when the measurement starts, in `performance.now()` milliseconds (default: now) */
  constructor(private readonly start = performance.now()) {
    this.windowStart = start;
  }

  /** Records `chars` more characters processed; returns the current rate. */
  add(chars: number, now = performance.now()): number {
    this.totalChars += chars;
    this.windowChars += chars;
    if (now - this.windowStart > 1000) {
      const windowRate = (this.windowChars * 1000) / (now - this.windowStart);
      // The first window's average seeds the exponential one; seeding it with the first
      // batch (start-up, compilation) kept the figure far too low for several seconds.
      this.rate = this.windowed ? 0.7 * this.rate + 0.3 * windowRate : windowRate;
      this.windowed = true;
      this.windowStart = now;
      this.windowChars = 0;
    } else if (!this.windowed && now > this.start) {
      this.rate = (this.totalChars * 1000) / (now - this.start);
    }
    return this.rate;
  }

  /** The current rate (0 before anything was measured). */
  get charsPerSec(): number {
    return this.rate;
  }

  /** Seconds since the meter was created. */
  elapsedSeconds(now = performance.now()): number {
    return (now - this.start) / 1000;
  }
}
