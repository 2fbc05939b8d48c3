import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { ExportError } from '../../core/errors.js';
import { writeFailureReason } from '../../core/write-failure.js';
import { eventFileName, hostName, nextFileCounter } from './event-file-name.js';
import { DEFAULT_MAX_PENDING_BYTES } from './options.js';
import { tensorboardProtos, type EventMessage } from './proto.js';
import { FRAME_OVERHEAD, writeFrame } from './tfrecord.js';

/**
 * The file-system calls the writer makes; tests swap them to simulate a full disk.
 *
 * @category TensorBoard event files
 */
export interface WriterFileSystem {
  /** `fs.openSync`. */
  openSync(path: string, flags: string): number;
  /** `fs.writeSync` (buffer form). */
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  /** `fs.ftruncateSync`. */
  ftruncateSync(fd: number, len: number): void;
  /** `fs.fsyncSync`. */
  fsyncSync(fd: number): void;
  /** `fs.closeSync`. */
  closeSync(fd: number): void;
}

/**
 * Options of {@link EventFileWriter.open}.
 *
 * @category TensorBoard event files
 */
export interface EventFileWriterOptions {
  /** Flush buffered events at least this often (ms); 0 disables the timer. Default 5000. */
  flushIntervalMs?: number;
  /** Flush as soon as this many bytes are buffered. Default 1 MiB, as the exporter's option. */
  maxPendingBytes?: number;
  /** File name suffix. Default `.v2`. */
  filenameSuffix?: string;
  /** Host name in the file name. Default: this machine's. */
  hostname?: string;
  /** Clock (ms since the epoch), for the file name and the first record. Default `Date.now`. */
  now?: () => number;
  /** File-system calls. Default node:fs. */
  fs?: WriterFileSystem;
  /** Writer name recorded in the first event's source_metadata. */
  writerName?: string;
}

/** The file_version every TensorBoard event file starts with. */
export const FILE_VERSION = 'brain.Event:2';

const HINT = 'check that the folder exists and is writable and that the disk has space; events flushed before the error are intact';

/**
 * Appends TensorBoard events to one event file. Events are encoded and framed at once into an
 * in-memory buffer; the buffer goes to the file on `flush`/`flushSync`, on `close`, when it grows
 * past `maxPendingBytes`, and every `flushIntervalMs` (an unref'd timer, so it never keeps the
 * process alive). All file writes are synchronous: a flush from a signal handler is then
 * complete when it returns, and writes never interleave or reorder. An I/O error fails the writer
 * with an {@link ExportError}; the file is cut back to the last whole record, so every record
 * flushed before stays readable, and every later call throws that error.
 *
 * @category TensorBoard event files
 */
export class EventFileWriter {
  /** Full path of the event file. */
  readonly path: string;
  private readonly fs: WriterFileSystem;
  private readonly maxPending: number;
  private fd: number | null;
  private pending: Buffer = Buffer.allocUnsafe(64 * 1024);
  private pendingLength = 0;
  private written = 0;
  private timer: NodeJS.Timeout | null = null;
  private failure: ExportError | null = null;
  private eventsWritten = 0;

  private constructor(path: string, fd: number, fs: WriterFileSystem, maxPending: number) {
    this.path = path;
    this.fd = fd;
    this.fs = fs;
    this.maxPending = maxPending;
  }

