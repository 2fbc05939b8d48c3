import * as nodeFs from 'node:fs';
import path from 'node:path';

/** The file-system calls {@link writeFileAtomic} makes; tests swap them to see their order. */
export interface AtomicWriteFileSystem {
  /** `fs.openSync`. */
  openSync(path: string, flags: string): number;
  /** `fs.writeFileSync` on a descriptor. */
  writeFileSync(fd: number, data: string | Uint8Array): void;
  /** `fs.fsyncSync`. */
  fsyncSync(fd: number): void;
  /** `fs.closeSync`. */
  closeSync(fd: number): void;
  /** `fs.renameSync`. */
  renameSync(from: string, to: string): void;
  /** `fs.unlinkSync`. */
  unlinkSync(path: string): void;
}

/**
 * Writes a file through a temporary sibling and a rename, so a crash or a full disk never leaves
 * a half-written file where a good one was. A symbolic link is followed: its target is replaced
 * that way and the link stays a link. What exists and is no regular file (a pipe, `/dev/stdout`)
 * is written to directly, since a rename would replace the device's name with a file.
 *
 * The data is synced before the rename, and the folder after it: without the first, a power
 * loss soon after the rename can leave an empty file under the new name on file systems that
 * write data later than names (ext4's delayed allocation), and the previous checkpoint would be
 * gone as well. A sync costs about a millisecond per megabyte here, small beside encoding a
 * checkpoint. Folders cannot be synced on every platform (Windows), so that one is best effort.
 */
export function writeFileAtomic(destination: string, data: string | Uint8Array, fs: AtomicWriteFileSystem = nodeFs): void {
  const file = renamedOnto(destination);
  if (file === null) {
    const fd = fs.openSync(destination, 'w');
    try {
      fs.writeFileSync(fd, data);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // The temporary file may never have been created.
    }
    throw err;
  }
  syncFolder(path.dirname(file), fs);
}

/**
 * The regular file a rename must replace to write `destination`: itself (existing or new), or the
 * file its symbolic link points at. Null where no rename may land: something that is no regular
 * file, or a link to nothing yet (writing through it creates its target).
 */
function renamedOnto(destination: string): string | null {
  const found = nodeFs.lstatSync(destination, { throwIfNoEntry: false });
  if (!found || found.isFile()) return destination;
  if (!found.isSymbolicLink()) return null;
  let target: string;
  try {
    target = nodeFs.realpathSync(destination);
  } catch {
    return null;
  }
  return nodeFs.statSync(target).isFile() ? target : null;
}

/** Makes a rename in `dir` durable where the platform allows it. */
function syncFolder(dir: string, fs: AtomicWriteFileSystem): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not supported here (e.g. Windows): the file itself is synced.
  } finally {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Nothing was written through it.
      }
    }
  }
}
