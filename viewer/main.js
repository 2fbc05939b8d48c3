// The RNNbow page: loads runs from the API, keeps the view state (runs shown, selected and
// previewed batch, hovered loss, zoom, series) in one place and in the URL, and redraws the panels.

import { ApiFailure, BatchCache, getJson } from './api.js';
import { continuationToFollow, followedText } from './continuity.js';
import { exportPng, exportSvg } from './export.js';
import { fmtInt, shellWord } from './format.js';
import { RunPanel, barMax, resolveSeries, rowMax } from './panel.js';
import { RunList } from './run-list.js';

const d3 = window.d3;

/** How long the pointer rests on an overview column before a batch not loaded yet is fetched for preview. */
const PREVIEW_REST_MS = 90;

const GATE_NAMES = {
  i: 'i — input gate', f: 'f — forget gate', g: 'g — cell candidate', o: 'o — output gate',
  r: 'r — reset gate', z: 'z — update gate', n: 'n — candidate',
};

function intOrNull(s) {
  if (s === null || s === undefined || !/^\d+$/.test(s)) return null;
  return Number(s);
}

function statusMark(run) {
  if (run.status === 'running') return ' ●';
  if (run.status === 'error') return ' ⚠';
  return '';
}

class App {
  constructor() {
    const q = new URLSearchParams(location.search);
    this.url = {
      run: q.get('run'), compare: q.get('compare'), batch: intOrNull(q.get('batch')), series: q.get('series'),
      from: intOrNull(q.get('from')), to: intOrNull(q.get('to')),
    };
    this.pollMs = Math.max(200, intOrNull(q.get('poll')) ?? 2000);
    this.cache = new BatchCache();
    this.runSource = new RunList();
    this.runs = new Map();
    this.runList = [];
    this.logdir = '';
    /** The run last seen running in the main panel: when it ends, its badge says how. */
    this.watchedLive = null;
    this.logdirProblems = [];
    this.serverError = null;
    this.panels = [];
    this.selected = null;
    this.preview = null;
    this.hoverT = null;
    this.zoom = null;
    this.seriesKey = this.url.series;
    this.showResidual = false;
    this.follow = false;
    this.renderQueued = false;
    this.lastHorizonFetch = 0;
    this.horizonDue = new Set();
    this.horizonTimer = null;
    /** Things the address asked for that could not be shown, as `{ where, message }` for the banner. */
    this.urlNotices = [];
    /** What the page did by itself that the user should know (following a run into its continuation): one line in the banner, or null. */
    this.notice = null;
  }

  // ------------------------------------------------------------------ start and runs

