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

/**
 * A progress bar (loss, chars/s, ETA) on a terminal; on a pipe or in CI, a plain line every few
 * seconds instead, so logs stay readable.
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
  const timed = maxSeconds !== undefined;
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `{bar} {percentage}% | ${timed ? '{elapsedS}s/{total}s' : 'batch {value}/{total}'} | loss {loss} | {cps} chars/s | {records} records | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const total = timed ? maxSeconds : p.total;
      const value = timed ? Math.min(p.elapsed, maxSeconds) : p.batch;
      const payload = { loss: Number.isFinite(p.loss) ? p.loss.toFixed(4) : String(p.loss), cps: Math.round(p.charsPerSec), records: p.records, elapsedS: p.elapsed.toFixed(0) };
      if (!started) {
        bar.start(total, value, payload);
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
