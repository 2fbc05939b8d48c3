import path from 'node:path';

/**
 * What the continuity of a logdir's runs is worked out from: a run's id in this logdir and what
 * its `run.json` says. `resume` and `logdir` are the run's `config.resume` and `config.logdir`
 * exactly as the user typed them (relative to the trainer's working folder, or absolute); they are
 * typed `unknown` because `run.json` is data read from disk, not trusted to have any shape.
 */
export interface RunOrigin {
  /** The run's id in this logdir (its folder's path relative to the logdir, `/`-separated). */
  id: string;
  /** `config.resume`: the checkpoint (or run folder) the run was resumed from; absent when it was not. */
  resume?: unknown;
  /** `config.logdir`: the folder the trainer created the run's folder in. */
  logdir?: unknown;
  /** `startedAt` (ISO time), to put the newest continuation first. */
  startedAt?: unknown;
}

/** How one run is linked to the other runs of its logdir (both fields absent: not linked). */
export interface RunLinks {
  /** The id of the run whose checkpoint this run resumed (a run of the same logdir). */
  resumedFrom?: string;
  /** The ids of the runs that resumed from this run's checkpoint, newest first. */
  continuedIn?: string[];
}

/** Both separators read as `/`: a run trained on Windows writes `runs\A\checkpoint.json`. */
const slashes = (p: string): string => p.replace(/\\/g, '/');

/** Absolute on either system: `/…`, or a drive like `C:/…` (after {@link slashes}). */
const isAbsolute = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:\//.test(p);

/**
 * A stand-in for the trainer's working folder, which the viewer does not know: relative paths
 * are resolved against it, never against this process's working folder. Its parts hold a NUL,
 * which no run id can, so a placement that climbed into it (`--logdir ..`) is recognised as
 * depending on the unknown folder.
 */
const UNKNOWN = '\0';
const VIRTUAL_BASE = '/' + Array.from({ length: 64 }, () => UNKNOWN).join('/');

/**
 * The run folder a `resume` path names, `/`-separated and normalised: the folder of the
 * checkpoint file (`runs/A/checkpoint.json` → `runs/A`, whatever the file is called; the trainer
 * refuses a folder as `--resume`). Only the text is looked at; the file system is not.
 */
export function resumedFolder(resume: string): string {
  return path.posix.dirname(path.posix.normalize(slashes(resume)).replace(/(.)\/+$/, '$1'));
}

/**
 * The id among `ids` whose `/`-separated parts are the last parts of `folder`, the longest when
 * several are (`runs/exp/A` matches `exp/A` before `A`); undefined when none is.
 */
function matchByName(folder: string, ids: ReadonlySet<string>, self: string): string | undefined {
  const parts = folder.split('/').filter((s) => s && s !== '.');
  let best: string | undefined;
  for (const id of ids) {
    if (id === self) continue;
    const idParts = id.split('/');
    if (idParts.length > parts.length || (best !== undefined && idParts.length <= best.split('/').length)) continue;
    if (idParts.every((s, i) => s === parts[parts.length - idParts.length + i])) best = id;
  }
  return best;
}

/**
 * The id of the run of this logdir whose checkpoint `run` resumed, or undefined. The path in
 * `run.resume` is never opened and never trusted: it only selects among `ids`, the runs the
 * logdir's own listing found, and only a match counts.
 *
 * When the run's `logdir` and `resume` were both typed relative (to the same working folder) or
 * both absolute, the folder `resume` names is placed relative to the trainer's logdir, whose
 * place in this logdir is the folder holding the run itself: a folder outside the logdir gives
 * no link, even if a run here has the same name. When only one of the two is absolute, the
 * trainer's working folder is unknown and the folder's name alone decides (the last parts of the
 * path, e.g. `A` of `/data/runs/A/checkpoint.json`), as it does when the placed folder is not a
 * run here (run folders moved since).
 */
export function resumedFromId(run: RunOrigin, ids: ReadonlySet<string>): string | undefined {
  if (typeof run.resume !== 'string' || run.resume.trim() === '') return undefined;
  const folder = resumedFolder(run.resume);
  if (typeof run.logdir === 'string' && run.logdir !== '') {
    const logdir = path.posix.normalize(slashes(run.logdir));
    if (isAbsolute(logdir) === isAbsolute(folder)) {
      const rel = path.posix.relative(path.posix.join(VIRTUAL_BASE, logdir), path.posix.join(VIRTUAL_BASE, folder));
      if (rel === '') return undefined; // the trainer's logdir itself, not a run folder in it
      const placed = path.posix.normalize(path.posix.join(path.posix.dirname(run.id), rel));
      // Placed through the unknown working folder (the logdir was above it): only the name can tell.
      if (!placed.includes(UNKNOWN)) {
        if (placed === '.' || placed === '..' || placed.startsWith('../')) return undefined; // outside this logdir
        if (ids.has(placed)) return placed === run.id ? undefined : placed;
      }
    }
  }
  return matchByName(folder, ids, run.id);
}

/** Newest first: by start time, then by id (default run names begin with their start time). */
function newestFirst(a: RunOrigin, b: RunOrigin): number {
  const ta = typeof a.startedAt === 'string' ? a.startedAt : '';
  const tb = typeof b.startedAt === 'string' ? b.startedAt : '';
  if (ta !== tb) return ta < tb ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * The links between the runs of one logdir: for each run that resumed another run's checkpoint
 * ({@link resumedFromId}), `resumedFrom` on it and its id in the other run's `continuedIn`
 * (newest first). Runs without links are not in the map.
 */
export function runContinuity(runs: readonly RunOrigin[]): Map<string, RunLinks> {
  const ids = new Set(runs.map((r) => r.id));
  const links = new Map<string, RunLinks>();
  const entry = (id: string): RunLinks => {
    let e = links.get(id);
    if (!e) links.set(id, (e = {}));
    return e;
  };
  const children = new Map<string, RunOrigin[]>();
  const startOf = new Map(runs.map((r) => [r.id, typeof r.startedAt === 'string' ? r.startedAt : '']));
  for (const run of runs) {
    const from = resumedFromId(run, ids);
    if (from === undefined) continue;
    // A checkpoint is older than any run resumed from it: a run that started later cannot be the
    // source (two runs matched by name alone could otherwise name each other).
    const [fromStart, runStart] = [startOf.get(from) ?? '', startOf.get(run.id) ?? ''];
    if (fromStart && runStart && fromStart > runStart) continue;
    entry(run.id).resumedFrom = from;
    let list = children.get(from);
    if (!list) children.set(from, (list = []));
    list.push(run);
  }
  for (const [from, list] of children) entry(from).continuedIn = [...list].sort(newestFirst).map((r) => r.id);
  return links;
}