  async start() {
    this.bindControls();
    this.updateControls(); // nothing to export or follow while the first list loads ("Loading runs…")
    await this.loadRuns();
    const main = this.url.run && this.runs.has(this.url.run) ? this.url.run : this.defaultRun();
    const compare = this.url.compare && this.runs.has(this.url.compare) && this.url.compare !== main ? this.url.compare : null;
    this.noteMissingRuns(main);
    if (this.url.from !== null && this.url.to !== null && this.url.to >= this.url.from) this.zoom = { from: this.url.from, to: this.url.to };
    this.selected = this.url.batch;
    this.follow = this.url.batch === null && this.runs.get(main)?.status === 'running';
    if (main) this.setRuns(main, compare);
    else this.showEmpty();
    this.pollTimer = setInterval(() => this.poll(), this.pollMs);
    document.addEventListener('keydown', (e) => this.onKey(e));
    let resizeTimer = null;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => this.reloadCharts(), 150);
    });
  }

  /** A run the address names but the logdir lacks is said, not silently swapped for another. */
  noteMissingRuns(main) {
    const instead = main ? `showing ${main} instead` : 'nothing to show instead';
    if (this.url.run && !this.runs.has(this.url.run)) this.urlNotices.push({ where: `?run=${this.url.run}`, message: `no run ${JSON.stringify(this.url.run)} in the logdir; ${instead}` });
    if (this.url.compare && !this.runs.has(this.url.compare)) this.urlNotices.push({ where: `?compare=${this.url.compare}`, message: `no run ${JSON.stringify(this.url.compare)} in the logdir to compare with` });
  }

  /**
   * The zoom cut to the batches the runs shown hold: a range past the last batch (an old or
   * hand-edited address) would otherwise show an empty overview. Null when nothing is left or the
   * whole range remains.
   */
  clampZoom(zoom) {
    if (!zoom) return null;
    const [lo, hi] = this.fullDomain();
    if (!this.panels.some((p) => p.run?.records > 0)) return zoom; // nothing recorded yet: nothing to cut against
    const from = Math.max(zoom.from, lo);
    const to = Math.min(zoom.to, hi);
    if (from > to) {
      this.urlNotices.push({ where: `?from=${zoom.from}&to=${zoom.to}`, message: `no recorded batches there (the run${this.panels.length > 1 ? 's hold' : ' holds'} ${lo}–${hi}); showing all` });
      return null;
    }
    return from === lo && to === hi ? null : { from, to };
  }

  defaultRun() {
    const withRecords = this.runList.filter((r) => r.records > 0);
    const pool = withRecords.length ? withRecords : this.runList;
    if (!pool.length) return null;
    return [...pool].sort((a, b) => String(b.startedAt ?? '').localeCompare(String(a.startedAt ?? '')) || (a.id < b.id ? -1 : 1))[0].id;
  }

  async loadRuns() {
    try {
      const body = await this.runSource.load();
      if (this.serverError !== null && this.panels.length) {
        // Back after a lost connection: what failed meanwhile is fetched again.
        this.serverError = null;
        for (const p of this.panels) p.error = null;
        this.reloadCharts();
        this.loadSelected();
      }
      this.serverError = null;
      this.logdir = body.logdir;
      this.logdirProblems = body.problems ?? [];
      this.runList = body.runs;
      this.runs = new Map(body.runs.map((r) => [r.id, r]));
    } catch (err) {
      this.serverError = err.message;
    }
    this.updateControls();
  }

  showEmpty() {
    const empty = d3.select('#empty').attr('hidden', null);
    empty.html('');
    empty.append('b').text(this.serverError ? 'The viewer server cannot be reached.' : `No runs in ${this.logdir || 'the logdir'} yet.`);
    empty.append('br');
    empty.append('span').text(this.serverError ?? 'Start one with ');
    if (!this.serverError) {
      empty.append('code').text(`rnnbow train --logdir ${this.logdir || 'runs'}`);
      empty.append('span').text('; it appears here as soon as it writes its first record.');
    }
  }

  /** Shows `main` (and `compare` beside it). */
  setRuns(main, compare) {
    d3.select('#empty').attr('hidden', true);
    for (const p of this.panels) p.remove();
    const ids = [main, compare].filter((id) => id && this.runs.has(id));
    const root = d3.select('#panels');
    this.panels = ids.map((id, i) => {
      const p = new RunPanel(root, i, this);
      p.run = this.runs.get(id);
      return p;
    });
    this.zoom = this.clampZoom(this.zoom);
    const first = this.panels[0]?.run;
    if (this.selected === null && first?.lastBatch !== null && first?.lastBatch !== undefined) this.selected = first.lastBatch;
    this.preview = null;
    this.hoverT = null;
    this.updateControls();
    this.updateUrl();
    this.reloadCharts();
    this.loadSelected();
  }

  /**
   * Switches panel `index` to run `id` (a continuity link in its title), as picking the run in
   * the toolbar's menu does: the main panel follows a running run's newest batch; otherwise the
   * selected batch stays, so going from a run to its continuation shows where the two meet.
   */
  showRunInPanel(index, id) {
    if (!this.runs.has(id)) return;
    this.urlNotices = [];
    this.notice = null;
    const ids = this.panels.map((p) => p.run?.id ?? null);
    // The other panel already shows that run: the two swap, so neither run leaves the page.
    const other = 1 - index;
    if (ids[other] === id) ids[other] = ids[index];
    ids[index] = id;
    const [main, compare] = ids;
    if (main !== this.panels[0]?.run?.id) this.showMainRun(main, compare);
    else this.setRuns(main, compare && compare !== main ? compare : null);
  }

  /**
   * Shows run `id` in the main panel beside `compare` (null: none), as every way of choosing the
   * main run does (the menu, a link, the first poll, following into a continuation): a running
   * run is followed from its newest batch, any other keeps the selected batch; the zoom starts over.
   */
  showMainRun(id, compare) {
    this.zoom = null;
    this.follow = this.runs.get(id)?.status === 'running';
    if (this.follow) this.selected = null;
    d3.select('#follow-toggle').property('checked', this.follow);
    this.setRuns(id, compare && compare !== id ? compare : null);
  }

  /**
   * Follow latest, when the run followed has stopped and a run that continues it (resumed from its
   * checkpoint) is running: moves the main panel on to that run and says so in the banner. True
   * when it did.
   */
  followIntoContinuation() {
    const from = this.panels[0]?.run;
    const next = this.follow ? continuationToFollow(from, this.runs) : null;
    if (!next) return false;
    const to = this.runs.get(next);
    this.notice = { where: to.id, message: followedText(from, to) };
    // A comparison with the continuation itself becomes one with the run that stopped.
    const compare = this.panels[1]?.run?.id;
    this.showMainRun(next, compare === next ? from.id : compare ?? null);
    return true;
  }

  // ------------------------------------------------------------------ data

  fullDomain() {
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of this.panels) {
      if (p.run?.firstBatch === null || p.run?.firstBatch === undefined) continue;
      lo = Math.min(lo, p.run.firstBatch);
      hi = Math.max(hi, p.run.lastBatch);
    }
    return Number.isFinite(lo) ? [lo, hi] : [0, 0];
  }

  domain() {
    return this.zoom ? [this.zoom.from, this.zoom.to] : this.fullDomain();
  }

  seriesParam(panel) {
    return resolveSeries(panel.run, this.seriesKey).key;
  }

  /**
   * The series a panel asks /api/batch for: the one it draws, when the run lists it (the server
   * refuses others); null (the whole record) for a run that lists none yet.
   */
  batchSeries(panel) {
    const key = this.seriesParam(panel);
    return panel.run?.series?.some((s) => s.key === key) ? key : null;
  }

  reloadCharts(panels = this.panels) {
    this.loadOverviews(panels);
    this.loadContexts(panels);
    this.loadHorizons(panels);
    this.loadInteresting(panels);
    this.render();
  }

  /** Fetches `path` for a panel, keeping only the latest answer per kind. */
  fetchInto(panel, kind, path, params) {
    const token = (panel[`${kind}Token`] = (panel[`${kind}Token`] ?? 0) + 1);
    return getJson(path, params)
      .then((body) => {
        if (panel[`${kind}Token`] !== token) return;
        panel[kind] = body;
        this.render();
      })
      .catch((err) => {
        if (panel[`${kind}Token`] !== token) return;
        panel.error = `${kind}: ${err.message}`;
        this.render();
      });
  }

  loadOverviews(panels = this.panels) {
    const [from, to] = this.domain();
    for (const p of panels) {
      if (!p.run) continue;
      this.fetchInto(p, 'overview', 'overview', { run: p.run.id, series: this.seriesParam(p), from, to, bins: Math.max(10, Math.floor(p.plotWidth() / 2)) });
    }
  }

  loadContexts(panels = this.panels) {
    const [from, to] = this.fullDomain();
    for (const p of panels) {
      if (!p.run) continue;
      this.fetchInto(p, 'context', 'overview', { run: p.run.id, series: this.seriesParam(p), from, to, bins: Math.max(10, Math.floor(p.plotWidth() / 3)) });
    }
  }

  loadHorizons(panels = this.panels) {
    const [from, to] = this.domain();
    this.lastHorizonFetch = Date.now();
    for (const p of panels) {
      if (!p.run) continue;
      this.fetchInto(p, 'horizon', 'horizon', { run: p.run.id, series: this.seriesParam(p), from, to, bins: Math.max(10, Math.floor(p.plotWidth() / 4)) });
    }
  }

  /**
   * Live mode: the horizon chart may read hundreds of records for a gate, so it is refreshed at
   * most every 5 s, with a trailing refresh so the last change is always shown.
   */
  loadHorizonsSoon(panels) {
    for (const p of panels) this.horizonDue.add(p);
    if (this.horizonTimer) return;
    const wait = Math.max(0, 5000 - (Date.now() - this.lastHorizonFetch));
    this.horizonTimer = setTimeout(() => {
      this.horizonTimer = null;
      const due = [...this.horizonDue].filter((p) => this.panels.includes(p));
      this.horizonDue.clear();
      this.loadHorizons(due);
    }, wait);
  }

  loadInteresting(panels = this.panels) {
    for (const p of panels) {
      if (!p.run) continue;
      this.fetchInto(p, 'interesting', 'interesting', { run: p.run.id, series: this.seriesParam(p), limit: 8 });
    }
  }

  /** Loads the selected batch into every panel (the nearest recorded one in each run). */
  loadSelected() {
    const target = this.selected;
    // Each load is one request of the selection: answers to an older one are dropped. (Comparing
    // `selected` instead dropped the other panels' answers whenever the first panel's run lacked
    // the batch and moved the selection to its nearest.)
    const request = (this.selectRequest = (this.selectRequest ?? 0) + 1);
    if (target === null) {
      this.render();
      return;
    }
    this.panels.forEach((p, i) => {
      if (!p.run || p.run.records === 0) return;
      const series = this.batchSeries(p);
      this.cache
        .get(p.run.id, target, p.run.version, series)
        .then((res) => {
          // An answer for a series since replaced by another must not overwrite the newer one.
          if (request !== this.selectRequest || series !== this.batchSeries(p)) return;
          p.selectedMeta = res;
          p.error = null;
          if (this.preview === null) p.shown = res;
          if (i === 0 && res.meta.batch !== target) {
            // The first run lacks the batch: its nearest becomes the selection, and the other
            // panels load the batch nearest to that one, so all show the same moment.
            this.selected = res.meta.batch;
            this.updateUrl();
            if (this.panels.length > 1) this.loadSelected();
          }
          this.render();
        })
        .catch((err) => {
          if (request !== this.selectRequest || series !== this.batchSeries(p)) return;
          p.error = err instanceof ApiFailure ? err.message : String(err);
          this.render();
        });
    });
  }

  // ------------------------------------------------------------------ interaction

  /** Hover preview from area 4 (null: back to the selected batch). */
  previewBatch(batch) {
    if (batch === this.preview) return;
    this.preview = batch;
    if (batch === null) {
      for (const p of this.panels) p.shown = p.selectedMeta;
      this.render();
      return;
    }
    // A batch not loaded yet is fetched only once the pointer rests on it: sweeping across the
    // overview would otherwise fetch and decode every batch passed over (MBs each for big records)
    // and keep the page busy long after the pointer stopped.
    const loaded = this.panels.every((p) => !p.run || p.run.records === 0 || this.cache.has(p.run.id, batch, p.run.version, this.batchSeries(p)));
    clearTimeout(this.previewTimer);
    const load = () => {
      if (this.preview !== batch) return;
      for (const p of this.panels) {
        if (!p.run || p.run.records === 0) continue;
        const series = this.batchSeries(p);
        this.cache.get(p.run.id, batch, p.run.version, series).then((res) => {
          if (this.preview !== batch || series !== this.batchSeries(p)) return;
          p.shown = res;
          this.render();
        }, () => {});
      }
    };
    if (loaded) load();
    else this.previewTimer = setTimeout(load, PREVIEW_REST_MS);
  }

  /** Selects a batch (clicked in area 4, a list, or by keyboard). */
  selectBatch(batch, options = {}) {
    if (batch === null || batch === undefined) return;
    if (!options.keepFollow) {
      this.follow = false;
      d3.select('#follow-toggle').property('checked', false);
    }
    if (options.reveal && this.zoom && (batch < this.zoom.from || batch > this.zoom.to)) {
      const [lo, hi] = this.fullDomain();
      const span = this.zoom.to - this.zoom.from;
      const from = Math.max(lo, Math.min(hi - span, batch - Math.floor(span / 2)));
      this.setZoom({ from, to: Math.min(hi, from + span) });
    }
    this.selected = batch;
    // Following a live run moves the selection on its own; a batch the pointer rests on stays
    // previewed until the pointer leaves it.
    if (!options.keepFollow) this.preview = null;
    this.updateUrl();
    this.loadSelected();
    this.render();
  }

  setHover(t) {
    if (t === this.hoverT) return;
    this.hoverT = t;
    this.render(true);
  }

  /**
   * The loss step whose horizon area 3 shows: the hovered one, else the batch's largest finite loss
   * (the step the network got most wrong, whose horizon is usually the one worth reading first; the
   * last step when no loss is finite). Area 3 is never a blank box once a batch is shown. Side by
   * side, a hovered step is the same in every panel (to compare it), while each panel's default is
   * its own run's largest loss.
   */
  shownLoss(panel = this.panels[0]) {
    if (this.hoverT !== null) return { t: this.hoverT, fallback: false };
    const record = panel?.shown?.record;
    if (!record?.n) return { t: null, fallback: false };
    let best = record.n - 1;
    let bestLoss = -Infinity;
    record.losses?.forEach((loss, t) => {
      if (Number.isFinite(loss) && loss > bestLoss) {
        bestLoss = loss;
        best = t;
      }
    });
    return { t: best, fallback: true };
  }

  /** Moves the loss step area 3 shows by `delta` ([ and ] keys), within the batch. */
  stepLoss(delta) {
    const n = this.panels[0]?.shown?.record?.n;
    if (!n) return;
    const { t } = this.shownLoss();
    this.setHover(Math.max(0, Math.min(n - 1, (t ?? n - 1) + delta)));
  }

  /**
   * Zooms the overview by `factor` (0.5 halves the range shown, 2 doubles it) around the selected
   * batch: what dragging in the strip does, for the keyboard. Out past the whole run is no zoom.
   */
  zoomBy(factor) {
    const [lo, hi] = this.fullDomain();
    const [from, to] = this.domain();
    const span = Math.max(1, Math.round((to - from) * factor));
    if (span >= hi - lo) return this.setZoom(null);
    const centre = this.selected !== null && this.selected >= from && this.selected <= to ? this.selected : (from + to) / 2;
    const start = Math.max(lo, Math.min(hi - span, Math.round(centre - span / 2)));
    this.setZoom({ from: start, to: start + span });
  }

  setZoom(zoom) {
    this.zoom = zoom;
    this.updateUrl();
    this.loadOverviews();
    this.loadHorizons();
    this.render();
  }

  setSeries(key) {
    this.seriesKey = key;
    this.updateUrl();
    this.reloadCharts();
    // Batches are fetched with the one series they draw: load the shown ones again with the new
    // series (until they arrive, each panel keeps drawing the series its record holds).
    this.loadSelected();
    const preview = this.preview;
    if (preview !== null) {
      this.preview = null;
      this.previewBatch(preview);
    }
  }

  onKey(e) {
    if (e.target.closest?.('select, input, textarea')) return;
    // Cmd-[ / Ctrl-[ and the like belong to the browser (back, forward).
    if (e.metaKey || e.ctrlKey || e.altKey) return;
    if (e.key === 'Escape') {
      this.setHover(null);
      return;
    }
    if (e.key === '[' || e.key === ']') {
      e.preventDefault();
      this.stepLoss(e.key === '[' ? -1 : 1);
      return;
    }
    if (e.key === '+' || e.key === '=' || e.key === '-') {
      e.preventDefault();
      this.zoomBy(e.key === '-' ? 2 : 0.5);
      return;
    }
    const panel = this.panels[0];
    if (!panel?.selectedMeta || !['ArrowLeft', 'ArrowRight', 'Home', 'End', 'PageUp', 'PageDown'].includes(e.key)) return;
    // Elsewhere the page is long, and Page Up / Down scroll it.
    if ((e.key === 'PageUp' || e.key === 'PageDown') && !e.target.closest?.('#panels svg')) return;
    e.preventDefault();
    this.freshSelectedMeta(panel).then((meta) => {
      if (!meta) return;
      const to = { ArrowLeft: meta.prev, ArrowRight: meta.next, Home: meta.first, End: meta.last, PageUp: pageStep(meta, -1), PageDown: pageStep(meta, 1) }[e.key];
      if (to !== null && to !== undefined) this.selectBatch(to, { reveal: true });
    });
  }

  /**
   * The selected batch's place in the run (prev/next/first/last) as of the run list's version: the
   * meta loaded with the batch goes stale while a live run grows (its `next` and `last` were the
   * newest batch then), so it is fetched again when the run has changed since.
   */
  async freshSelectedMeta(panel) {
    const { meta } = panel.selectedMeta;
    if (meta.version === panel.run.version) return meta;
    try {
      return (await this.cache.get(panel.run.id, meta.batch, panel.run.version, this.batchSeries(panel))).meta;
    } catch {
      return meta;
    }
  }

  // ------------------------------------------------------------------ live mode

  async poll() {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.loadRuns();
      if (!this.panels.length) {
        const main = this.defaultRun();
        if (main) this.showMainRun(main, null);
        else this.showEmpty();
        return;
      }
      const changed = [];
      for (const p of this.panels) {
        const fresh = this.runs.get(p.run?.id);
        if (!fresh) {
          if (!this.serverError) p.error = `run ${p.run?.id} is no longer in the logdir`;
          continue;
        }
        if (fresh.version !== p.run.version || fresh.indexing !== p.run.indexing) changed.push(p);
        // Fewer records than before: the run's files were replaced, so cached batches are stale.
        if (fresh.records < p.run.records) this.cache.forget(fresh.id);
        p.run = fresh;
      }
      if (this.followIntoContinuation()) return;
      if (changed.length) {
        const main = this.panels[0].run;
        if (this.follow && main.lastBatch !== null) this.selectBatch(main.lastBatch, { keepFollow: true });
        else if (this.selected === null && main.lastBatch !== null) this.selectBatch(main.lastBatch, { keepFollow: true });
        // The selected batch's meta (its rank, `next`, the run's total) moves as the run grows.
        else this.loadSelected();
        this.loadOverviews(changed);
        this.loadContexts(changed);
        this.loadInteresting(changed);
        this.loadHorizonsSoon(changed);
      }
      this.render();
    } finally {
      this.polling = false;
    }
  }

  // ------------------------------------------------------------------ controls and URL

  bindControls() {
    d3.select('#run-select').on('change', (e) => {
      const main = e.target.value;
      this.urlNotices = []; // a run chosen by hand answers what the address asked for
      this.notice = null;
      // A running run picked from the menu follows its newest batch, as when it is opened by URL.
      this.showMainRun(main, this.panels[1]?.run?.id);
    });
    d3.select('#compare-select').on('change', (e) => {
      this.notice = null;
      this.zoom = null;
      this.setRuns(this.panels[0]?.run?.id, e.target.value || null);
    });
    d3.select('#param-select').on('change', (e) => {
      this.setSeries(e.target.value);
      this.updateControls();
    });
    d3.select('#gate-select').on('change', (e) => {
      const param = d3.select('#param-select').property('value');
      this.setSeries(e.target.value ? `${param}:${e.target.value}` : param);
    });
    d3.select('#residual-toggle').on('change', (e) => {
      this.showResidual = e.target.checked;
      this.render();
    });
    d3.select('#follow-toggle').on('change', (e) => {
      this.follow = e.target.checked;
      const last = this.panels[0]?.run?.lastBatch;
      if (this.follow && last !== null && last !== undefined) this.selectBatch(last, { keepFollow: true });
    });
    d3.select('#help-button').on('click', (e) => {
      const help = d3.select('#help');
      const open = help.attr('hidden') !== null;
      help.attr('hidden', open ? null : true);
      e.target.setAttribute('aria-expanded', String(open));
    });
    const exportName = () => {
      const ids = this.panels.map((p) => p.run?.id ?? '').join('-vs-');
      return `rnnbow-${ids.replace(/[^A-Za-z0-9._-]+/g, '_')}-batch${this.selected ?? ''}`;
    };
    const exportTitle = () => `RNNbow — ${this.panels.map((p) => `${p.run?.id} batch ${p.shown?.meta.batch ?? '–'}`).join('  vs  ')}`;
    d3.select('#export-svg').on('click', () => exportSvg(document.getElementById('panels'), exportTitle(), exportName()));
    d3.select('#export-png').on('click', () => {
      this.exportError = null;
      exportPng(document.getElementById('panels'), exportTitle(), exportName()).catch((err) => {
        this.exportError = `PNG export failed: ${err.message}`;
        this.render();
      });
    });
  }

  updateControls() {
    // Nothing shown (an empty logdir): nothing to export, no run to follow.
    d3.selectAll('#export-svg, #export-png').property('disabled', this.panels.length === 0);
    this.renderLive();
    const main = this.panels[0]?.run?.id ?? null;
    const compare = this.panels[1]?.run?.id ?? null;
    const label = (r) => `${r.id}${statusMark(r)} (${r.cell ?? '?'}, ${fmtInt(r.records)})`;
    // A narrow window cuts a menu's text: the whole label of what is chosen is its tooltip.
    const chosen = (id) => this.runList.find((r) => r.id === id);
    d3.select('#run-select').attr('title', chosen(main) ? label(chosen(main)) : null)
      .selectAll('option').data(this.runList, (r) => r.id).join('option')
      .attr('value', (r) => r.id).text(label).property('selected', (r) => r.id === main);
    const others = [{ id: '', none: true }, ...this.runList.filter((r) => r.id !== main)];
    d3.select('#compare-select').property('disabled', this.runList.length < 2).attr('title', chosen(compare) ? label(chosen(compare)) : null)
      .selectAll('option').data(others, (r) => r.id).join('option')
      .attr('value', (r) => r.id).text((r) => (r.none ? '— none —' : label(r))).property('selected', (r) => (r.none ? !compare : r.id === compare));
    // Parameters and gates: the union over the runs shown.
    const series = this.panels.flatMap((p) => p.run?.series ?? []);
    const params = [...new Set(series.map((s) => s.param))];
    const current = this.panels[0] ? resolveSeries(this.panels[0].run, this.seriesKey) : null;
    const param = current?.param ?? params[0] ?? '';
    d3.select('#param-select').property('disabled', params.length === 0)
      .selectAll('option').data(params, (p) => p).join('option').attr('value', (p) => p).text((p) => p).property('selected', (p) => p === param);
    const gates = [...new Set(series.filter((s) => s.param === param && s.gate).map((s) => s.gate))];
    d3.select('#gate-select').property('disabled', gates.length === 0)
      .selectAll('option').data(['', ...gates], (g) => g).join('option')
      .attr('value', (g) => g).text((g) => (g ? GATE_NAMES[g] ?? g : gates.length ? 'all (whole parameter)' : '— none —'))
      .property('selected', (g) => g === (current?.gate ?? ''));
  }

  updateUrl() {
    const q = new URLSearchParams();
    const main = this.panels[0]?.run?.id;
    if (main) q.set('run', main);
    if (this.panels[1]?.run) q.set('compare', this.panels[1].run.id);
    if (this.selected !== null) q.set('batch', String(this.selected));
    if (this.seriesKey) q.set('series', this.seriesKey);
    if (this.zoom) {
      q.set('from', String(this.zoom.from));
      q.set('to', String(this.zoom.to));
    }
    const poll = new URLSearchParams(location.search).get('poll');
    if (poll) q.set('poll', poll);
    history.replaceState(null, '', `${location.pathname}?${q}`);
  }

  // ------------------------------------------------------------------ drawing

  /** Schedules a redraw; `detailOnly` (hovering a loss) redraws areas 1-3 alone. */
  render(detailOnly = false) {
    this.fullPending = this.fullPending || !detailOnly;
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      const detail = !this.fullPending;
      this.renderQueued = false;
      this.fullPending = false;
      this.renderNow(detail);
    });
  }

  renderNow(detailOnly = false) {
    const losses = new Map(this.panels.map((p) => [p, this.shownLoss(p)]));
    const view = {
      seriesKey: this.seriesKey, preview: this.preview, zoom: this.zoom,
      domain: this.domain(), fullDomain: this.fullDomain(), showResidual: this.showResidual && this.residualAvailable(),
    };
    // Side by side, runs that draw the same series share every scale, so equal heights mean equal
    // gradients. A run without the chosen series (an RNN beside an LSTM's gate) draws its whole
    // parameter on a scale of its own: shared, the larger one flattened the gate to nothing.
    const scales = new Map();
    const scaleOf = (key) => scales.get(key) ?? scales.set(key, { barMax: 0, hzMax: 0, ovMax: 0 }).get(key);
    for (const p of this.panels) {
      const series = p.drawnSeries(this.seriesKey);
      if (p.shown) {
        const scale = scaleOf(series.key);
        scale.barMax = Math.max(scale.barMax, barMax(p.shown.record, series, this.showResidual));
        const { t } = losses.get(p);
        if (t !== null) scale.hzMax = Math.max(scale.hzMax, rowMax(p.shown.record, series, t));
      }
      // Keyed by the series the overview holds: just after a switch it is still the previous one's.
      const overview = scaleOf(p.overview?.series ?? p.seriesFor(this.seriesKey).key);
      if (p.overview?.max) overview.ovMax = Math.max(overview.ovMax, p.overview.max);
    }
    for (const p of this.panels) {
      const { t, fallback } = losses.get(p);
      const { barMax: bars, hzMax } = scaleOf(p.drawnSeries(this.seriesKey).key);
      const { ovMax } = scaleOf(p.overview?.series ?? p.seriesFor(this.seriesKey).key);
      p.render({ ...view, barMax: bars, hzMax, ovMax, hoverT: t, hoverDefault: fallback }, detailOnly);
    }
    if (detailOnly) return;
    d3.select('#panels').classed('compare', this.panels.length > 1);
    this.renderProblems();
    this.renderLive();
    this.renderResidualToggle();
  }

  /**
   * True when a run shown has a truncation residual to draw: truncated records (k set) and a whole
   * parameter (residuals are not split by gate).
   */
  residualAvailable() {
    if (resolveSeries(this.panels[0]?.run, this.seriesKey).gate) return false;
    return this.panels.some((p) => p.run?.k !== null && p.run?.k !== undefined);
  }

  renderResidualToggle() {
    const available = this.residualAvailable();
    d3.select('#residual-toggle').property('disabled', !available).property('checked', available && this.showResidual);
    d3.select('#residual-wrap').classed('disabled', !available)
      .attr('title', available ? 'Show what truncation dropped (gradient from losses more than k steps ahead)' : 'Only truncated runs (k set) for a whole parameter have a residual');
  }

  renderProblems() {
    const items = [];
    // A lost server is one line, not one per failed request, and the panels are dimmed: what they
    // show is the last thing the server sent.
    d3.select('#panels').classed('offline', this.serverError !== null);
    if (this.serverError) {
      const box = d3.select('#problems').attr('hidden', null).classed('offline', true).classed('info', false).attr('title', this.serverError).html('');
      box.append('b').text('Lost connection to the viewer server');
      box.append('span').text(` — retrying every ${this.pollMs >= 1000 ? `${Math.round(this.pollMs / 1000)} s` : `${this.pollMs} ms`}; what is shown is the last data received. A viewer started with train --serve stops when its run ends; to look on, run `);
      box.append('code').text(`rnnbow serve --logdir ${shellWord(this.logdir || 'runs')}`);
      box.append('span').text(' (the page reconnects when the port is the same).');
      return;
    }
    d3.select('#problems').classed('offline', false).attr('title', null);
    if (this.exportError) items.push({ where: 'export', message: this.exportError });
    items.push(...this.urlNotices);
    for (const p of this.logdirProblems) items.push({ where: p.file, message: p.message });
    for (const panel of this.panels) {
      const run = panel.run;
      if (!run) continue;
      for (const p of run.problems ?? []) items.push({ where: `${p.file}${p.line ? `:${p.line}` : ''}`, message: p.message });
      if (run.problemCount > (run.problems?.length ?? 0)) items.push({ where: run.id, message: `${run.problemCount - run.problems.length} more problems not listed` });
      if (panel.error) items.push({ where: run.id, message: panel.error });
    }
    const box = d3.select('#problems');
    box.attr('hidden', items.length || this.notice ? null : true).classed('info', !items.length && this.notice !== null).html('');
    // What the page did by itself (following a run into its continuation) comes first; it is no
    // problem, so an otherwise empty banner is drawn as information, not as a warning.
    if (this.notice) box.append('div').attr('class', 'notice').attr('data-run', this.notice.where).text(this.notice.message);
    if (!items.length) return;
    const what = items.length === this.urlNotices.length ? 'with the address' : 'reading the logdir';
    box.append('b').text(`${items.length} problem${items.length === 1 ? '' : 's'} ${what} — the rest is shown as usual:`);
    const ul = box.append('ul');
    for (const it of items.slice(0, 8)) {
      const li = ul.append('li');
      li.append('code').text(it.where);
      li.append('span').text(` ${it.message}`);
    }
    if (items.length > 8) ul.append('li').text(`… and ${items.length - 8} more`);
  }

  renderLive() {
    const run = this.panels[0]?.run;
    const badge = d3.select('#live-badge');
    const live = run && (run.status === 'running' || run.status === 'stale');
    // A run watched live that then ends keeps its badge, saying so: the toolbar does not jump
    // and the user learns that nothing more will come.
    if (live) this.watchedLive = run.id;
    const ended = !live && run && this.watchedLive === run.id;
    const text = this.serverError && live
      ? '○ not connected'
      : ended ? `■ ${run.status} · ${fmtInt(run.records)} batches` : run?.status === 'running' ? `● live · ${fmtInt(run.records)} batches` : 'no end written yet';
    badge.attr('hidden', live || ended ? null : true).classed('stale', run?.status === 'stale' || (live && this.serverError !== null)).classed('ended', !!ended).text(text);
    // An ended run can still be continued (--resume): following then moves on to that run.
    d3.select('#follow-wrap').style('display', live || ended ? null : 'none')
      .attr('title', ended ? 'The run has ended; following moves on to a run that resumes it, if one starts' : null);
    d3.select('#follow-toggle').property('checked', this.follow);
  }
}

/**
 * The batch about a tenth of the run's recorded batches away from the selected one in `direction`
 * (PageUp -1, PageDown +1), within the run: thousands of recorded batches are then ten presses end
 * to end, not thousands of arrow presses. The step is that many records at the run's average
 * spacing, so a run recorded on a schedule lands on recorded batches; otherwise the server answers
 * with the nearest one. It is never shorter than the step to the neighbour.
 */
function pageStep(meta, direction) {
  const neighbour = direction < 0 ? meta.prev : meta.next;
  if (neighbour === null || neighbour === undefined) return null;
  const spacing = meta.total > 1 ? (meta.last - meta.first) / (meta.total - 1) : 1;
  const step = Math.round(Math.ceil(meta.total / 10) * spacing);
  if (!Number.isFinite(step)) return neighbour;
  const to = Math.max(meta.first, Math.min(meta.last, meta.batch + direction * step));
  return direction < 0 ? Math.min(to, neighbour) : Math.max(to, neighbour);
}

const app = new App();
window.rnnbow = app;
app.start();
