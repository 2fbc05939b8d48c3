/**
 * How much of a run's time went to its exporters. Recording every batch can make an exporter,
 * not the model, set a run's pace (rendering a fully itemized batch for TensorBoard takes longer
 * than training it at B = 1), and nothing else tells the user so: the run is simply slow.
 */

/** Share of the training time spent waiting in the exporters' calls from which rnnbow says so. */
export const EXPORT_SHARE_TO_REPORT = 0.2;

/** Seconds of training after which a run says, once, that its exporters set its pace. */
export const EXPORT_NOTICE_AFTER_SECONDS = 10;

/**
 * Time spent in each exporter's calls, measured on the training thread: for an exporter on its
 * own thread that is the hand-off and any wait for room in its queue or for a flush; for one on
 * the training thread, all of its work.
 */
export class ExportTimer {
  private readonly ms: number[];

  /** @param names the exporters' names, in the order the trainer calls them */
  constructor(private readonly names: readonly string[]) {
    this.ms = names.map(() => 0);
  }

  /** Runs exporter `index`'s call `call`, adding the time it took to that exporter's total. */
  time<T>(index: number, call: () => T): T {
    const start = performance.now();
    try {
      return call();
    } finally {
      this.ms[index] += performance.now() - start;
    }
  }

  /** The same for a call that returns a promise: the time until it settles. */
  async timeAsync(index: number, call: () => Promise<void>): Promise<void> {
    const start = performance.now();
    try {
      await call();
    } finally {
      this.ms[index] += performance.now() - start;
    }
  }

  /** Seconds per exporter, in the order of the names given. */
  perExporter(): number[] {
    return this.ms.map((ms) => ms / 1000);
  }

  /** Seconds per exporter name (two exporters of one name add up). */
  seconds(): Record<string, number> {
    const out: Record<string, number> = {};
    this.names.forEach((name, i) => {
      out[name] = (out[name] ?? 0) + this.ms[i] / 1000;
    });
    return out;
  }
}

/**
 * One line saying that the exporters set the run's pace, and what to do about it, when the
 * training loop spent at least {@link EXPORT_SHARE_TO_REPORT} of `seconds` in their calls
 * (`waited`, seconds per exporter); null below that, or for a run with no time. `busy` says how
 * long each exporter was at work (on its own thread for the built-in ones), which names the one
 * to drop: where it waits is only the queue that happened to be full. E.g. `exporting set the
 * pace: training waited for the exporters 47% of the time (busy: tensorboard 86%, json 45%); …`.
 */
export function describeExportShare(waited: Readonly<Record<string, number>>, busy: Readonly<Record<string, number>>, seconds: number): string | null {
  const total = Object.values(waited).reduce((sum, s) => sum + s, 0);
  if (!(seconds > 0) || total / seconds < EXPORT_SHARE_TO_REPORT) return null;
  const percent = (s: number) => `${Math.round((100 * s) / seconds)}%`;
  const names = Object.keys(waited).sort((a, b) => (busy[b] ?? 0) - (busy[a] ?? 0));
  const each = names.map((name) => `${name} ${percent(busy[name] ?? waited[name])}`);
  // Keeping all but the busiest is the one change that relieves the pace most.
  const fewer = names.length > 1 ? ` or leave out the busiest exporter (--export ${names.slice(1).join(',')})` : '';
  return `exporting set the pace: training waited for the exporters ${percent(total)} of the time (busy: ${each.join(', ')}); record less often (--every)${fewer} to train faster`;
}
