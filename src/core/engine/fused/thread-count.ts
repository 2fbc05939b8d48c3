import { availableParallelism, cpus, loadavg } from 'node:os';
import { RnnbowError } from '../../errors.js';

/** Environment variable that sets how many threads a fused engine uses (`auto` = one per core). */
export const THREADS_ENV = 'RNNBOW_THREADS';

/**
 * The thread count the engine option or `RNNBOW_THREADS` sets (a number, or `auto` for one per
 * core; checked: a bad value is a RnnbowError), or null when neither does and the idle cores
 * decide ({@link idleCoreThreads}, which the engine consults at its first batch big enough to split).
 */
export function explicitThreadCount(option?: number): number | null {
  if (option !== undefined) return checkedCount(option, 'the fused engine option "threads"');
  const env = process.env[THREADS_ENV]?.trim();
  if (env === 'auto') return Math.max(1, availableParallelism());
  if (env !== undefined && env !== '') return checkedCount(Number(env), `${THREADS_ENV}=${env}`);
  return null;
}

/** How long {@link busyCoresNow} watches the cores, in milliseconds. */
export const CPU_SAMPLE_MS = 60;

/**
 * As many threads as cores look free: the cores minus what *other* processes keep busy. The
 * split only pays when cores are free: on an idle 2-core machine two threads run B = 32 at
 * 1.7-1.9x one thread; on a busy one they measured 0.35-0.95x (docs/performance.md).
 *
 * The first estimate is the 1-minute load average less this process's own average CPU use. It
 * trails by a minute or more: right after a job ends it still counts that job (a run started
 * then got one thread for good, 0.6x). So when it says a core is taken, the cores are also
 * watched for {@link CPU_SAMPLE_MS} ({@link busyCoresNow}) and the smaller of the two counts.
 */
export function idleCoreThreads(cores = availableParallelism(), load = loadavg()[0], ownLoad = ownCpuLoad(), busyNow: () => number = busyCoresNow): number {
  const threads = (others: number) => Math.max(1, Math.min(cores, Math.round(cores - others)));
  const byLoad = Math.max(0, load - ownLoad);
  if (threads(byLoad) >= cores) return cores;
  return threads(Math.min(byLoad, busyNow()));
}

/**
 * Cores kept busy by other processes over the next `ms` milliseconds: the machine's busy CPU
 * time in that window (os.cpus(), all processes) less this process's own, per millisecond. This
 * thread sleeps meanwhile; the kernel counts in 10 ms ticks, so the answer is good to about a
 * tenth of a core at the default window.
 */
export function busyCoresNow(ms = CPU_SAMPLE_MS): number {
  const busyMs = () => cpus().reduce((sum, c) => sum + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0);
  const before = busyMs();
  const own = process.cpuUsage();
  const start = performance.now();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  const elapsed = Math.max(1, performance.now() - start);
  const ownUse = process.cpuUsage(own);
  const ownMs = (ownUse.user + ownUse.system) / 1000;
  return Math.max(0, (busyMs() - before - ownMs) / elapsed);
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
