import * as nodeFs from 'node:fs';
import { ExportError } from '../core/errors.js';
import { writeFailureReason } from '../core/write-failure.js';

/**
 * The file-system calls a JSON Lines file makes; tests swap them to simulate a full disk.
 *
 * @category JSON runs
 */
export interface LineFileSystem {
  /** `fs.openSync`. */
  openSync(path: string, flags: string): number;
  /** `fs.fstatSync` (only `size` is read). */
  fstatSync(fd: number): {
    /** The file's length in bytes. */
    size: number;
  };
  /** `fs.writeSync` (buffer form): may write fewer bytes than asked, as a filling disk does. */
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  /** `fs.ftruncateSync`. */
  ftruncateSync(fd: number, len: number): void;
  /** `fs.closeSync`. */
  closeSync(fd: number): void;
}

/**
 * An append-only text file written in whole lines. Lines are buffered and written on `flush`, so
 * a run killed at any point leaves every flushed line intact; a reader drops at most one
 * incomplete last line. A write that fails part-way (a disk filling up writes what fits, then
 * refuses the rest) is cut back to the last whole line it wrote, so the file never holds half a
 * line that later lines would follow.
 */
export class LineFile {
  private fd: number | null = null;
  private pending: string[] = [];
  /** UTF-16 code units queued, newlines included: what the next flush has to copy. */
  private queued = 0;
  /** Bytes in the file that end on a line boundary. */
  private size = 0;

  /**
   * @param file path; created if missing, appended to otherwise.
   * @param fs file-system calls (tests); node:fs by default.
   */
  constructor(
    readonly file: string,
    private readonly fs: LineFileSystem = nodeFs,
  ) {}

  /** Opens the file now, so an unwritable folder is reported before training starts. */
  open(): void {
    try {
      this.fd = this.fs.openSync(this.file, 'a');
      this.size = this.fs.fstatSync(this.fd).size;
    } catch (err) {
      throw ioError(this.file, err);
    }
  }

  /** Queues one line (without its newline). */
  push(line: string): void {
    this.pending.push(line);
    this.queued += line.length + 1;
  }

  /** Characters queued since the last flush (newlines included). */
  get pendingChars(): number {
    return this.queued;
  }

  /** Writes queued lines synchronously (safe from a signal handler). */
  flush(): void {
    if (this.pending.length === 0) return;
    if (this.fd === null) this.open();
    const fd = this.fd!;
    const chunk = Buffer.from(this.pending.join('\n') + '\n');
    this.pending = [];
    this.queued = 0;
    let done = 0;
    try {
      while (done < chunk.length) {
        const wrote = this.fs.writeSync(fd, chunk, done, chunk.length - done);
        // A write that makes no progress would loop forever: a full disk, said as the OS would.
        if (wrote <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        done += wrote;
      }
    } catch (err) {
      // Keep the whole lines that made it; cut the part of one that did not.
      const whole = done > 0 ? chunk.lastIndexOf(NEWLINE, done - 1) + 1 : 0;
      this.size += whole;
      if (whole < done) {
        try {
          this.fs.ftruncateSync(fd, this.size);
        } catch {
          // A reader still drops an incomplete last line.
        }
      }
      throw ioError(this.file, err);
    }
    this.size += chunk.length;
  }

  /** Flushes and closes. */
  close(): void {
    this.flush();
    if (this.fd !== null) this.fs.closeSync(this.fd);
    this.fd = null;
  }

  /**
   * Closes without writing what is queued: after a write failed, later lines written behind the
   * lost ones would leave a gap that no reader could tell from a complete file.
   */
  abandon(): void {
    this.pending = [];
    this.queued = 0;
    if (this.fd === null) return;
    try {
      this.fs.closeSync(this.fd);
    } catch {
      // The write already failed; that error is the one to report.
    }
    this.fd = null;
  }
}

const NEWLINE = 0x0a;

function ioError(file: string, err: unknown): ExportError {
  const full = (err as NodeJS.ErrnoException | undefined)?.code === 'ENOSPC';
  const hint = full ? 'free disk space; records flushed before this point are intact' : 'check that the logdir is writable';
  return new ExportError(`cannot write ${file}: ${writeFailureReason(err)}`, hint, { cause: err });
}