  /**
   * Creates a new event file in `dir` (which must exist) and writes its first record
   * (`file_version`) at once. Throws {@link ExportError} when the file cannot be created.
   */
  static open(dir: string, options: EventFileWriterOptions = {}): EventFileWriter {
    const fs = options.fs ?? nodeFs;
    const now = options.now ?? Date.now;
    const nowMs = now();
    let path = '';
    let fd = -1;
    for (let attempt = 0; ; attempt++) {
      path = join(
        dir,
        eventFileName({ seconds: nowMs / 1000, host: options.hostname ?? hostName(), pid: process.pid, counter: nextFileCounter(), suffix: options.filenameSuffix ?? '.v2' }),
      );
      try {
        // 'wx': never append to (or clobber) someone else's file.
        fd = fs.openSync(path, 'wx');
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 100) continue;
        throw new ExportError(`cannot create a TensorBoard event file in ${dir}: ${writeFailureReason(err)}`, HINT, { cause: err });
      }
    }
    const writer = new EventFileWriter(path, fd, fs, options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES);
    writer.write({ wallTime: nowMs / 1000, step: 0, fileVersion: FILE_VERSION, sourceMetadata: { writer: options.writerName ?? 'rnnbow' } });
    writer.flushSync();
    const interval = options.flushIntervalMs ?? 5000;
    if (interval > 0) {
      writer.timer = setInterval(() => writer.flushFromTimer(), interval);
      writer.timer.unref();
    }
    return writer;
  }

  /** Bytes in the file (flushed). */
  get bytesWritten(): number {
    return this.written;
  }

  /** Bytes buffered, not yet in the file. */
  get bytesPending(): number {
    return this.pendingLength;
  }

  /** Events accepted so far (including the file_version record). */
  get eventCount(): number {
    return this.eventsWritten;
  }

  /** True once closed. */
  get closed(): boolean {
    return this.fd === null;
  }

  /** The error that failed the writer, if any. */
  get error(): ExportError | null {
    return this.failure;
  }

  /** Encodes and buffers one event. Throws the writer's {@link ExportError} if it has failed. */
  write(event: EventMessage): void {
    this.check();
    const payload = tensorboardProtos().Event.encode(event);
    this.writeEncoded(payload);
  }

  /** Buffers an already serialized Event. */
  writeEncoded(payload: Uint8Array): void {
    this.check();
    const need = this.pendingLength + payload.length + FRAME_OVERHEAD;
    if (need > this.pending.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.pending.length * 2));
      this.pending.copy(grown, 0, 0, this.pendingLength);
      this.pending = grown;
    }
    this.pendingLength = writeFrame(this.pending, this.pendingLength, payload);
    this.eventsWritten++;
    if (this.pendingLength >= this.maxPending) this.flushSync();
  }

  /** Writes everything buffered to the file before returning. Throws {@link ExportError} on I/O failure. */
  flushSync(): void {
    this.check();
    if (this.pendingLength === 0 || this.fd === null) return;
    const fd = this.fd;
    let done = 0;
    try {
      while (done < this.pendingLength) done += this.fs.writeSync(fd, this.pending, done, this.pendingLength - done);
    } catch (err) {
      // Cut a partly written record off, so the file ends on a record boundary.
      try {
        if (done > 0) this.fs.ftruncateSync(fd, this.written);
      } catch {
        // The reader skips a cut-short last record anyway.
      }
      this.fail(new ExportError(`cannot write TensorBoard events to ${this.path}: ${writeFailureReason(err)}`, HINT, { cause: err }));
      throw this.failure;
    }
    this.written += this.pendingLength;
    this.pendingLength = 0;
    if (this.pending.length > 4 * 1024 * 1024) this.pending = Buffer.allocUnsafe(64 * 1024);
  }

  /** {@link flushSync} as a promise (rejects with {@link ExportError}). */
  async flush(): Promise<void> {
    this.flushSync();
  }

  /** Flushes, syncs to disk and closes the file. Closing twice is a no-op. */
  async close(): Promise<void> {
    this.closeSync();
  }

  /** Synchronous {@link close}. A failed writer still releases its file, then throws its error. */
  closeSync(): void {
    if (this.fd === null) {
      if (this.failure) throw this.failure;
      return;
    }
    this.stopTimer();
    const fd = this.fd;
    try {
      if (!this.failure) {
        this.flushSync();
        try {
          this.fs.fsyncSync(fd);
        } catch (err) {
          this.fail(new ExportError(`cannot sync TensorBoard events to disk at ${this.path}: ${writeFailureReason(err)}`, HINT, { cause: err }));
        }
      }
    } finally {
      this.fd = null;
      try {
        this.fs.closeSync(fd);
      } catch {
        // Nothing useful to do: the data was written or the failure is already recorded.
      }
    }
    if (this.failure) throw this.failure;
  }

  private flushFromTimer(): void {
    if (this.failure || this.fd === null) return;
    try {
      this.flushSync();
    } catch {
      // Recorded in this.failure; surfaces at the next call the exporter makes.
    }
  }

  private fail(err: ExportError): void {
    this.failure = err;
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    if (this.failure) throw this.failure;
    if (this.fd === null) throw new ExportError(`TensorBoard event file ${this.path} is already closed`);
  }
}
