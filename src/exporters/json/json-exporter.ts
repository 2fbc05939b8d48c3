import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { ExportError } from '../../core/errors.js';
import type { Exporter, ExporterDefinition } from '../../core/exporter.js';
import { knownOptions, numberOption } from '../../core/options.js';
import type { BatchRecord, RunInfo, RunSummary, TrainingScalars } from '../../core/record.js';
import { LineFile, type LineFileSystem } from '../line-file.js';
import { stringifyJson } from './json-numbers.js';
import { BATCH_SCHEMA, JSON_FILES, JSON_SCHEMA_VERSION, RUN_SCHEMA } from './schema.js';

/**
 * Characters (UTF-16 code units) a JSON Lines file queues before it is written without waiting
 * for the flush interval.
 *
 * @category JSON runs
 */
export const JSON_QUEUE_CHARS = 1 << 20;

/**
 * Streams a run as JSON Lines: `run.json` once, then one line per record, scalar step and sample,
 * written every `flushSeconds` (default 2), whenever a file queues {@link JSON_QUEUE_CHARS}, and on
 * close. After a write fails nothing more is written, and the next flush or the close throws.
 *
 * @category JSON runs
 */
export class JsonExporter implements Exporter {
  readonly name = 'json';
  private files?: { records: LineFile; scalars: LineFile; samples: LineFile };
  private dir = '';
  private timer?: NodeJS.Timeout;
  private failure?: ExportError;

  /**
   * @param flushSeconds seconds between timed writes
   * @param fs the JSON Lines files' file-system calls (tests simulate failing disks); node:fs by default
   */
  constructor(
    private readonly flushSeconds = 2,
    private readonly fs?: LineFileSystem,
  ) {}

  async open(run: RunInfo, dir: string): Promise<void> {
    this.dir = dir;
    try {
      writeFileAtomic(path.join(dir, JSON_FILES.run), stringifyJson({ schema: RUN_SCHEMA, version: JSON_SCHEMA_VERSION, ...run }) + '\n');
    } catch (err) {
      throw new ExportError(`cannot write ${path.join(dir, JSON_FILES.run)}: ${(err as NodeJS.ErrnoException).code}`, 'check that the logdir is writable');
    }
    this.files = {
      records: new LineFile(path.join(dir, JSON_FILES.records), this.fs),
      scalars: new LineFile(path.join(dir, JSON_FILES.scalars), this.fs),
      samples: new LineFile(path.join(dir, JSON_FILES.samples), this.fs),
    };
    for (const f of Object.values(this.files)) f.open();
    this.timer = setInterval(() => {
      try {
        this.flushSync();
      } catch {
        // Kept by flushSync for the trainer's next flush.
      }
    }, this.flushSeconds * 1000);
    this.timer.unref();
  }

  writeScalars(batch: number, scalars: TrainingScalars, wallTime: number): void {
    this.push(this.files!.scalars, stringifyJson({ batch, wallTime, ...scalars }));
  }

  writeRecord(record: BatchRecord): void {
    this.push(this.files!.records, stringifyJson({ schema: BATCH_SCHEMA, version: JSON_SCHEMA_VERSION, ...record }));
  }

  writeSample(batch: number, text: string, wallTime: number): void {
    this.push(this.files!.samples, stringifyJson({ batch, wallTime, text }));
  }

  /**
   * Queues a line, and writes the file's queue once it holds {@link JSON_QUEUE_CHARS}: recording every
   * batch queues 28 KB lines by the hundred a second, and one 2-second queue copied into one
   * string and one buffer (about 30 MB) is garbage the old generation has to collect
   * (docs/performance.md). A write that fails here fails the next flush and the close, as the
   * timer's do.
   */
  private push(file: LineFile, line: string): void {
    file.push(line);
    // After a failed write nothing more is written: lines behind lost ones would hide the gap.
    if (file.pendingChars < JSON_QUEUE_CHARS || this.failure) return;
    try {
      file.flush();
    } catch (err) {
      this.failure ??= err as ExportError;
    }
  }

  async flush(): Promise<void> {
    this.flushSync();
  }

  /** Writes everything buffered, synchronously (used from signal handlers). */
  flushSync(): void {
    if (this.failure) throw this.failure;
    if (!this.files) return;
    try {
      for (const f of Object.values(this.files)) f.flush();
    } catch (err) {
      // Kept: every later flush and the close fail with it, and nothing more is written.
      this.failure = err as ExportError;
      throw err;
    }
  }

  async close(summary: RunSummary): Promise<void> {
    clearInterval(this.timer);
    if (!this.files) return;
    const files = Object.values(this.files);
    this.files = undefined;
    // A write failed since the last flush (the timer's, or one of a full queue): the files end
    // where the failure left them, and the run learns of it here rather than ending "completed".
    if (this.failure) {
      for (const f of files) f.abandon();
      throw this.failure;
    }
    for (const f of files) f.close();
    writeFileAtomic(path.join(this.dir, JSON_FILES.summary), stringifyJson(summary) + '\n');
  }
}

/**
 * Registration of the JSON exporter: `run.json`, `records.jsonl`, `scalars.jsonl`,
 * `samples.jsonl` and `summary.json` in the run folder (docs/json-schema.md), read back by
 * {@link readJsonRun}. Option `flushSeconds` (> 0, default 2); others throw a {@link ConfigError}.
 *
 * @category JSON runs
 */
export const jsonExporter: ExporterDefinition = {
  name: 'json',
  description: 'JSON Lines: run.json, records.jsonl, scalars.jsonl, samples.jsonl (docs/json-schema.md)',
  create: (options) => {
    knownOptions('exporter "json"', options, ['flushSeconds']);
    // Above 0: an interval of 0 or less would flush on every tick of the event loop.
    return new JsonExporter(numberOption('exporter "json"', options, 'flushSeconds', 2, 0));
  },
};
