/**
 * How much of a run's time went to its exporters. Recording every batch can make an exporter,
 * not the model, set a run's pace (rendering a fully itemized batch for TensorBoard takes longer
 * than training it at B = 1), and nothing else tells the user so: the run is simply slow.
 */

/** Share of the training time spent waiting in the exporters' calls from which rnnbow says so. */
export const EXPORT_SHARE_TO_REPORT = 0.2;

/** Seconds of training after which a run says, once, that its exporters set its pace. */
export const EXPORT_NOTICE_AFTER_SECONDS = 10;

/** What a timed exporter call was: which of the run's schedules it belongs to. */
export type ExportCall = 'records' | 'scalars' | 'samples' | 'flushes';

/** The calls a schedule of the run's sets the number of, with the flag that sets it. */
const SCHEDULES: readonly { call: ExportCall; advice: string }[] = [
  { call: 'records', advice: 'record less often (--every)' },
  { call: 'scalars', advice: 'log scalars less often (--log-every)' },
  { call: 'samples', advice: 'sample less often (--sample-every)' },
];

/**
 * Time spent in each exporter's calls, measured on the training thread: for an exporter on its
 * own thread that is the hand-off and any wait for room in its queue or for a flush; for one on
 * the training thread, all of its work. Also kept by kind of call, which says which schedule
 * to thin when the exporters set the pace.
 */
export class ExportTimer {
  private readonly ms: number[];
  private readonly callMs: Record<ExportCall, number> = { records: 0, scalars: 0, samples: 0, flushes: 0 };

  /** @param names the exporters' names, in the order the trainer calls them */
  constructor(private readonly names: readonly string[]) {
    this.ms = names.map(() => 0);
  }

  /** Runs exporter `index`'s call `fn`, of kind `call`, adding the time it took to the totals. */
  time<T>(index: number, call: ExportCall, fn: () => T): T {
    const start = performance.now();
    try {
      return fn();
    } finally {
      this.add(index, call, performance.now() - start);
    }
  }

  /** The same for a call that returns a promise: the time until it settles. */
  async timeAsync(index: number, call: ExportCall, fn: () => Promise<void>): Promise<void> {
    const start = performance.now();
    try {
      await fn();
    } finally {
      this.add(index, call, performance.now() - start);
    }
  }

  /** Seconds per exporter, in the order of the names given. */
  perExporter(): number[] {
    return this.ms.map((ms) => ms / 1000);
  }

  /** Seconds per exporter name (two exporters of one name add up). */
  seconds(): Record<string, number> {
    return byName(this.names, this.perExporter());
  }

  /** Seconds per kind of call, all exporters together. */
  byCall(): Record<ExportCall, number> {
    const { records, scalars, samples, flushes } = this.callMs;
    return { records: records / 1000, scalars: scalars / 1000, samples: samples / 1000, flushes: flushes / 1000 };
  }

  private add(index: number, call: ExportCall, ms: number): void {
    this.ms[index] += ms;
    this.callMs[call] += ms;
  }
}

/** `values[i]` keyed by `names[i]`; values of one name add up. */
export function byName(names: readonly string[], values: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((name, i) => {
    out[name] = (out[name] ?? 0) + values[i];
  });
  return out;
}

/** What the exporters took of a run, as shares of its `seconds` (see {@link exportShares}). */
export interface ExportShares {
  /** Share of the training loop spent in the exporters' calls (0-1). */
  waited: number;
  /** Exporter names, busiest first. */
  names: string[];
  /** Each exporter's busy time as a percentage of the run, busiest first: `tensorboard 97%, json 47%`. */
  busy: string;
}

/**
 * The shares the run's line and the benchmark both report: how long the loop waited in the
 * exporters' calls (`waited`, seconds per exporter) and how busy each exporter was (`busy`, or
 * its waited time where that is missing), against the run's `seconds`.
 */
export function exportShares(waited: Readonly<Record<string, number>>, busy: Readonly<Record<string, number>>, seconds: number): ExportShares {
  const total = Object.values(waited).reduce((sum, s) => sum + s, 0);
  const names = Object.keys(waited).sort((a, b) => (busy[b] ?? 0) - (busy[a] ?? 0));
  return { waited: total / seconds, names, busy: names.map((name) => `${name} ${percent((busy[name] ?? waited[name]) / seconds)}`).join(', ') };
}

/** A share (0-1) as a whole percentage: `47%`. */
export function percent(share: number): string {
  return `${Math.round(100 * share)}%`;
}

/**
 * One line saying that the exporters set the run's pace, and what to do about it, when the
 * training loop spent at least {@link EXPORT_SHARE_TO_REPORT} of `seconds` in their calls
 * (`waited`, seconds per exporter); null below that, or for a run with no time. `busy` says how
 * long each exporter was at work (on its own thread for the built-in ones), which names the one
 * to drop: where it waits is only the queue that happened to be full. `byCall` (seconds per kind
 * of call) names the schedule to thin: records (`--every`) unless scalars or samples took longer.
 * E.g. `exporting set the pace: training waited for the exporters 47% of the time (busy:
 * tensorboard 86%, json 45%); …`.
 */
export function describeExportShare(
  waited: Readonly<Record<string, number>>, busy: Readonly<Record<string, number>>, seconds: number, byCall: Readonly<Partial<Record<ExportCall, number>>> = {},
): string | null {
  if (!(seconds > 0)) return null;
  const shares = exportShares(waited, busy, seconds);
  if (shares.waited < EXPORT_SHARE_TO_REPORT) return null;
  const thin = SCHEDULES.reduce((most, s) => ((byCall[s.call] ?? 0) > (byCall[most.call] ?? 0) ? s : most));
  // Keeping all but the busiest is the one change that relieves the pace most.
  const fewer = shares.names.length > 1 ? ` or leave out the busiest exporter (--export ${shares.names.slice(1).join(',')})` : '';
  return `exporting set the pace: training waited for the exporters ${percent(shares.waited)} of the time (busy: ${shares.busy}); ${thin.advice}${fewer} to train faster`;
}
