import { open, readFile, stat } from 'node:fs/promises';
import type { BatchRecord, RunInfo, RunSummary } from '../core/record.js';
import { parseJson } from '../exporters/json/json-numbers.js';
import { JSON_FILES, RUN_SCHEMA } from '../exporters/json/schema.js';
import { recordShapeProblem } from '../core/record-shape.js';
import { RunSource, type RunStatus } from './run-source.js';

/**
 * Bytes read per chunk while scanning records.jsonl. Parsing a chunk holds the event loop (~40 ms
 * for 1 MB), so chunks stay small enough for requests to be answered during a long first scan.
 */
const CHUNK = 1024 * 1024;
const NEWLINE = 0x0a;

/**
 * A run written by the JSON exporter. `records.jsonl` is scanned once, incrementally: each new
 * complete line is parsed, summarised into the index with its byte offset and length, and dropped;
 * a batch request later reads exactly that line back. A last line without its newline is a record
 * still being written and is left for the next scan.
 */
export class JsonRunSource extends RunSource {
  readonly kind = 'json' as const;
  private scanned = 0;
  private lines = 0;
  private fileId = '';
  private recordsPath: string | null = null;
  private recordsRel: string | undefined;
  private pendingBytes = 0;
  private reportedTail = false;
  /** `mtime:size` of the run.json last read (or `absent`), so an unchanged file is not read again. */
  private runInfoStamp = '';
  private summaryRead = false;

  protected async scan(): Promise<void> {
    await this.readRunInfo();
    if (!this.info) return;
    const ended = await this.readSummary();
    const mtime = await this.scanRecords();
    if (!ended) this.status = this.liveStatus(mtime);
    if ((ended || this.status === 'stale') && this.pendingBytes > 0 && !this.reportedTail) {
      this.reportedTail = true;
      const why = ended ? 'the run ended while writing it' : 'nothing was appended for two minutes';
      this.problem({ file: this.rel(JSON_FILES.records), offset: this.scanned, message: `incomplete last line (${this.pendingBytes} bytes) ignored: ${why}` });
    }
  }

  private rel(name: string): string {
    return this.root.relative(`${this.dir}/${name}`);
  }

  private async readRunInfo(): Promise<void> {
    const where = await this.locate(JSON_FILES.run);
    if (!('real' in where)) {
      this.status = 'error';
      if (this.runInfoStamp !== 'absent') this.problem({ file: this.rel(JSON_FILES.run), message: 'outside' in where ? 'points outside the logdir; not read' : 'missing' });
      this.runInfoStamp = 'absent';
      return;
    }
    const { mtimeMs, size } = await stat(where.real);
    // The same file as last time: read (or failed to be read, and was reported) already. A file
    // that cannot be parsed is reported once, not on every refresh, until it is written again.
    const stamp = `${mtimeMs}:${size}`;
    if (stamp === this.runInfoStamp) return;
    this.runInfoStamp = stamp;
    try {
      const { schema, version: _v, ...run } = parseJson<RunInfo & { schema?: string; version?: number }>(await readFile(where.real, 'utf8'));
      if (schema !== RUN_SCHEMA) this.problem({ file: this.rel(JSON_FILES.run), message: `unexpected schema ${JSON.stringify(schema)} (expected "${RUN_SCHEMA}")` });
      if (!Array.isArray(run.vocab)) throw new Error('field "vocab" is missing');
      this.info = run;
    } catch (err) {
      this.status = 'error';
      this.problem({ file: this.rel(JSON_FILES.run), message: `cannot be read: ${(err as Error).message}` });
    }
  }

  /** Reads summary.json once it exists; true when the run has ended. */
  private async readSummary(): Promise<boolean> {
    if (this.summaryRead) return true;
    const where = await this.locate(JSON_FILES.summary);
    if (!('real' in where)) return false;
    try {
      const summary = parseJson<RunSummary>(await readFile(where.real, 'utf8'));
      const ok: RunStatus[] = ['completed', 'interrupted', 'failed'];
      this.status = ok.includes(summary.status as RunStatus) ? (summary.status as RunStatus) : 'ended';
    } catch (err) {
      this.status = 'ended';
      this.problem({ file: this.rel(JSON_FILES.summary), message: `cannot be read: ${(err as Error).message}` });
    }
    this.summaryRead = true;
    return true;
  }

  /** Reads the lines appended since the last scan; returns the file's mtime. */
  private async scanRecords(): Promise<number> {
    const where = await this.locate(JSON_FILES.records);
    if ('outside' in where) {
      if (this.recordsPath !== '') this.problem({ file: this.rel(JSON_FILES.records), message: 'points outside the logdir; not read' });
      this.recordsPath = '';
      return 0;
    }
    if (!('real' in where)) return 0;
    const st = await stat(where.real);
    const id = `${st.dev}:${st.ino}`;
    if ((this.fileId && id !== this.fileId) || st.size < this.scanned) {
      if (this.index) this.problem({ file: this.rel(JSON_FILES.records), message: 'the file was replaced or truncated; read again from the start' });
      this.resetIndex();
      this.scanned = 0;
      this.lines = 0;
    }
    this.fileId = id;
    this.recordsPath = where.real;
    if (st.size === this.scanned) return st.mtimeMs;
    const fh = await open(where.real, 'r');
    try {
      let pos = this.scanned;
      let carry: Buffer | null = null;
      while (pos < st.size) {
        const len = Math.min(CHUNK, st.size - pos);
        const buf = Buffer.allocUnsafe(len);
        const { bytesRead } = await fh.read(buf, 0, len, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        const data: Buffer = carry ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
        const base = this.scanned;
        let start = 0;
        for (let nl = data.indexOf(NEWLINE, start); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
          this.consumeLine(data, start, nl, base + start);
          start = nl + 1;
        }
        this.scanned = base + start;
        carry = start < data.length ? data.subarray(start) : null;
      }
      this.pendingBytes = st.size - this.scanned;
    } finally {
      await fh.close();
    }
    return st.mtimeMs;
  }

  private consumeLine(data: Buffer, start: number, end: number, offset: number): void {
    this.lines++;
    let s = start;
    while (s < end && (data[s] === 0x20 || data[s] === 0x09 || data[s] === 0x0d)) s++;
    if (s === end) return;
    const file = (this.recordsRel ??= this.rel(JSON_FILES.records));
    let record: BatchRecord;
    try {
      record = parseJson<BatchRecord>(data.toString('utf8', start, end));
    } catch (err) {
      this.problem({ file, line: this.lines, offset, message: `not valid JSON (${(err as Error).message})` });
      return;
    }
    const bad = recordShapeProblem(record);
    if (bad) {
      this.problem({ file, line: this.lines, offset, message: `not an rnnbow batch record: ${bad}` });
      return;
    }
    this.addRecord(record, { file: 0, offset, length: end - start });
  }

  async recordText(r: number): Promise<string> {
    if (!this.index || !this.recordsPath) throw new Error('no records');
    const { offset, length } = this.index.location(r);
    const fh = await open(this.recordsPath, 'r');
    try {
      const buf = Buffer.allocUnsafe(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.toString('utf8', 0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  async readRecord(r: number): Promise<BatchRecord> {
    return parseJson<BatchRecord>(await this.recordText(r));
  }
}
