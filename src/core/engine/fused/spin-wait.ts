/**
 * How long a thread polls a control word before it goes to sleep on it. Waking a sleeping
 * thread costs 0.1-0.5 ms on virtual machines (the idle virtual CPU has to be scheduled
 * again), a tenth of a whole batch at B = 32, and both threads of a split batch pay it every
 * batch (the worker to start, the main thread to collect); a thread that polls sees the word
 * move at once. The poll covers the gap between two batches (the optimizer, the next batch's
 * set-up), and a thread with no more work stops polling (and costs nothing) this long after
 * its last job. On the reference machine this took the split vanilla B = 32 batch from
 * 1.2-1.4x to 1.9x one thread.
 */
export const SPIN_MS = 2;

/**
 * Returns once `words[index]` is no longer `value`: polls for up to `spinMs`, then sleeps in
 * `Atomics.wait` until it is notified. With a `deadline` (a `performance.now()` time) it gives up
 * then and returns false; true when the word moved. Pass `spinMs` 0 to sleep at once where the
 * other side needs the core more than this thread needs a quick start (a training thread
 * waiting on a busy export thread).
 */
export function waitWhileEqual(words: Int32Array, index: number, value: number, deadline = Infinity, spinMs = SPIN_MS): boolean {
  const until = performance.now() + spinMs;
  for (let polls = 0; Atomics.load(words, index) === value; polls++) {
    // Reading the clock costs more than reading the word: look at it every 64 polls.
    if ((polls & 63) !== 63) continue;
    const now = performance.now();
    if (now <= until) continue;
    if (now >= deadline) return false;
    Atomics.wait(words, index, value, deadline === Infinity ? undefined : deadline - now);
  }
  return true;
}
