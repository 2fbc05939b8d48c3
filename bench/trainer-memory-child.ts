/**
 * One `train()` run with every default in a process of its own, for {@link benchTrainerMemory}:
 * peak RSS is a process-wide high-water mark, so a run measured inside the bench would only
 * show the earlier sections' peak. Arguments: logdir, characters. The run trains twice that
 * many characters and prints one JSON line of {@link TrainerMemorySample}s (each after a GC,
 * with --expose-gc): once started, after the first half, and at the last batch.
 */
import { train } from '../src/train/trainer.js';
import { peakRss } from './peak-rss.js';

/** Memory at one point of the run. */
export interface TrainerMemorySample {
  /** Batches trained when it was taken. */
  batch: number;
  /** Peak resident set size so far, bytes. */
  peakRss: number;
  /** Resident set size now, bytes. */
  rss: number;
  /** The main thread's V8 heap in use after a GC, bytes. */
  heapUsed: number;
}

/** What the child prints: its samples (three for a whole run), or the error that stopped it. */
export interface TrainerMemoryResult {
  /** Samples once started, at the half and at the end. */
  samples: TrainerMemorySample[];
  /** Characters per sequence (B = 1: characters per batch). */
  seqLength: number;
  /** Characters per second over the second half. */
  charsPerSecond: number;
}

const SEQ_LENGTH = 25;
/** Batches before the first sample: start-up, the first records and validation. */
const STARTED_BATCHES = 2_000;

function sample(batch: number): TrainerMemorySample {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { batch, peakRss: peakRss(), rss: m.rss, heapUsed: m.heapUsed };
}

const [logdir, chars] = [process.argv[2], Number(process.argv[3])];
const half = Math.max(2, Math.ceil(chars / SEQ_LENGTH));
const total = 2 * half;
// A short run (the bench's tests) still takes its first sample before the half.
const started = Math.min(STARTED_BATCHES, Math.floor(half / 2));
const samples: TrainerMemorySample[] = [];
let halfAt = 0;
let endAt = 0;
try {
  await train(
    { cell: 'rnn', batchSize: 1, seqLength: SEQ_LENGTH, logdir, steps: total },
    {
      // Sampled while the run is live (export threads open), between batches.
      onProgress: (p) => {
        if (p.batch === total) endAt = performance.now();
        if (p.batch === started || p.batch === half || p.batch === total) samples.push(sample(p.batch));
        if (p.batch === half) halfAt = performance.now();
      },
    },
  );
  // A run that stopped early (a non-finite loss, say) has fewer samples: the parent says so.
  const result: TrainerMemoryResult = { samples, seqLength: SEQ_LENGTH, charsPerSecond: endAt > halfAt ? (half * SEQ_LENGTH) / ((endAt - halfAt) / 1000) : NaN };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (err) {
  // One line the parent can show: an uncaught error would leave only Node's version as stderr's last line.
  process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
  process.exitCode = 1;
}
