import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { JSON_FILES } from '../exporters/json/schema.js';
import { isEventFileName } from '../exporters/tensorboard/index.js';
import type { ViewerProblem, RunSourceKind } from './run-source.js';
import type { SafeRoot } from './safe-root.js';

/** A run folder found in the logdir. */
export interface FoundRun {
  /** Run id: the folder's path relative to the logdir (`/`-separated); the logdir's own name if it is a run itself. */
  id: string;
  /** The folder's real path (inside the logdir). */
  dir: string;
  /** JSON export (preferred: it can be indexed by byte offset) or event files only. */
  kind: RunSourceKind;
}

/** Folders deeper than this below the logdir are not searched. */
export const MAX_DEPTH = 4;

/**
 * Finds the run folders under the logdir: a folder holding `run.json` (JSON export) or an event
 * file (TensorBoard export). Symbolic links are followed only when they resolve inside the logdir;
 * links pointing out of it are reported and skipped. Hidden folders and `node_modules` are skipped.
 */
export async function scanLogdir(root: SafeRoot): Promise<{ runs: FoundRun[]; problems: ViewerProblem[] }> {
  const runs: FoundRun[] = [];
  const problems: ViewerProblem[] = [];
  // Real paths of the folders being walked: a link back to one of them is a cycle. (A link to a
  // folder elsewhere in the logdir is followed: it shows the same run under a second name.)
  const ancestors = new Set<string>();
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (ancestors.has(dir)) return;
    ancestors.add(dir);
    try {
      await walkIn(dir, rel, depth);
    } finally {
      ancestors.delete(dir);
    }
  };
  const walkIn = async (dir: string, rel: string, depth: number): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      problems.push({ file: rel || '.', message: `cannot list: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    let json = false;
    let events = false;
    const subdirs: [string, string][] = [];
    for (const e of entries) {
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      const full = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      let target = full;
      if (e.isSymbolicLink()) {
        const real = await root.resolve(full);
        if (!real) {
          problems.push({ file: relPath, message: 'symbolic link that points outside the logdir (or nowhere); ignored' });
          continue;
        }
        const s = await stat(real).catch(() => null);
        isDir = !!s?.isDirectory();
        isFile = !!s?.isFile();
        target = real;
      }
      if (isDir) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules' && depth < MAX_DEPTH) subdirs.push([target, relPath]);
      } else if (isFile) {
        if (e.name === JSON_FILES.run) json = true;
        else if (isEventFileName(e.name) && e.isFile()) events = true;
      }
    }
    if (json || events) runs.push({ id: rel || path.basename(root.real), dir, kind: json ? 'json' : 'tensorboard' });
    for (const [d, r] of subdirs.sort((a, b) => (a[1] < b[1] ? -1 : 1))) await walk(d, r, depth + 1);
  };
  await walk(root.real, '', 0);
  runs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { runs, problems };
}
