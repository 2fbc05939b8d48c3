import { renameSync, writeFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file through a temporary sibling and a rename, so a crash or a full disk never leaves
 * a half-written file where a good one was.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // The temporary file may never have been created.
    }
    throw err;
  }
}
