import type { Exporter } from '../../core/exporter.js';
import type { BatchRecord, RunInfo, RunSummary, TrainingScalars } from '../../core/record.js';
import { ExportError } from '../../core/errors.js';
import { EventFileWriter, type WriterFileSystem } from './event-file-writer.js';
import type { TensorBoardOptions } from './options.js';
import type { SummaryValueMessage } from './proto.js';
import { recordValues, runInfoValue, sampleValue, scalarValues } from './record-summaries.js';
import { customScalarsLayout, sessionStartInfo, sessionStatus } from './run-summaries.js';
import { customScalarsValue, hparamsValue } from './summaries.js';
import { SummaryWriter } from './summary-writer.js';
import { TAGS } from './tags.js';

/**
 * Writes one run as a TensorBoard event file in the run's folder: scalars, histograms, images,
 * text, hparams, a custom-scalars layout, and the full records under plugin `rnnbow`
 * (docs/tensorboard.md lists every tag). Writes are buffered (see {@link EventFileWriter}).
 *
 * @category TensorBoard event files
 */
export class TensorBoardExporter implements Exporter {
  /** Registered name. */
  readonly name = 'tensorboard';
  private writer: SummaryWriter | null = null;
  private run: RunInfo | null = null;
  private closed = false;
  /** The step of the session end: one past the last batch written. */
  private endStep = 0;

  constructor(
    private readonly options: TensorBoardOptions,
    /** Injected file-system calls (tests). */
    private readonly fs?: WriterFileSystem,
  ) {}

  /** Path of the event file, once open. */
  get eventFilePath(): string | null {
    return this.writer?.file.path ?? null;
  }

  /**
   * Creates the event file in `dir` and writes the run's start: the RunInfo (`rnnbow/run`), the
   * hparams session start and the custom-scalars layout, flushed at once.
   */
  async open(run: RunInfo, dir: string): Promise<void> {
    if (this.writer) throw new ExportError('tensorboard exporter: open() called twice');
    const file = EventFileWriter.open(dir, {
      flushIntervalMs: this.options.flushIntervalMs,
      maxPendingBytes: this.options.maxPendingBytes,
      fs: this.fs,
      writerName: `rnnbow ${run.rnnbowVersion}`,
    });
    this.writer = new SummaryWriter(file);
    this.run = run;
    const started = Date.parse(run.startedAt);
    const wallTime = (Number.isFinite(started) ? started : Date.now()) / 1000;
    this.writer.write(0, wallTime, [
      runInfoValue(run),
      hparamsValue(TAGS.hparamsSessionStart, { sessionStartInfo: sessionStartInfo(run, wallTime) }),
      customScalarsValue(customScalarsLayout()),
    ]);
    file.flushSync();
  }

  /** Buffers the training scalars of `batch` (loss, batches trained, and validation loss, chars/s, grad norm when given). */
  writeScalars(batch: number, scalars: TrainingScalars, wallTime: number): void {
    this.write(batch, wallTime, scalarValues(scalars, batch));
  }

  /** Buffers everything for one recorded batch (scalars, histogram, images, text, full record). */
  writeRecord(record: BatchRecord): void {
    this.write(record.batch, record.wallTime, recordValues(record, this.run!.vocab, this.options));
  }

  /** Buffers a generated sample as text (`samples/text`). */
  writeSample(batch: number, text: string, wallTime: number): void {
    this.write(batch, wallTime, [sampleValue(batch, text)]);
  }

  /** Buffers the values of one batch, noting the step: the session end goes after the last batch. */
  private write(batch: number, wallTime: number, values: readonly SummaryValueMessage[]): void {
    this.active().write(batch, wallTime, values);
    if (batch >= this.endStep) this.endStep = batch + 1;
  }

  /** Writes everything buffered to the file. Rejects with {@link ExportError} on I/O failure. */
  async flush(): Promise<void> {
    this.active().file.flushSync();
  }

  /**
   * Writes everything buffered before returning, for SIGINT/SIGTERM handlers (which cannot wait
   * for a promise). Throws {@link ExportError} on I/O failure; a no-op once closed.
   */
  flushSync(): void {
    if (this.closed || !this.writer) return;
    this.writer.file.flushSync();
  }

  /**
   * Writes the hparams session end (status from `summary`), flushes, syncs and closes the file.
   * Rejects with the writer's {@link ExportError} if writing failed at any point.
   */
  async close(summary: RunSummary): Promise<void> {
    if (this.closed) return;
    const writer = this.active();
    this.closed = true;
    try {
      if (!writer.file.error) {
        // After the run's last batch, which for a resumed run is past the batches of this session.
        writer.write(Math.max(this.endStep, summary.batches), Date.now() / 1000, [
          hparamsValue(TAGS.hparamsSessionEnd, { sessionEndInfo: { status: sessionStatus(summary.status), endTimeSecs: Date.now() / 1000 } }),
        ]);
      }
    } finally {
      writer.file.closeSync();
    }
  }

  private active(): SummaryWriter {
    if (!this.writer) throw new ExportError('tensorboard exporter: used before open()');
    if (this.closed) throw new ExportError('tensorboard exporter: used after close()');
    return this.writer;
  }
}
