import { expect } from 'vitest';

/**
 * Entry-wise comparison with a floor: |got − want| <= rel · max(|want|, floor · max|want|).
 * A float32 result carries error relative to the largest numbers it was computed from, not to
 * each entry, so the floor keeps tiny entries (a far distance, a cancelling `mean`) from asking
 * for more digits than float32 has, while every entry at or above the floor is held to `rel`.
 * Returns the worst ratio |got − want| / max(|want|, floor · max|want|), for the message.
 */
export function flooredError(got: ArrayLike<number>, want: ArrayLike<number>, floor: number): number {
  if (got.length !== want.length) return Infinity;
  let max = 0;
  for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i]));
  const bottom = Math.max(floor * max, 1e-30);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const e = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), bottom);
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}

/** Asserts {@link flooredError} <= rel, naming what was compared and the error found. */
export function expectFloored(got: ArrayLike<number>, want: ArrayLike<number>, rel: number, floor: number, what: string): void {
  const err = flooredError(got, want, floor);
  expect(err, `${what}: floored relative error ${err.toExponential(2)} (limit ${rel})`).toBeLessThanOrEqual(rel);
}
