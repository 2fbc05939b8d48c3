/** What the usual reasons a file cannot be written mean, by error code. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'its folder does not exist (removed while training?)',
  ENOTDIR: 'a part of its path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EISDIR: 'a folder has its name',
};

/**
 * Why a write failed, in words a user can act on ("the disk is full"), for the errors a run's
 * files meet (a full disk, a removed or read-only folder); anything else as Node's own message.
 * Checkpoints and event files say it the same way.
 */
export function writeFailureReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  return REASONS[e?.code ?? ''] ?? e?.message ?? String(err);
}
