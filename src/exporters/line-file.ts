import { closeSync, openSync, writeSync } from 'node:fs';
import { ExportError } from '../core/errors.js';

/**
 * An append-only text file written in whole lines. Lines are buffered and written on `flush`, so
 * a run killed at any point leaves every flushed line intact; a reader drops at most one
 * incomplete last line.
 */
export class LineFile {
  private fd: number | null = null;
  private pending: string[] = [];

  /** @param file path; created if missing, appended to otherwise. */
  constructor(readonly file: string) {}

  /** Opens the file now, so an unwritable folder is reported before training starts. */
  open(): void {
    try {
      this.fd = openSync(this.file, 'a');
    } catch (err) {
      throw ioError(this.file, err);
    }
  }

  /** Queues one line (without its newline). */
  push(line: string): void {
    this.pending.push(line);
  }

  /** Writes queued lines synchronously (safe from a signal handler). */
  flush(): void {
    if (this.pending.length === 0) return;
    if (this.fd === null) this.open();
    const chunk = this.pending.join('\n') + '\n';
    this.pending = [];
    try {
      writeSync(this.fd!, chunk);
    } catch (err) {
      throw ioError(this.file, err);
    }
  }

  /** Flushes and closes. */
  close(): void {
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function ioError(file: string, err: unknown): ExportError {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  const hint = code === 'ENOSPC' ? 'free disk space; records flushed before this point are intact' : 'check that the logdir is writable';
  return new ExportError(`cannot write ${file}: ${code}`, hint, { cause: err });
}
