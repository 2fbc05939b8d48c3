import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { waitWhileEqual } from '../../src/core/engine/fused/spin-wait.js';

/** A thread that sets word 0 of `words` to 1 (and notifies) after `ms`. */
function setLater(words: Int32Array, ms: number): Worker {
  const code = `
    const { workerData } = require('node:worker_threads');
    const w = new Int32Array(workerData.buffer);
    setTimeout(() => { Atomics.store(w, 0, 1); Atomics.notify(w, 0); }, workerData.ms);
  `;
  return new Worker(code, { eval: true, workerData: { buffer: words.buffer, ms } });
}

/** CPU milliseconds this process used while `fn` ran, and its wall-clock milliseconds. */
function timed(fn: () => void): { cpuMs: number; wallMs: number } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

describe('waitWhileEqual', () => {
  it('returns when another thread moves the word; with spinMs 0 it sleeps the whole wait instead of polling', async () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    const worker = setLater(words, 150);
    await new Promise((r) => worker.once('online', r));
    const { cpuMs, wallMs } = timed(() => expect(waitWhileEqual(words, 0, 0, Infinity, 0)).toBe(true));
    await worker.terminate();
    expect(words[0]).toBe(1);
    expect(wallMs).toBeGreaterThan(100);
    // Polling would use about the whole wait; sleeping uses next to nothing.
    expect(cpuMs).toBeLessThan(wallMs / 3);
  });

  it('polls for spinMs before it sleeps, and gives up at the deadline', () => {
    const words = new Int32Array(new SharedArrayBuffer(8));
    const { cpuMs, wallMs } = timed(() => expect(waitWhileEqual(words, 0, 0, performance.now() + 150, 80)).toBe(false));
    expect(wallMs).toBeGreaterThanOrEqual(149);
    // About 80 ms of polling, then sleep until the deadline. The bound is loose for a busy
    // machine that takes the core away mid-poll; a wait that ignored spinMs would poll 2 ms.
    expect(cpuMs).toBeGreaterThan(10);
    expect(cpuMs).toBeLessThan(wallMs);
  });
});
