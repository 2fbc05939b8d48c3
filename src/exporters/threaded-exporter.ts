import type { EventLoopUtilization } from 'node:perf_hooks';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { siblingModule, sourceModeHooks } from '../core/engine/fused/source-hooks.js';
import { SPIN_MS, waitWhileEqual } from '../core/engine/fused/spin-wait.js';
import { ExportError, RnnbowError, type ErrorCode } from '../core/errors.js';
import type { Exporter, ExporterDefinition } from '../core/exporter.js';
import type { BatchRecord, RunInfo, RunSummary, TrainingScalars } from '../core/record.js';
import {
  EXPORT_WORDS,
  type ExportReply,
  type ExportRequest,
  type ExportWorkerData,
  type ThreadedExporterName,
  type WireError,
  WORD_RECORDS_DONE,
  WORD_SYNC_DONE,
} from './export-protocol.js';
import { jsonExporter } from './json/json-exporter.js';
import { tensorboardExporter } from './tensorboard/index.js';

/**
 * Recorded batches the export thread may have queued before `writeRecord` waits for it. Bounds
 * the memory a run uses when it records faster than the thread renders (every batch at B = 1),
 * and keeps what a killed process loses to the queue small.
 */
export const MAX_QUEUED_RECORDS = 16;

/**
 * Scalars and samples held back to go as one message. Each message wakes the thread (5-20 µs
 * on a virtual machine), and scalars come every 10 batches; they still arrive in order, ahead
 * of the next record, flush or close (the trainer flushes every few seconds).
 */
export const SMALL_CALLS_PER_MESSAGE = 32;

/** Longest the training thread waits for the export thread (queue room or a synchronous flush). */
export const EXPORT_WAIT_MS = 60_000;

/** Set to `0` to keep every exporter on the training thread. */
export const EXPORT_THREAD_ENV = 'RNNBOW_EXPORT_THREAD';

/**
 * Started in the export thread (as CommonJS, `eval`): registers the TypeScript hooks when running
 * from sources, then runs the worker module. If that fails, every request is answered with the
 * reason, so nothing on the training thread waits for an answer that never comes.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { data, port, syncPort, entry, hooks } = workerData;
(async () => {
  try {
    if (hooks) require('node:module').register(hooks.url, { data: hooks.data });
    const m = await import(entry);
    await m.runExportWorker(data, port, syncPort);
  } catch (e) {
    const error = { message: 'the export thread could not start: ' + ((e && e.message) || e) };
    const words = new Int32Array(data.shared);
    port.on('message', (m) => {
      if (m.op === 'flushSync') {
        syncPort.postMessage({ error });
        Atomics.add(words, ${WORD_SYNC_DONE}, 1);
        Atomics.notify(words, ${WORD_SYNC_DONE});
      } else if (m.op === 'record') {
        Atomics.add(words, ${WORD_RECORDS_DONE}, 1);
        Atomics.notify(words, ${WORD_RECORDS_DONE});
      } else if (m.id !== undefined) port.postMessage({ id: m.id, error });
      if (m.op === 'close') { port.close(); syncPort.close(); }
    });
  }
})();
`;

/** The built-in exporter a definition is, when it can run on an export thread. */
function threadableName(def: ExporterDefinition): ThreadedExporterName | null {
  if (def === jsonExporter) return 'json';
  if (def === tensorboardExporter) return 'tensorboard';
  return null;
}

/**
 * Creates the exporter a run uses: the built-in JSON and TensorBoard exporters on their own
 * thread ({@link ThreadedExporter}), plugin exporters (and everything when
 * `RNNBOW_EXPORT_THREAD=0`) on the calling thread. Options are checked here either way, so a
 * bad option fails before training starts.
 */
export function createRunExporter(def: ExporterDefinition, options: Record<string, unknown>): Exporter {
  const local = def.create(options);
  const name = threadableName(def);
  if (!name || process.env[EXPORT_THREAD_ENV] === '0') return local;
  return new ThreadedExporter(name, options);
}

/**
 * The export thread's young generation, in MiB. Each record arrives as a fresh copy and leaves as
 * strings, buffers and PNGs, all short-lived; with V8's default a thread's young generation kept
 * growing with that traffic, and a default run's resident memory with it (137 -> 231 MiB over
 * 5 million characters, against a flat heap after each collection). At 8 MiB it stays flat and a
 * run that records every batch exports as fast (measured side by side).
 */
