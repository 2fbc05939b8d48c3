import { open, stat } from 'node:fs/promises';
import type { BatchRecord } from '../core/record.js';
import { stringifyJson } from '../exporters/json/json-numbers.js';
import { BATCH_SCHEMA, JSON_SCHEMA_VERSION } from '../exporters/json/schema.js';
import { int64ToNumber, tensorboardProtos } from '../exporters/tensorboard/proto.js';
import { PLUGINS, RunReader, TAGS, type ReadProblem, type RunValue } from '../exporters/tensorboard/index.js';
import { recordShapeProblem } from '../core/record-shape.js';
import { RunSource } from './run-source.js';

/** TFRecord header: uint64 length + its masked CRC. */
const HEADER_BYTES = 12;

/**
 * Bytes of event files read (and decoded) per slice: one slice's events and records are all that
 * is held at once. A densely recorded run's first read otherwise decoded hundreds of MB together
 * (2.2 GB of heap for a 660 MB file) and kept every request waiting until it was done.
 */
export const EVENT_SLICE_BYTES = 4 * 1024 * 1024;

/** Lets the event loop answer requests between slices of a long first read. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A run known only from TensorBoard event files (the `rnnbow` plugin's records). The event-file
 * reader follows the files a bounded slice at a time ({@link EVENT_SLICE_BYTES}): each record is
 * decoded exactly, summarised into the index with its frame's file and offset, and dropped, so
 * memory does not grow with the file and the index fills in while a large run is read. A batch
 * request decodes that one frame again.
 */
export class TensorBoardRunSource extends RunSource {
  readonly kind = 'tensorboard' as const;
  private readonly reader: RunReader;
  private readonly files: string[] = [];
  private sawRunInfo = false;
  private ended = false;
  private reportedNoInfo = false;
  /** `file:offset` of cut-short tails already reported, so each is reported once. */
  private readonly reportedTails = new Set<string>();

  constructor(id: string, dir: string, root: ConstructorParameters<typeof RunSource>[2]) {
    super(id, dir, root);
    this.reader = new RunReader(dir, id);
  }

  private report(p: ReadProblem, message = p.message): void {
    this.problem({ file: this.root.relative(p.file), offset: p.offset, message: `${p.kind}: ${message}` });
  }

  protected async scan(): Promise<void> {
    for (let more = true; more; ) {
      const update = await this.reader.poll(EVENT_SLICE_BYTES);
      more = update.more;
      for (const p of update.problems) this.report(p);
      if (update.runInfo && !this.info) this.info = update.runInfo;
      if (this.reader.runInfo) this.sawRunInfo = true;
      // Records come in the order of their values; pair each with its value's location by batch.
      let next = 0;
      for (const v of update.values) {
        if (v.tag === TAGS.hparamsSessionEnd) this.ended = true;
        if (v.tag !== TAGS.record || next >= update.records.length) continue;
        const record = update.records[next];
        if (record.batch !== v.step) continue;
        next++;
        const bad = recordShapeProblem(record);
        if (bad) {
          this.problem({ file: this.root.relative(v.file), offset: v.offset, message: `not an rnnbow batch record: ${bad}` });
          continue;
        }
        this.addRecord(record, { file: this.fileIndex(v.file), offset: v.offset, length: 0 });
      }
      if (more) await yieldToRequests();
    }
    let mtime = 0;
    for (const f of this.reader.eventFiles) mtime = Math.max(mtime, (await stat(f).catch(() => ({ mtimeMs: 0 }))).mtimeMs);
    this.status = this.ended ? 'ended' : this.liveStatus(mtime);
    // While a run is live its last record may be half-written; once it has ended or gone quiet,
    // a cut-short tail is damage (e.g. the machine died mid-write) and the user should hear of it.
    if (this.ended || this.status === 'stale') {
      for (const p of this.reader.pendingProblems()) {
        const key = `${p.file}:${p.offset}`;
        if (this.reportedTails.has(key)) continue;
        this.reportedTails.add(key);
        const why = this.ended ? 'after the run ended' : 'and nothing was appended for two minutes';
        this.report(p, `${p.message.replace(/; the writer may still be appending it$/, '')} ${why}`);
      }
    }
    if (!this.sawRunInfo && !this.reportedNoInfo && this.reader.eventFiles.length > 0 && (this.ended || this.status === 'stale')) {
      this.reportedNoInfo = true;
      this.problem({ file: this.root.relative(this.dir), message: 'the event files hold no rnnbow run description (written by another tool, or without rnnbow records)' });
    }
  }

  private fileIndex(file: string): number {
    let i = this.files.indexOf(file);
    if (i < 0) i = this.files.push(file) - 1;
    return i;
  }

  async readRecord(r: number): Promise<BatchRecord> {
    if (!this.index) throw new Error('no records');
    const { file: fi, offset } = this.index.location(r);
    const file = this.files[fi];
    // The file came from the reader's own listing of this run folder; check it is still inside.
    const real = await this.root.resolve(file);
    if (!real) throw new Error(`${this.root.relative(file)} is no longer inside the logdir`);
    const fh = await open(real, 'r');
    let payload: Buffer;
    try {
      const head = Buffer.alloc(HEADER_BYTES);
      await fh.read(head, 0, HEADER_BYTES, offset);
      const length = Number(head.readBigUInt64LE(0));
      payload = Buffer.allocUnsafe(length);
      const { bytesRead } = await fh.read(payload, 0, length, offset + HEADER_BYTES);
      if (bytesRead !== length) throw new Error(`record at offset ${offset} is cut short`);
    } finally {
      await fh.close();
    }
    const event = tensorboardProtos().Event.decode(payload);
    const value = event.summary?.value?.find((v) => v.tag === TAGS.record);
    if (!value) throw new Error(`no ${TAGS.record} value at offset ${offset}`);
    const rv: RunValue = { tag: TAGS.record, step: int64ToNumber(event.step), wallTime: event.wallTime ?? 0, plugin: PLUGINS.rnnbow, value, file, offset };
    const decoded = this.reader.decode(rv);
    if (decoded.kind !== 'rnnbow-record') throw new Error(`value at offset ${offset} is not an rnnbow record`);
    return decoded.record;
  }

  async recordText(r: number): Promise<string> {
    return stringifyJson({ schema: BATCH_SCHEMA, version: JSON_SCHEMA_VERSION, ...(await this.readRecord(r)) });
  }
}
