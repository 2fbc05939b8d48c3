// The run list the page polls, fetched cheaply: every poll asks for /api/runs/summary (per run
// only what changes while it trains, and a 304 with no body when nothing changed at all), and a
// run's full description (vocabulary, series, problems ...) is fetched from /api/run only when
// the run is new or its `detail` tag changed. What the page gets is the same as /api/runs.

import { getJson, getJsonIfChanged } from './api.js';

/**
 * More runs than this needing their description at once (the first poll, a sweep of runs all
 * starting) are fetched with one /api/runs instead of one /api/run each.
 */
export const FULL_LIST_AT = 8;

/** A run description without its links to other runs (`resumedFrom`, `continuedIn`), which only the summary's copy decides. */
function withoutLinks(description) {
  const { resumedFrom: _from, continuedIn: _in, ...rest } = description;
  return rest;
}

/** The logdir's runs, each described in full, kept up to date at the cost of a summary per poll. */
export class RunList {
  constructor() {
    /** Full descriptions by run id, as /api/run last sent them. */
    this.details = new Map();
    /** The last summary answer and its ETag, sent back so an unchanged list costs a 304. */
    this.summary = null;
    this.etag = null;
  }

  /**
   * The runs as /api/runs lists them: `{ logdir, runs, problems }`, every run with every field.
   * A run whose description could not be fetched (it vanished in between) is left out until a
   * later poll gets it. Throws ApiFailure when the summary cannot be had.
   */
  async load() {
    const fresh = await getJsonIfChanged('runs/summary', {}, this.etag);
    if (!fresh.unchanged) {
      this.summary = fresh.body;
      this.etag = fresh.etag;
    }
    const summary = this.summary;
    const stale = summary.runs.filter((r) => this.details.get(r.id)?.detail !== r.detail);
    if (stale.length > FULL_LIST_AT) {
      // One answer for all: newer than the summary, so it is taken as it is.
      const full = await getJson('runs');
      this.details = new Map(full.runs.map((r) => [r.id, r]));
      return { logdir: full.logdir, runs: full.runs, problems: full.problems ?? [] };
    }
    await Promise.all(stale.map((r) => getJson('run', { run: r.id }).then((d) => this.details.set(r.id, d), () => {})));
    const listed = new Set(summary.runs.map((r) => r.id));
    for (const id of [...this.details.keys()]) if (!listed.has(id)) this.details.delete(id);
    // The summary's fields are the ones that move: they win over the description's older copy.
    // The continuity links are left out of the summary when a run has none: the description's
    // copy (from before its continuation was removed, say) must not stand in for them.
    const runs = summary.runs.filter((r) => this.details.has(r.id)).map((r) => ({ ...withoutLinks(this.details.get(r.id)), ...r }));
    return { logdir: summary.logdir, runs, problems: summary.problems ?? [] };
  }
}
