/**
 * What the training thread and an export thread (src/exporters/export-worker.ts) say to each
 * other. Requests go in order on one port; the thread answers `open`, `flush` and `close` on
 * the same port, and `flushSync` on a second port that the training thread reads synchronously.
 */
import type { BatchRecord, RunInfo, RunSummary, TrainingScalars } from '../core/record.js';

/** Shared word: records the export thread has written (the training thread's backpressure counter). */
export const WORD_RECORDS_DONE = 0;
/** Shared word: synchronous flushes the export thread has finished. */
export const WORD_SYNC_DONE = 1;
/** Shared words in all. */
export const EXPORT_WORDS = 2;

/** The built-in exporters an export thread can host (created there from the same options). */
export type ThreadedExporterName = 'json' | 'tensorboard';

/** What an export thread is started with (`workerData.data`). */
export interface ExportWorkerData {
  /** Which built-in exporter. */
  readonly exporter: ThreadedExporterName;
  /** Its options, exactly as the config gave them. */
  readonly options: Record<string, unknown>;
  /** {@link EXPORT_WORDS} int32 words. */
  readonly shared: SharedArrayBuffer;
}

/** One request, in the order the exporter methods were called. */
export type ExportRequest =
  | { readonly op: 'open'; readonly id: number; readonly run: RunInfo; readonly dir: string }
  | { readonly op: 'scalars'; readonly batch: number; readonly scalars: TrainingScalars; readonly wallTime: number }
  | { readonly op: 'record'; readonly record: BatchRecord }
  | { readonly op: 'sample'; readonly batch: number; readonly text: string; readonly wallTime: number }
  | { readonly op: 'flush'; readonly id: number }
  | { readonly op: 'flushSync' }
  | { readonly op: 'close'; readonly id: number; readonly summary: RunSummary }
  /** Scalars and samples sent together (one message, one wake-up of the thread, for many calls). */
  | { readonly op: 'many'; readonly requests: readonly ExportRequest[] };

/** An error as it crosses threads: enough to raise the same rnnbow error on the other side. */
export interface WireError {
  /** RnnbowError code, when it was one. */
  readonly code?: string;
  /** The message. */
  readonly message: string;
  /** The hint, when it had one. */
  readonly hint?: string;
  /** Stack of an unexpected error (a bug), for the report. */
  readonly stack?: string;
}

/** The answer to `open`, `flush`, `close` (with the request's id) or `flushSync` (without). */
export interface ExportReply {
  /** The request's id (`flushSync` has none). */
  readonly id?: number;
  /** Set when the request failed. */
  readonly error?: WireError;
}
