/** Small statistics and timing helpers shared by the benchmark sections. */

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Runs `fn` `runs` times after `warmup` untimed calls and returns each call's result. */
export function repeat<T>(runs: number, warmup: number, fn: () => T): T[] {
  for (let i = 0; i < warmup; i++) fn();
  return Array.from({ length: runs }, fn);
}

/** Seconds elapsed while `fn` runs. */
export function seconds(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
