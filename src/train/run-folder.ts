import { mkdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { RnnbowError } from '../core/errors.js';
import { writeFailureReason } from '../core/write-failure.js';

/** A timestamped default run name like `2026-11-25T22-50-01-rnn`. */
export function defaultRunName(cell: string, now = new Date()): string {
  return `${now.toISOString().slice(0, 19).replace(/:/g, '-')}-${cell}`;
}

/**
 * Creates the run's own folder under the logdir. An explicit name that exists is refused (nothing
 * is overwritten silently); a default name that exists gets a `-2`, `-3`... suffix. The folder is
 * claimed by creating it, not by looking first: two trainers started together (a script
 * launching seeds side by side, each named after the same second) then never pick the same one.
 */
export function createRunFolder(logdir: string, name: string, explicit: boolean): { dir: string; runId: string } {
  try {
    mkdirSync(logdir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(logdir, { throwIfNoEntry: false })?.isFile()) {
      throw new RnnbowError('LOGDIR', `logdir ${logdir} is a file, not a folder`, 'choose a folder for --logdir (e.g. runs)');
    }
    throw new RnnbowError('LOGDIR', `cannot create logdir ${logdir}: ${writeFailureReason(err)}`, 'choose a writable --logdir');
  }
  for (let i = 1; ; i++) {
    const runId = i === 1 ? name : `${name}-${i}`;
    const dir = path.join(logdir, runId);
    try {
      mkdirSync(dir);
      return { dir, runId };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new RnnbowError('LOGDIR', `cannot create run folder ${dir}: ${writeFailureReason(err)}`, 'choose a writable --logdir');
      if (explicit) {
        throw new RnnbowError('LOGDIR', `run folder ${dir} already exists; rnnbow never overwrites a run`, 'pick another --run-name or --logdir');
      }
    }
  }
}

/**
 * Throws when the run folder `dir` (whose `stat` at creation was `created`) is gone or is another
 * folder now: removed while training (`rm -rf`), every later write goes to files no one can open.
 *
 * @param batch the batch training is at, for the message
 */
export function checkRunFolder(dir: string, created: Stats, batch: number): void {
  let now: Stats | undefined;
  try {
    now = statSync(dir, { throwIfNoEntry: false });
  } catch {
    // ENOTDIR and the like: no folder at that path any more.
  }
  if (now?.isDirectory() && now.ino === created.ino && now.dev === created.dev) return;
  throw new RnnbowError(
    'LOGDIR',
    `run folder ${dir} was ${now ? 'replaced' : 'removed'} while training (at batch ${batch}); training stopped, since nothing more could be saved`,
    'keep the run folder until its run ends; resume from a checkpoint kept elsewhere (--resume), or train again',
  );
}
