import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { RnnbowError } from '../core/errors.js';

/** A timestamped default run name like `2026-11-25T22-50-01-rnn`. */
export function defaultRunName(cell: string, now = new Date()): string {
  return `${now.toISOString().slice(0, 19).replace(/:/g, '-')}-${cell}`;
}

/**
 * Creates the run's own folder under the logdir. An explicit name that exists is refused (nothing
 * is overwritten silently); a default name that exists gets a `-2`, `-3`... suffix.
 */
export function createRunFolder(logdir: string, name: string, explicit: boolean): { dir: string; runId: string } {
  try {
    mkdirSync(logdir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(logdir, { throwIfNoEntry: false })?.isFile()) {
      throw new RnnbowError('LOGDIR', `logdir ${logdir} is a file, not a folder`, 'choose a folder for --logdir (e.g. runs)');
    }
    throw new RnnbowError('LOGDIR', `cannot create logdir ${logdir}: ${code ?? (err as Error).message}`, 'choose a writable --logdir');
  }
  let runId = name;
  for (let i = 2; existsSync(path.join(logdir, runId)); i++) {
    if (explicit) {
      throw new RnnbowError('LOGDIR', `run folder ${path.join(logdir, name)} already exists; rnnbow never overwrites a run`, 'pick another --run-name or --logdir');
    }
    runId = `${name}-${i}`;
  }
  const dir = path.join(logdir, runId);
  try {
    mkdirSync(dir);
  } catch (err) {
    throw new RnnbowError('LOGDIR', `cannot create run folder ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'choose a writable --logdir');
  }
  return { dir, runId };
}
