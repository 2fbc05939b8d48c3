import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { BatchRecord, RunInfo } from '../core/record.js';
import { RecordIndex, type RecordLocation } from './record-index.js';
import { summarizeRecord } from './record-summary.js';
import type { SafeRoot } from './safe-root.js';
import { runSeries, type Series } from './series.js';

/** A problem with a run's files, shown in the page (reading goes on past it). */
export interface ViewerProblem {
  /** File, relative to the logdir. */
  file: string;
  /** 1-based line, for JSON Lines. */
  line?: number;
  /** Byte offset, when known. */
  offset?: number;
  /** What is wrong, in one line. */
  message: string;
}

/**
 * How a run stands: ended (`completed`, `interrupted`, `failed`, or `ended` for event files, whose
 * end record does not say how), `running` (files changed in the last two minutes), `stale` (no
 * end written and nothing new for a while: killed, or paused), `error` (its run description
 * cannot be read).
 */
export type RunStatus = 'running' | 'stale' | 'completed' | 'interrupted' | 'failed' | 'ended' | 'error';

/** The shape of a run's records, taken from its first record. */
export interface RecordShape {
  /** Steps n. */
  n: number;
  /** Truncation k (null = full itemization). */
  k: number | null;
  /** Reduction of each itemized gradient to a number. */
  reduction: string;
}

/** Where a run's data comes from. */
export type RunSourceKind = 'json' | 'tensorboard';

/** Problems kept per run; later ones are only counted. */
const MAX_PROBLEMS = 200;
/** A run whose files changed this recently counts as running. */
export const RUNNING_WINDOW_MS = 120_000;
/** Values derived from single records kept per run (see {@link RunSource.derived}). */
export const MAX_DERIVED = 20_000;
/** Distance slots kept per record for the horizon-over-training chart (longer rows fold into the last). */
export const MAX_DISTANCE_SLOTS = 64;

/** The result of looking up a run's file: its real path, or why it cannot be read. */
export type Located = { real: string } | { missing: true } | { outside: true };

/**
 * One run of the logdir, read incrementally: each {@link refresh} reads only what was appended
 * since the last one and adds it to the run's {@link RecordIndex}. Subclasses know a file format.
 */
export abstract class RunSource {
  /** Index of the records read so far (null until the first record). */
  index: RecordIndex | null = null;
  /** The run description (null until read). */
  info: RunInfo | null = null;
  /** Series of the run, in order (fixed by the run description or the first record). */
  series: Series[] = [];
  /** The series the overview shows by default: the primary parameter, whole. */
  primary: Series | null = null;
  /** How the run stands. */
  status: RunStatus = 'running';
  /** Problems found so far (the first {@link MAX_PROBLEMS}). */
  readonly problems: ViewerProblem[] = [];
  /** All problems found, including those not kept. */
  problemCount = 0;
  /** Bumped whenever the index changes, so caches and the page's live mode notice. */
  version = 0;
  /** Last time (ms) the run's files were seen to change. */
  lastChange = 0;
  /** Shape of the first record (see {@link RecordShape}). */
  shape: RecordShape | null = null;
  private refreshing: Promise<void> | null = null;
  private lastRefresh = 0;
  /** Until a scan has read every record there was (again, after the index was reset). */
  private catchingUp = true;
  private readonly caches = new Map<string, { version: number; value: unknown }>();
  private readonly derivedValues = new Map<string, Promise<unknown>>();

  constructor(
    /** Run id: the folder's path relative to the logdir. */
    readonly id: string,
    /** The run folder (a real path inside the root). */
    readonly dir: string,
    /** The logdir boundary. */
    protected readonly root: SafeRoot,
  ) {}

  /** Format of the run's files. */
  abstract readonly kind: RunSourceKind;

  /** Reads what changed since the last scan. */
  protected abstract scan(): Promise<void>;

  /** The record at rank `r` as JSON text (non-finite numbers as the strings "NaN", "Infinity"). */
  abstract recordText(r: number): Promise<string>;

  /** The record at rank `r`, parsed. */
  abstract readRecord(r: number): Promise<BatchRecord>;

