import { availableParallelism } from 'node:os';
import { RnnbowError } from '../../errors.js';

/** Environment variable that sets how many threads a fused engine uses (`auto` = one per core). */
export const THREADS_ENV = 'RNNBOW_THREADS';

/**
 * Threads a fused engine may use for one batch: the engine option when given, else
 * `RNNBOW_THREADS` (a number, or `auto` for one per core), else 1. One is the default because the
 * split only pays when another core is idle: on a busy machine it measured 0.35-0.95x of one
 * thread, on a free one 1.1-1.7x (docs/performance.md).
 */
export function fusedThreadCount(option?: number): number {
  if (option !== undefined) return checkedCount(option, 'the fused engine option "threads"');
  const env = process.env[THREADS_ENV]?.trim();
  if (env === 'auto') return Math.max(1, availableParallelism());
  if (env !== undefined && env !== '') return checkedCount(Number(env), `${THREADS_ENV}=${env}`);
  return 1;
}

function checkedCount(value: number, source: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RnnbowError('CONFIG', `${source} is not a positive whole number of threads`, `use a whole number, or auto for one thread per core`);
  }
  return value;
}
