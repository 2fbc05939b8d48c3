import cliProgress from 'cli-progress';
import type { TrainingProgress } from '../train/trainer.js';

/** Something that shows training progress and can print lines without garbling it. */
export interface ProgressView {
  /** Updates the bar. */
  update(p: TrainingProgress): void;
  /** Prints a line above the bar. */
  log(line: string): void;
  /** Removes the bar. */
  stop(): void;
}

/** Where a run stands against whichever of its limits (batches or time) will end it first. */
export interface ProgressEstimate {
  /** True when the time budget ends the run first (or is its only limit). */
  readonly timed: boolean;
  /** Share of the run done, 0..1. */
  readonly fraction: number;
  /** Seconds left, or `Infinity` while there is no rate to go by. */
  readonly etaSeconds: number;
}

/**
 * Which limit ends the run first and how far it is. A run with both `--steps` and `--max-seconds`
 * stops at whichever comes first, so the bar must not promise hours of batches when the time
 * budget ends it in seconds.
 *
 * @param batchesPerSec recent training speed (0 while unknown)
 */
export function estimateProgress(p: TrainingProgress, maxSeconds: number | undefined, batchesPerSec: number): ProgressEstimate {
  const timeLeft = maxSeconds === undefined ? Infinity : Math.max(0, maxSeconds - p.elapsed);
  const batchesLeft = Number.isFinite(p.total) ? Math.max(0, p.total - p.batch) : Infinity;
  const batchEta = batchesLeft === 0 ? 0 : batchesPerSec > 0 ? batchesLeft / batchesPerSec : Infinity;
  // With no rate yet, a run that has a batch total shows batches until the rate says otherwise.
  const timed = maxSeconds !== undefined && (!Number.isFinite(p.total) || timeLeft < batchEta);
  if (timed) return { timed, fraction: maxSeconds > 0 ? Math.min(1, p.elapsed / maxSeconds) : 1, etaSeconds: timeLeft };
  return { timed, fraction: p.total > 0 ? Math.min(1, p.batch / p.total) : 1, etaSeconds: batchEta };
}

/** `45s`, `3m05s`, `2h50m`; `--` while unknown. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Updates over which the training speed is averaged (as cli-progress's own ETA buffer did). */
const RATE_WINDOW = 50;

/**
 * A progress bar (loss, chars/s, ETA) on a terminal; on a pipe or in CI, a plain line every few
 * seconds instead, so logs stay readable. `maxSeconds` is the run's time budget, if any, whether
 * or not a batch total bounds it too: the bar and its ETA follow whichever limit comes first.
 */
export function createProgressView(maxSeconds?: number, stream: NodeJS.WriteStream = process.stderr): ProgressView {
  if (!stream.isTTY) {
    let last = 0;
    return {
      update(p) {
        const now = Date.now();
        if (now - last < 5000 && p.batch !== p.total) return;
        last = now;
        const of = Number.isFinite(p.total) ? `/${p.total}` : '';
        stream.write(`batch ${p.batch}${of}  loss ${p.loss.toFixed(4)}  ${Math.round(p.charsPerSec)} chars/s  ${p.records} records  ${p.elapsed.toFixed(0)}s\n`);
      },
      log: (line) => stream.write(line + '\n'),
      stop() {},
    };
  }
  // The bar runs 0..STEPS in either mode; the text beside it says batches or seconds. The ETA is
  // ours ({timeLeft}): cli-progress's own {eta} knows only the bar's value, not which limit ends the run.
  const STEPS = 1000;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `{bar} {percentage}% | {limit} | loss {loss} | {cps} chars/s | {records} records | ETA {timeLeft}`,
      hideCursor: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const recent: { elapsed: number; batch: number }[] = [];
  let started = false;
  return {
    update(p) {
      recent.push({ elapsed: p.elapsed, batch: p.batch });
      if (recent.length > RATE_WINDOW) recent.shift();
      const span = p.elapsed - recent[0].elapsed;
      const rate = span > 0 ? (p.batch - recent[0].batch) / span : 0;
      const est = estimateProgress(p, maxSeconds, rate);
      const payload = {
        limit: est.timed ? `${p.elapsed.toFixed(0)}s/${maxSeconds}s` : `batch ${p.batch}/${p.total}`,
        loss: Number.isFinite(p.loss) ? p.loss.toFixed(4) : String(p.loss),
        cps: Math.round(p.charsPerSec),
        records: p.records,
        timeLeft: formatEta(est.etaSeconds),
      };
      const value = Math.round(est.fraction * STEPS);
      if (!started) {
        bar.start(STEPS, value, payload);
        started = true;
      } else bar.update(value, payload);
    },
    log(line) {
      if (started) {
        stream.write('\r\x1b[K' + line + '\n');
        bar.render();
      } else stream.write(line + '\n');
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
