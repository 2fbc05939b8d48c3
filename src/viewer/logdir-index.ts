import { JsonRunSource } from './json-run-source.js';
import { scanLogdir } from './logdir-scan.js';
import type { RunSource, ViewerProblem } from './run-source.js';
import type { SafeRoot } from './safe-root.js';
import { TensorBoardRunSource } from './tensorboard-run-source.js';

/**
 * How often (at most) the logdir and each run are scanned again.
 *
 * @category Viewer
 */
export interface RefreshIntervals {
  /** Listing of run folders, ms (default 2000). */
  listMs: number;
  /** A run's files, ms (default 1000). */
  runMs: number;
  /**
   * Longest a request waits for a scan, ms (default 500). A first scan of a huge run goes on in
   * the background past it; the answer then covers the records indexed so far.
   */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The runs of a logdir, kept up to date lazily: requests trigger rescans, each at most once per
 * interval, and each scan reads only what was appended. Run ids are the keys of this index; a
 * request can only name a run the listing found.
 */
export class LogdirIndex {
  private readonly sources = new Map<string, RunSource>();
  private listing: Promise<void> | null = null;
  private lastList = 0;
  /** Problems of the logdir itself (links out of it, unreadable folders). */
  problems: ViewerProblem[] = [];

  constructor(
    /** The logdir boundary. */
    readonly root: SafeRoot,
    /** Rescan intervals. */
    readonly intervals: RefreshIntervals = { listMs: 2000, runMs: 1000 },
  ) {}

  /** Rescans the folder listing if it is older than the interval (concurrent callers share one scan). */
  private async relist(): Promise<void> {
    if (this.listing) return this.listing;
    if (this.lastList && Date.now() - this.lastList < this.intervals.listMs) return;
    this.listing = (async () => {
      const { runs, problems } = await scanLogdir(this.root);
      this.problems = problems;
      const ids = new Set(runs.map((r) => r.id));
      for (const id of [...this.sources.keys()]) if (!ids.has(id)) this.sources.delete(id);
      for (const r of runs) {
        const have = this.sources.get(r.id);
        if (have && have.kind === r.kind && have.dir === r.dir) continue;
        this.sources.set(r.id, r.kind === 'json' ? new JsonRunSource(r.id, r.dir, this.root) : new TensorBoardRunSource(r.id, r.dir, this.root));
      }
    })().finally(() => {
      this.lastList = Date.now();
      this.listing = null;
    });
    return this.listing;
  }

  /** Every run, each brought up to date. */
  async runs(): Promise<RunSource[]> {
    await this.relist();
    const all = [...this.sources.values()];
    await Promise.all(all.map((s) => this.bounded(s)));
    return all;
  }

  /**
   * Every run as last listed and read, without refreshing any: for what needs only their
   * descriptions (which run resumed which) while one run's request is answered.
   */
  known(): RunSource[] {
    return [...this.sources.values()];
  }

  /** The run with this id (brought up to date), or undefined when the listing has no such run. */
  async get(id: string): Promise<RunSource | undefined> {
    let source = this.sources.get(id);
    if (!source) {
      await this.relist();
      source = this.sources.get(id);
    }
    if (source) await this.bounded(source);
    return source;
  }

  /**
   * Refreshes a run. A request waits for a scan it starts (at most `waitMs`), but not for one
   * already running: a long first scan of a huge run must not delay every request behind it.
   */
  private async bounded(source: RunSource): Promise<void> {
    if (source.scanning) return;
    await Promise.race([source.refresh(this.intervals.runMs), sleep(this.intervals.waitMs ?? 500)]);
  }
}
