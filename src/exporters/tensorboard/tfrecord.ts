import { maskedCrc32c } from './crc32c.js';

/** Bytes a TFRecord frame adds around its payload: 8 (length) + 4 (length CRC) + 4 (payload CRC). */
export const FRAME_OVERHEAD = 16;
/** Bytes before the payload: the length and its CRC. */
export const HEADER_BYTES = 12;

/**
 * Frames one payload as a TFRecord: uint64 little-endian length, masked CRC-32C of those 8 bytes,
 * the payload, masked CRC-32C of the payload (all integers little-endian).
 */
export function frameRecord(payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(payload.length + FRAME_OVERHEAD);
  writeFrame(out, 0, payload);
  return out;
}

/** Writes the frame of `payload` into `out` at `offset`; returns the offset after it. */
export function writeFrame(out: Buffer, offset: number, payload: Uint8Array): number {
  const len = payload.length;
  // Lengths beyond 2^32 cannot occur (a Buffer is smaller), so the high word is 0.
  out.writeUInt32LE(len >>> 0, offset);
  out.writeUInt32LE(Math.floor(len / 0x100000000), offset + 4);
  out.writeUInt32LE(maskedCrc32c(out.subarray(offset, offset + 8)), offset + 8);
  out.set(payload, offset + HEADER_BYTES);
  out.writeUInt32LE(maskedCrc32c(payload), offset + HEADER_BYTES + len);
  return offset + len + FRAME_OVERHEAD;
}

/** One well-formed record found in a byte range. */
export interface FramedRecord {
  /** Byte offset of the record's first header byte in the file. */
  readonly offset: number;
  /** The payload (a view into the scanned buffer, not a copy). */
  readonly payload: Buffer;
}

/** A stretch of bytes that is not a valid record. */
export interface FrameCorruption {
  /** Byte offset in the file where the bad data starts. */
  readonly offset: number;
  /** Bytes skipped before the next valid record (or the end of what was scanned). */
  readonly skipped: number;
  /** What was wrong, in words. */
  readonly reason: string;
}

/**
 * Where to continue scanning a growing file.
 *
 * @category TensorBoard event files
 */
export interface FrameScanState {
  /** File offset of the next byte to look at. */
  offset: number;
  /**
   * True while searching for the next record start after corrupt bytes; the search then goes on
   * from `offset` without reporting every position again.
   */
  resyncing: boolean;
  /** When resyncing: where the corrupt stretch began and why (reported once it ends). */
  corruptSince?: {
    /** Byte offset where the damage starts. */
    offset: number;
    /** What was wrong there. */
    reason: string;
  };
}

/** The result of {@link scanFrames}. */
export interface FrameScan {
  /** Valid records in file order. */
  readonly records: FramedRecord[];
  /** Corrupt stretches that ended inside the scanned bytes (a valid record followed them). */
  readonly corruptions: FrameCorruption[];
  /** State to resume from when more bytes arrive; `offset` is where the next scan must start. */
  readonly next: FrameScanState;
  /**
   * True when the bytes after `next.offset` look like a record still being written (a header or
   * payload cut short); they are picked up by the next scan.
   */
  readonly partialTail: boolean;
}

function headerLength(buf: Buffer, at: number): number | null {
  if (buf.readUInt32LE(at + 8) !== maskedCrc32c(buf.subarray(at, at + 8))) return null;
  const hi = buf.readUInt32LE(at + 4);
  // A record over 2^53 bytes is not a real record; treat it as a bad header.
  if (hi >= 0x200000) return null;
  return hi * 0x100000000 + buf.readUInt32LE(at);
}

/**
 * Scans `buf`, which holds the file's bytes starting at file offset `base`, from `state.offset`.
 * Valid records are returned; a record whose payload CRC fails is skipped whole (its length was
 * vouched for by its own CRC); a header whose CRC fails starts a byte-by-byte search for the next
 * position where a header and its payload both check out (TFRecord has no sync marker). A record
 * cut short by the end of `buf` is left for the next scan, as TensorBoard does for files still
 * being written.
 */
export function scanFrames(buf: Buffer, base: number, state: FrameScanState): FrameScan {
  const records: FramedRecord[] = [];
  const corruptions: FrameCorruption[] = [];
  const end = base + buf.length;
  let pos = state.offset;
  let resyncing = state.resyncing;
  let corruptSince = state.corruptSince;
  let partialTail = false;

  const endCorruption = (at: number): void => {
    if (corruptSince) corruptions.push({ offset: corruptSince.offset, skipped: at - corruptSince.offset, reason: corruptSince.reason });
    corruptSince = undefined;
    resyncing = false;
  };

  while (pos < end) {
    if (end - pos < HEADER_BYTES) {
      partialTail = true;
      break;
    }
    const at = pos - base;
    const len = headerLength(buf, at);
    if (len === null) {
      if (!resyncing) {
        resyncing = true;
        corruptSince = { offset: pos, reason: 'length CRC mismatch (corrupt record header)' };
      }
      pos += 1;
      continue;
    }
    if (end - pos < len + FRAME_OVERHEAD) {
      // Either a record still being appended, or (while resyncing) a chance match of a header CRC.
      partialTail = true;
      break;
    }
    const payload = buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + len);
    const dataOk = buf.readUInt32LE(at + HEADER_BYTES + len) === maskedCrc32c(payload);
    if (resyncing) {
      if (!dataOk) {
        pos += 1;
        continue;
      }
      endCorruption(pos);
    } else if (!dataOk) {
      corruptions.push({ offset: pos, skipped: len + FRAME_OVERHEAD, reason: 'payload CRC mismatch (corrupt record data)' });
      pos += len + FRAME_OVERHEAD;
      continue;
    }
    records.push({ offset: pos, payload });
    pos += len + FRAME_OVERHEAD;
  }
  return { records, corruptions, next: { offset: pos, resyncing, corruptSince }, partialTail };
}

/**
 * Reports what {@link scanFrames} left pending at the true end of a file that nobody writes any
 * more: an unfinished resync or a cut-short record becomes a corruption (a truncated tail).
 */
export function finishScan(state: FrameScanState, fileSize: number): FrameCorruption | null {
  if (state.resyncing && state.corruptSince) {
    return { offset: state.corruptSince.offset, skipped: fileSize - state.corruptSince.offset, reason: state.corruptSince.reason };
  }
  if (state.offset < fileSize) {
    return { offset: state.offset, skipped: fileSize - state.offset, reason: 'truncated record at end of file' };
  }
  return null;
}
