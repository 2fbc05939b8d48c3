import { realpath } from 'node:fs/promises';
import path from 'node:path';

/**
 * The logdir as a boundary. Every file the viewer opens is first resolved through the file system
 * (symlinks included) and must land inside the logdir's real path; anything else is refused. Paths
 * never come from a request: the server only opens what its own listing found, and this check
 * guards against links inside the logdir that point out of it.
 */
export class SafeRoot {
  private constructor(
    /** The logdir as given (for messages). */
    readonly given: string,
    /** Its real path (symlinks resolved), the boundary. */
    readonly real: string,
  ) {}

  /** Resolves the logdir's real path; rejects when it does not exist. */
  static async open(dir: string): Promise<SafeRoot> {
    return new SafeRoot(dir, await realpath(path.resolve(dir)));
  }

  /** True when `realPath` (already resolved) is the root or inside it. */
  contains(realPath: string): boolean {
    const rel = path.relative(this.real, realPath);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }

  /**
   * The real path of `file` when it exists and lies inside the root, else null (missing files,
   * dangling links and links out of the logdir all give null).
   */
  async resolve(file: string): Promise<string | null> {
    try {
      const real = await realpath(file);
      return this.contains(real) ? real : null;
    } catch {
      return null;
    }
  }

  /** `file` relative to the root, with forward slashes, for messages shown in the page. */
  relative(file: string): string {
    const rel = path.relative(this.real, file);
    return (rel === '' ? '.' : rel).split(path.sep).join('/');
  }
}