  /** True while a scan is reading the run's files (the index may still grow). */
  get scanning(): boolean {
    return this.refreshing !== null;
  }

  /**
   * True while the index is still reading the records that were there before: the first scan, or
   * the one after the files were replaced. A live run's later scans read what was just appended;
   * with the trainer in the same process (`train --serve`) each takes a while, and the page would
   * otherwise say "indexing" for the whole run.
   */
  get indexing(): boolean {
    return this.catchingUp;
  }

  /**
   * Brings the index up to date, at most once per `minIntervalMs`; concurrent callers share one
   * scan. Never throws: a failure becomes a problem of the run.
   */
  refresh(minIntervalMs: number): Promise<void> {
    if (this.refreshing) return this.refreshing;
    if (Date.now() - this.lastRefresh < minIntervalMs) return Promise.resolve();
    this.refreshing = this.scan()
      .catch((err: unknown) => this.problem({ file: this.root.relative(this.dir), message: `cannot read: ${(err as Error).message}` }))
      .finally(() => {
        this.lastRefresh = Date.now();
        this.refreshing = null;
        this.catchingUp = false;
      });
    return this.refreshing;
  }

  /** Records a problem. */
  protected problem(p: ViewerProblem): void {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }

  /** Forgets every record (the file was replaced or truncated); the next scan starts over. */
  protected resetIndex(): void {
    this.index = null;
    this.catchingUp = true;
    this.derivedValues.clear();
    this.version++;
  }

  /** Adds one record read from `at`. */
  protected addRecord(record: BatchRecord, at: RecordLocation): void {
    if (!this.index) {
      if (this.series.length === 0) this.series = runSeries(this.info, record);
      this.primary = this.series.find((s) => s.param === record.primary && s.gate === undefined) ?? { key: record.primary, param: record.primary };
      const width = Math.min(MAX_DISTANCE_SLOTS, Math.max(1, record.k === null || record.k === undefined ? record.n : record.k + 1));
      this.index = new RecordIndex(this.series.length, width);
      this.shape = { n: record.n, k: record.k ?? null, reduction: record.reduction };
    }
    this.index.push(summarizeRecord(record, this.series, this.primary!, this.index.width), at);
    this.version++;
    // Records arriving while the viewer watches mean the run is live, whatever the file times say
    // (a writer with a slow clock); those found by the first scan say nothing about now.
    if (this.lastRefresh > 0) this.lastChange = Date.now();
  }

  /** Looks up one of the run's files: its real path when it exists inside the logdir. */
  protected async locate(name: string): Promise<Located> {
    const file = path.join(this.dir, name);
    try {
      await lstat(file);
    } catch {
      return { missing: true };
    }
    const real = await this.root.resolve(file);
    return real ? { real } : { outside: true };
  }

  /** A value computed from the index, recomputed only after the index changed. */
  cached<T>(key: string, compute: () => T): T {
    const hit = this.caches.get(key);
    if (hit && hit.version === this.version) return hit.value as T;
    const value = compute();
    if (this.caches.size > 64) this.caches.clear();
    this.caches.set(key, { version: this.version, value });
    return value;
  }

  /**
   * A value derived from the record at rank `r` (e.g. a gate's mass by distance), computed once:
   * a record never changes once written, so it is kept until the file is read again from the
   * start. Keyed by the record's slot, which unlike its rank does not move when a record arrives
   * out of order. At most {@link MAX_DERIVED} values are kept (the oldest are dropped).
   */
  derived<T>(kind: string, r: number, compute: () => Promise<T>): Promise<T> {
    if (!this.index) return compute();
    const key = `${kind}\u0000${this.index.slot(r)}`;
    const hit = this.derivedValues.get(key);
    if (hit) return hit as Promise<T>;
    const value = compute();
    this.derivedValues.set(key, value);
    while (this.derivedValues.size > MAX_DERIVED) this.derivedValues.delete(this.derivedValues.keys().next().value!);
    return value;
  }

  /** Status from the time of the last change, for a run that wrote no end. */
  protected liveStatus(mtimeMs: number): RunStatus {
    return Date.now() - Math.max(mtimeMs, this.lastChange) < RUNNING_WINDOW_MS ? 'running' : 'stale';
  }
}
