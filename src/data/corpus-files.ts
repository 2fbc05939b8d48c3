/**
 * Walking a corpus directory. The walk is lazy (a generator) so that a loader with a character
 * limit stops after the first few files of a huge tree instead of listing all of it, and sorted so
 * that the same tree always gives the same text.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileAccessError } from './text-file.js';

/** Code-unit order: the same on every machine, unlike locale-aware comparison. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Yields the regular files under `dir` whose name `accept`s, depth first in sorted name order.
 * Hidden entries (names starting with `.`) are skipped, files and directories alike, as are
 * sockets, devices and broken symbolic links. Symbolic links are followed, each real directory
 * visited once (so link cycles end). An unreadable directory throws a `CorpusError`.
 */
export function* corpusFiles(dir: string, accept: (fileName: string) => boolean): Generator<string> {
  const visited = new Set<string>();
  function* walk(current: string): Generator<string> {
    let real: string;
    try {
      real = realpathSync(current);
    } catch (err) {
      throw fileAccessError(current, err, 'folder');
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch (err) {
      throw fileAccessError(current, err, 'folder');
    }
    entries.sort((a, b) => byName(a.name, b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = join(current, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(full);
          isDir = target.isDirectory();
          isFile = target.isFile();
        } catch {
          continue; // a dangling link is not part of the corpus
        }
      }
      if (isDir) yield* walk(full);
      else if (isFile && accept(entry.name)) yield full;
    }
  }
  yield* walk(dir);
}
