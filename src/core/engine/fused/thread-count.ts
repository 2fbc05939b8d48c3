import { availableParallelism, loadavg } from 'node:os';
import { RnnbowError } from '../../errors.js';

/** Environment variable that sets how many threads a fused engine uses (`auto` = one per core). */
export const THREADS_ENV = 'RNNBOW_THREADS';

/**
 * Threads a fused engine may use for one batch: the engine option when given, else
 * `RNNBOW_THREADS` (a number, or `auto` for one per core), else {@link idleCoreThreads}.
 */
export function fusedThreadCount(option?: number): number {
  if (option !== undefined) return checkedCount(option, 'the fused engine option "threads"');
  const env = process.env[THREADS_ENV]?.trim();
  if (env === 'auto') return Math.max(1, availableParallelism());
  if (env !== undefined && env !== '') return checkedCount(Number(env), `${THREADS_ENV}=${env}`);
  return idleCoreThreads();
}

/**
 * As many threads as cores look free when the engine is made: the cores minus the 1-minute load
 * average of *other* processes (the load less this process's own average CPU use). The split
 * only pays when cores are free: on an idle 2-core machine two threads run B = 32 at 1.7-1.9x
 * one thread; on a busy one they measured 0.35-0.95x (docs/performance.md).
 */
export function idleCoreThreads(cores = availableParallelism(), load = loadavg()[0], ownLoad = ownCpuLoad()): number {
  const others = Math.max(0, load - ownLoad);
  return Math.max(1, Math.min(cores, Math.round(cores - others)));
}

/** This process's average CPU use since it started, in cores (all threads). */
function ownCpuLoad(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6 / Math.max(1, process.uptime());
}

function checkedCount(value: number, source: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RnnbowError('CONFIG', `${source} is not a positive whole number of threads`, `use a whole number, or auto for one thread per core`);
  }
  return value;
}