const EXPORT_YOUNG_GENERATION_MB = 8;

/**
 * A built-in exporter run on a worker thread: the training thread's calls are queued to it in
 * order, so writing a recorded batch costs the training thread a structured clone instead of
 * its rendering. Same contract as any {@link Exporter}: `flush` resolves once everything
 * written before it is durable, `flushSync` (signal handlers) blocks until then, and a failed
 * write surfaces as the next `flush`'s (or `close`'s) rejection with the exporter's own error.
 */
export class ThreadedExporter implements Exporter {
  readonly name: string;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly syncPort: MessagePort;
  private readonly words: Int32Array;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: unknown) => void }>();
  private nextId = 1;
  private recordsSent = 0;
  private held: ExportRequest[] = [];
  private stopped: string | null = null;
  /** The thread's event-loop use once it had opened: {@link ThreadedExporter.busySeconds} counts from there. */
  private openedAt: EventLoopUtilization | undefined;
  /** The largest {@link ThreadedExporter.busySeconds} read so far. */
  private lastBusy = 0;

  /**
   * @param exporter which built-in exporter
   * @param options its options, as for its definition's `create`
   */
  constructor(exporter: ThreadedExporterName, options: Record<string, unknown>) {
    this.name = exporter;
    const shared = new SharedArrayBuffer(EXPORT_WORDS * 4);
    this.words = new Int32Array(shared);
    const channel = new MessageChannel();
    const sync = new MessageChannel();
    this.port = channel.port1;
    this.syncPort = sync.port1;
    const data: ExportWorkerData = { exporter, options, shared };
    const workerData = { data, port: channel.port2, syncPort: sync.port2, entry: siblingModule('export-worker', import.meta.url), hooks: sourceModeHooks() };
    this.worker = new Worker(BOOTSTRAP, { eval: true, workerData, transferList: [channel.port2, sync.port2], resourceLimits: { maxYoungGenerationSizeMb: EXPORT_YOUNG_GENERATION_MB } });
    // Neither keeps the process alive: the port is ref'd only while a request waits for its answer.
    this.worker.unref();
    this.port.unref();
    this.syncPort.unref();
    this.port.on('message', (reply: ExportReply) => this.settle(reply));
    this.worker.on('error', (err) => this.stop(`the export thread failed: ${err.message}`));
    this.worker.on('exit', (code) => {
      // The thread answers `close` and then exits; the exit can be seen before the answer's
      // message event. Answers it sent are already queued on the port: take them first.
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.settle(m.message as ExportReply);
      this.stop(`the export thread exited (code ${code})`);
    });
  }

  /** Recorded batches handed to the thread and not yet written by it (at most {@link MAX_QUEUED_RECORDS} + 1). */
  get queuedRecords(): number {
    return this.recordsSent - Atomics.load(this.words, WORD_RECORDS_DONE);
  }

  /** Opens the exporter in the thread; rejects as the exporter would (e.g. an unwritable folder). */
  async open(run: RunInfo, dir: string): Promise<void> {
    await this.request((id) => ({ op: 'open', id, run, dir }));
    // From here: the thread's start-up (loading its modules) and the opening are not the run's.
    this.openedAt = this.worker.performance.eventLoopUtilization();
  }

  /**
   * Seconds the export thread has been at work since it opened (its event loop's active time):
   * how much of a core the exporter takes, which the training thread's waits alone do not show.
   * 0 before it has opened.
   */
  busySeconds(): number {
    // Busy time only grows; a thread that has exited reads as zero, so keep the last reading
    // (taken at every flush too, so a thread that dies mid-run keeps most of its time).
    if (this.openedAt) this.lastBusy = Math.max(this.lastBusy, this.worker.performance.eventLoopUtilization(this.openedAt).active / 1000);
    return this.lastBusy;
  }

  /** Queues one training step's scalars. */
  writeScalars(batch: number, scalars: TrainingScalars, wallTime: number): void {
    this.hold({ op: 'scalars', batch, scalars, wallTime });
  }

  /**
   * Queues one recorded batch; waits first while {@link MAX_QUEUED_RECORDS} are still unwritten.
   * That wait sleeps instead of polling: the queue is full because the export thread is the
   * slower side, and on a 2-core machine a polling training thread takes the core that the
   * export threads need (recording every batch at B = 1 ran about 9% faster without the poll).
   */
  writeRecord(record: BatchRecord): void {
    this.waitFor(WORD_RECORDS_DONE, this.recordsSent - MAX_QUEUED_RECORDS, 'room in the export queue', 0);
    this.send({ op: 'record', record });
    this.recordsSent++;
  }

  /** Queues a generated sample. */
  writeSample(batch: number, text: string, wallTime: number): void {
    this.hold({ op: 'sample', batch, text, wallTime });
  }

  /** Resolves once everything queued before it is durable. */
  async flush(): Promise<void> {
    await this.request((id) => ({ op: 'flush', id }));
    this.busySeconds();
  }

  /** Blocks until everything queued before it is durable (for signal handlers). */
  flushSync(): void {
    const target = Atomics.load(this.words, WORD_SYNC_DONE) + 1;
    this.send({ op: 'flushSync' });
    this.waitFor(WORD_SYNC_DONE, target, 'a synchronous flush');
    const reply = receiveMessageOnPort(this.syncPort)?.message as ExportReply | undefined;
    if (reply?.error) throw fromWire(reply.error);
  }

  /** Closes the exporter in the thread, then ends the thread. */
  async close(summary: RunSummary): Promise<void> {
    try {
      await this.request((id) => ({ op: 'close', id, summary }));
    } finally {
      this.stopped ??= 'the exporter is closed';
      await this.worker.terminate();
    }
  }

  /** Ends the thread without closing the exporter (a run that failed before it started). */
  async terminate(): Promise<void> {
    this.stopped ??= 'the export thread was stopped';
    await this.worker.terminate();
  }

  private send(message: ExportRequest): void {
    if (this.stopped) throw this.stoppedError();
    this.sendHeld();
    this.port.postMessage(message);
  }

  /** Queues a small call to go with the next message; sends the lot once there are enough. */
  private hold(message: ExportRequest): void {
    if (this.stopped) throw this.stoppedError();
    this.held.push(message);
    if (this.held.length >= SMALL_CALLS_PER_MESSAGE) this.sendHeld();
  }

  /** Sends the held small calls, in order, as one message. */
  private sendHeld(): void {
    if (this.held.length === 0) return;
    this.port.postMessage({ op: 'many', requests: this.held } satisfies ExportRequest);
    this.held = [];
  }

  private request(message: (id: number) => ExportRequest): Promise<void> {
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      try {
        this.send(message(id));
      } catch (err) {
        reject(err);
        return;
      }
      this.waiting.set(id, { resolve, reject });
      this.port.ref();
    });
  }

  private settle(reply: ExportReply): void {
    const pending = reply.id === undefined ? undefined : this.waiting.get(reply.id);
    if (!pending) return;
    this.waiting.delete(reply.id!);
    if (this.waiting.size === 0) this.port.unref();
    if (reply.error) pending.reject(fromWire(reply.error));
    else pending.resolve();
  }

  /** What a call made after the thread stopped raises. */
  private stoppedError(): ExportError {
    return new ExportError(`${this.name} exporter: ${this.stopped}`, `set ${EXPORT_THREAD_ENV}=0 to export on the training thread`);
  }

  /** The thread is gone: every waiting request fails, and so does every later call. */
  private stop(reason: string): void {
    this.stopped ??= reason;
    const error = this.stoppedError();
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
    this.port.unref();
  }

  /**
   * Blocks until shared word `index` reaches `target` (the batch threads' `waitWhileEqual`, word
   * by word, polling for `spinMs` first). The thread's exit event cannot arrive while this thread
   * is blocked, so a thread that died is noticed by the time limit.
   */
  private waitFor(index: number, target: number, what: string, spinMs = SPIN_MS): void {
    const deadline = performance.now() + EXPORT_WAIT_MS;
    for (let now = Atomics.load(this.words, index); now < target; now = Atomics.load(this.words, index)) {
      if (!waitWhileEqual(this.words, index, now, deadline, spinMs)) {
        this.stop(`no answer from the export thread within ${EXPORT_WAIT_MS / 1000} s (waiting for ${what})`);
        throw this.stoppedError();
      }
    }
  }
}

/** The error a thread reported, raised again on this side. */
function fromWire(e: WireError): Error {
  if (e.code === 'EXPORT') return new ExportError(e.message, e.hint);
  if (e.code) return new RnnbowError(e.code as ErrorCode, e.message, e.hint);
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}
