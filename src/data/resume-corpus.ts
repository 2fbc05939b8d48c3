/**
 * Which text a checkpoint was trained on. A checkpoint holds the model and where in the batch
 * stream it stopped, not the corpus; the run folder's `run.json` (JSON exporter) says which paths
 * the run read. A resumed run given no `--corpus` reads the default corpus instead, and fails on
 * characters its vocabulary lacks with a message that does not say why: this names the fix.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CorpusError } from '../core/errors.js';

/** The corpus options a run was started with, as its run.json records them. */
export interface RunCorpus {
  /** `corpus.source` of run.json: the paths read, or which default. */
  readonly source: string;
  /** `--corpus` paths (empty for the default corpus). */
  readonly paths: readonly string[];
  /** `--max-chars`, when the run set one. */
  readonly maxChars?: number;
  /** `--validation`, when recorded. */
  readonly validationFraction?: number;
}

/** File name of a run's info, beside its checkpoint. */
const RUN_INFO_FILE = 'run.json';

/** The corpus of the run whose checkpoint is `checkpointFile`, from the run.json beside it; undefined when there is none or it is unreadable. */
export function checkpointRunCorpus(checkpointFile: string): RunCorpus | undefined {
  try {
    const info = JSON.parse(readFileSync(path.join(path.dirname(checkpointFile), RUN_INFO_FILE), 'utf8')) as {
      corpus?: { source?: unknown };
      config?: { corpus?: { paths?: unknown; maxChars?: unknown; validationFraction?: unknown } };
    };
    const source = info?.corpus?.source;
    if (typeof source !== 'string') return undefined;
    const config = info.config?.corpus ?? {};
    const paths = Array.isArray(config.paths) && config.paths.every((p) => typeof p === 'string') ? (config.paths as string[]) : [];
    const maxChars = typeof config.maxChars === 'number' && Number.isFinite(config.maxChars) ? config.maxChars : undefined;
    const validationFraction = typeof config.validationFraction === 'number' ? config.validationFraction : undefined;
    return { source, paths, maxChars, validationFraction };
  } catch {
    return undefined;
  }
}

/** Quotes a path for a shell command line when it needs it. */
function shellWord(word: string): string {
  return /^[\w./~@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * `err` with a hint naming the corpus to pass, when it is a {@link CorpusError} of a run resumed
 * from `checkpointFile` without any corpus paths (so it read the default corpus); any other error
 * is returned unchanged. The hint spells out the flags the checkpoint's run used, from its run.json.
 */
export function withResumeCorpusHint(err: unknown, checkpointFile: string | undefined, corpusPaths: readonly string[]): unknown {
  if (!(err instanceof CorpusError) || !checkpointFile || corpusPaths.length > 0) return err;
  const run = checkpointRunCorpus(checkpointFile);
  let hint = '--resume does not bring back the corpus: pass the --corpus (and --max-chars) the checkpoint\'s run was trained on';
  if (run && run.paths.length > 0) {
    const flags = [...run.paths.map((p) => `--corpus ${shellWord(p)}`), ...(run.maxChars !== undefined ? [`--max-chars ${run.maxChars}`] : [])];
    hint = `--resume does not bring back the corpus: add ${flags.join(' ')} (from ${path.join(path.dirname(checkpointFile), RUN_INFO_FILE)})`;
  }
  return new CorpusError(err.message, hint);
}
