import { availableParallelism } from 'node:os';
import { RnnbowError } from '../../errors.js';

/** Environment variable that sets how many threads a fused engine uses (`1` turns threading off). */
export const THREADS_ENV = 'RNNBOW_THREADS';

/**
 * Threads a fused engine may use for one batch: the engine option when given, else
 * `RNNBOW_THREADS`, else the machine's core count. Always at least 1.
 */
export function fusedThreadCount(option?: number): number {
  if (option !== undefined) return checkedCount(option, 'the fused engine option "threads"');
  const env = process.env[THREADS_ENV];
  if (env !== undefined && env.trim() !== '') return checkedCount(Number(env), `${THREADS_ENV}=${env}`);
  return Math.max(1, availableParallelism());
}

function checkedCount(value: number, source: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RnnbowError('CONFIG', `${source} is not a positive whole number of threads`, `use 1 to train on one thread, or leave it unset to use every core`);
  }
  return value;
}
