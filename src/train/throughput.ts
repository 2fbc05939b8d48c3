/**
 * Training throughput in characters per second for the progress bar and the `perf/chars_per_sec`
 * scalar: the plain average until a full second has passed, then an exponential average over
 * one-second windows, so the figure settles quickly and then follows changes (e.g. a slower
 * recorded batch) without jumping.
 */
export class ThroughputMeter {
  private readonly start = performance.now();
  private windowStart = this.start;
  private windowChars = 0;
  private totalChars = 0;
  private rate = 0;

  /** Records `chars` more characters processed; returns the current rate. */
  add(chars: number, now = performance.now()): number {
    this.totalChars += chars;
    this.windowChars += chars;
    if (!this.rate && now > this.start) this.rate = (this.totalChars * 1000) / (now - this.start);
    if (now - this.windowStart > 1000) {
      this.rate = 0.7 * this.rate + 0.3 * ((this.windowChars * 1000) / (now - this.windowStart));
      this.windowStart = now;
      this.windowChars = 0;
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
