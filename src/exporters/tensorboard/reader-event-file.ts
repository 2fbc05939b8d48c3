import { open } from 'node:fs/promises';
import { tensorboardProtos, type EventMessage } from './proto.js';
import { finishScan, scanFrames, type FrameScanState } from './tfrecord.js';

/**
 * Kinds of trouble a reader reports (and then carries on).
 *
 * @category TensorBoard event files
 */
export type ReadProblemKind =
  /** Bytes that are not a valid record (bad CRC); skipped up to the next valid record. */
  | 'corrupt-record'
  /** A record whose CRCs pass but whose bytes are not an Event. */
  | 'bad-event'
  /** A last record cut short: skipped (a writer may still be appending it). */
  | 'truncated-tail'
  /** A file with no bytes. */
  | 'empty-file'
  /** A file that could not be read at all. */
  | 'unreadable'
  /** A value that cannot be decoded as its plugin's data (e.g. a damaged rnnbow record). */
  | 'bad-value';

/**
 * One problem found while reading, with where it is.
 *
 * @category TensorBoard event files
 */
export interface ReadProblem {
  /** What kind. */
  readonly kind: ReadProblemKind;
  /** File path. */
  readonly file: string;
  /** Byte offset in the file (0 for whole-file problems). */
  readonly offset: number;
  /** One line saying what is wrong. */
  readonly message: string;
}

/**
 * One event read from a file.
 *
 * @category TensorBoard event files
 */
export interface FileEvent {
  /** Offset of its record in the file. */
  readonly offset: number;
  /** The decoded event. */
  readonly event: EventMessage;
}

/**
 * The result of one {@link EventFileReader.readNew}.
 *
 * @category TensorBoard event files
 */
export interface FileReadResult {
  /** Events completed since the last read, in file order. */
  readonly events: FileEvent[];
  /** Problems found since the last read. */
  readonly problems: ReadProblem[];
  /** Bytes after the last whole record (a record still being written, or a cut-short tail). */
  readonly pendingBytes: number;
  /** File size at this read. */
  readonly size: number;
  /** True when the read stopped at its byte budget with whole records still unread (call again). */
  readonly more: boolean;
}

/**
 * Where a reader stands in a file, to resume later (even in another process).
 *
 * @category TensorBoard event files
 */
export interface EventFileCursor {
  /** Offset of the next unread byte. */
  offset: number;
  /** Scanner state (mid-resync after corruption). */
  scan: FrameScanState;
}

const INITIAL_CHUNK = 16 * 1024 * 1024;

/**
 * Reads one event file incrementally: every {@link readNew} returns the events completed since
 * the previous call, so a file a trainer is still appending to can be followed. CRCs are checked;
 * corrupt bytes are reported with their offset and skipped; a cut-short last record is left for
 * the next call (and reported only by `finish`).
 *
 * @category TensorBoard event files
 */
export class EventFileReader {
  private state: FrameScanState;
  private reportedEmpty = false;

  constructor(
    /** The file. */
    readonly path: string,
    /** Resume from a saved {@link EventFileReader.cursor}. */
    from?: EventFileCursor,
  ) {
    this.state = from ? { ...from.scan, offset: from.offset } : { offset: 0, resyncing: false };
  }

  /** Where the reader stands; pass to the constructor to resume. */
  get cursor(): EventFileCursor {
    return { offset: this.state.offset, scan: { ...this.state } };
  }

  /**
   * Reads what was appended since the last call; with `maxBytes`, stops once about that many
   * bytes of whole records are read (more when one record is larger), so a caller following a
   * huge file holds one slice of decoded events at a time.
   */
  async readNew(maxBytes = Infinity): Promise<FileReadResult> {
    const events: FileEvent[] = [];
    const problems: ReadProblem[] = [];
    let fh;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      problems.push({ kind: 'unreadable', file: this.path, offset: 0, message: `cannot open: ${(err as Error).message}` });
      return { events, problems, pendingBytes: 0, size: 0, more: false };
    }
    try {
      const { size } = await fh.stat();
      if (size === 0) {
        if (!this.reportedEmpty) problems.push({ kind: 'empty-file', file: this.path, offset: 0, message: 'empty file (no records)' });
        this.reportedEmpty = true;
        return { events, problems, pendingBytes: 0, size, more: false };
      }
      if (size < this.state.offset) {
        problems.push({ kind: 'unreadable', file: this.path, offset: size, message: `file shrank from at least ${this.state.offset} to ${size} bytes; reading it again from the start` });
        this.state = { offset: 0, resyncing: false };
      }
      let chunk = Math.min(INITIAL_CHUNK, maxBytes);
      const codec = tensorboardProtos().Event;
      const start = this.state.offset;
      let more = false;
      while (this.state.offset < size) {
        if (this.state.offset - start >= maxBytes) {
          more = true;
          break;
        }
        const base = this.state.offset;
        const len = Math.min(chunk, size - base);
        const buf = Buffer.allocUnsafe(len);
        let got = 0;
        while (got < len) {
          const { bytesRead } = await fh.read(buf, got, len - got, base + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        const scan = scanFrames(buf.subarray(0, got), base, this.state);
        for (const c of scan.corruptions) {
          problems.push({ kind: 'corrupt-record', file: this.path, offset: c.offset, message: `${c.reason}; skipped ${c.skipped} bytes` });
        }
        for (const r of scan.records) {
          try {
            events.push({ offset: r.offset, event: codec.decode(r.payload) });
          } catch (err) {
            problems.push({ kind: 'bad-event', file: this.path, offset: r.offset, message: `record is not a valid Event: ${(err as Error).message}` });
          }
        }
        this.state = scan.next;
        if (scan.partialTail || got < len) {
          if (base + got >= size) break;
          // A record longer than the chunk: read again with room for it.
          if (this.state.offset === base) chunk *= 2;
        }
      }
      return { events, problems, pendingBytes: size - this.state.offset, size, more };
    } finally {
      await fh.close();
    }
  }

  /**
   * What is left unread if the file is complete at `size` bytes: a cut-short last record or a
   * corrupt stretch running to the end, as a problem (null if nothing). Does not move the reader,
   * so a record a writer is still appending is read by the next {@link readNew}.
   */
  pendingProblem(size: number): ReadProblem | null {
    const c = finishScan(this.state, size);
    if (!c) return null;
    return !this.state.resyncing
      ? { kind: 'truncated-tail', file: this.path, offset: c.offset, message: `incomplete last record (${c.skipped} bytes) skipped; the writer may still be appending it` }
      : { kind: 'corrupt-record', file: this.path, offset: c.offset, message: `${c.reason}; skipped ${c.skipped} bytes to the end of the file` };
  }
}
