// One run's view: the paper's four areas in one SVG (so it exports as one picture), a
// horizon-over-training chart and the interesting-batch lists under it.
//
// Area 1: true labels over predictions (green right, red wrong).
// Area 2: a stacked bar per step j; segment (t, d) is what the loss at step t = j + d sends back to
//         step j; darkest = d 0 (the step's own loss) on top, as in the paper.
// Area 3: the gradient horizon of the hovered loss t, projected under the steps it reaches.
// Area 4: the max gradient of every recorded batch (binned by the server to the plot's width), with
//         a context strip under it to zoom by brushing.

import { num } from './api.js';
import { continuityLinks, continuityWords } from './continuity.js';
import { fmt, fmtInt, fmtShort, meanOf, tokenText } from './format.js';
import { layoutLegendRows } from './legend-layout.js';
import { fitLine, wrapLines } from './text-fit.js';
import {
  BLUE, BLUE_DARK, FONT, GREEN, GRID, INK, MONO, MUTED, OVERVIEW_BAR, OVERVIEW_HOVER, RED, RESIDUAL, bandLabel, distanceBands, distanceColor,
} from './palette.js';

const d3 = window.d3;

/** Vertical layout of the panel SVG (px). */
const Y = {
  title: 18, sub: 36,
  labelRow: 66, predRow: 90, area1Top: 48, area1Bottom: 98, predKey: 113,
  area2Top: 126, area2Bottom: 332, steps: 347, legend: 367,
  area3Title: 405, area3Top: 436, area3Bottom: 528, dist: 544,
  // The overview's title sits clear of the selected-batch marker drawn above the plot.
  area4Title: 566, area4Top: 580, area4Bottom: 678, info: 714, infoLine: 14,
  ctxTop: 744, ctxBottom: 774,
  height: 788,
};
/** Fill of a prediction cell: light when right, dark (with white letters) when wrong, so they differ in lightness, not only in hue. */
const PRED_RIGHT_BG = '#dcfce7';
const PRED_WRONG_BG = '#b91c1c';
const PRED_WRONG_TEXT = '#ffffff';
const M = { left: 66, right: 16 };
/** Height of a legend row (a narrow panel's legend takes two). */
const LEGEND_ROW = 15;
/** Height of the horizon-over-training chart with a one-row legend; each further row adds a LEGEND_ROW. */
const HZ_HEIGHT = 222;
/** Vertical layout of the horizon-over-training chart (px): `legend` and `readout` are for a one-row legend. */
const HZ = { top: 36, bottom: 168, legend: 198, readout: 216 };
/** Smallest width a panel's charts are drawn at (a phone's column is about 340 px). */
const MIN_WIDTH = 260;

/**
 * An axis of batch numbers for a scale where batch b spans [b, b + 1): whole batches only, each
 * tick under the middle of its batch.
 */
function batchAxis(x, W) {
  const [a, b] = x.domain();
  const centred = x.copy().domain([a - 0.5, b - 0.5]);
  const ticks = centred.ticks(Math.max(2, Math.floor((W - M.left) / 100))).filter(Number.isInteger);
  // Whole numbers with separators: "1.36k" hid which batch a tick is when zoomed in.
  return d3.axisBottom(centred).tickValues(ticks).tickFormat(fmtInt).tickSizeOuter(0);
}

/** Series of a run matching a key, else its primary; `fallback` says the key was not there. */
export function resolveSeries(run, key) {
  const list = run?.series ?? [];
  const exact = list.find((s) => s.key === key);
  if (exact) return { ...exact, fallback: false };
  const primary = list.find((s) => s.key === run?.primary) ?? list[0] ?? { key: run?.primary ?? '', param: run?.primary ?? '' };
  return { ...primary, fallback: key !== null && key !== undefined && key !== primary.key };
}

/** The `byDistance[t][d]` matrix of a series in a decoded record. */
export function matrixOf(record, series) {
  const p = record?.params?.[series.param];
  if (!p) return null;
  return series.gate ? p.gates?.[series.gate] ?? null : p.byDistance;
}

/** Segments of area 2: one per recorded (t, d), at step j = t - d. */
export function segmentsOf(matrix, n) {
  const bars = Array.from({ length: n }, (_, j) => ({ j, segments: [], total: 0, nonFinite: false, nonFiniteKinds: new Set() }));
  for (let t = 0; t < matrix.length; t++) {
    const row = matrix[t];
    for (let d = 0; d < row.length; d++) {
      const j = t - d;
      if (j < 0 || j >= n) continue;
      const raw = row[d];
      const v = Math.abs(raw);
      const finite = Number.isFinite(v);
      bars[j].segments.push({ j, t, d, v: finite ? v : 0, raw });
      if (finite) bars[j].total += v;
      else {
        bars[j].nonFinite = true;
        bars[j].nonFiniteKinds.add(fmt(raw)); // NaN, ∞ or −∞: the flag says which
      }
    }
  }
  for (const bar of bars) {
    // Largest distance at the bottom, the local loss (d = 0) on top.
    bar.segments.sort((a, b) => b.d - a.d);
    let y = 0;
    for (const s of bar.segments) {
      s.y0 = y;
      y += s.v;
      s.y1 = y;
    }
  }
  return bars;
}

/** Tallest bar of a record for a series (plus residual when shown). */
export function barMax(record, series, withResidual) {
  const m = matrixOf(record, series);
  if (!m) return 0;
  const bars = segmentsOf(m, record.n);
  const residual = withResidual && !series.gate ? record.params[series.param]?.residual : null;
  let max = 0;
  bars.forEach((b, j) => {
    const h = b.total + (residual && Number.isFinite(residual[j]) ? Math.abs(residual[j]) : 0);
    if (h > max) max = h;
  });
  return max;
}

/** Largest magnitude in row t (area 3's scale). */
export function rowMax(record, series, t) {
  const m = matrixOf(record, series);
  const row = m?.[t];
  if (!row) return 0;
  let max = 0;
  for (const v of row) if (Number.isFinite(Math.abs(v)) && Math.abs(v) > max) max = Math.abs(v);
  return max;
}

function decayPerStep(row) {
  let sum = 0;
  let count = 0;
  for (let d = 1; d < row.length; d++) {
    const a = Math.abs(row[d - 1]);
    const b = Math.abs(row[d]);
    if (a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b)) {
      sum += Math.log(b / a);
      count++;
    }
  }
  return count ? Math.exp(sum / count) : null;
}

/**
 * True when the run's description (run.json) cannot be read: the server then knows neither its
 * series nor its records, and saying "no batches yet" would be wrong.
 */
export function runUnreadable(run) {
  return run?.status === 'error';
}

/**
 * How far the run itemizes, as the title says it: "k 5", "full itemization", or null when
 * unknown. The API's `k` is null both for full itemization and for a run with no records yet (k
 * comes from the first record), so null alone only means "full" once records exist; before that
 * the recorder's description (from run.json) is asked.
 */
export function itemizationText(run) {
  if (!run || runUnreadable(run)) return null;
  if (run.k !== null && run.k !== undefined) return `k ${run.k}`;
  if (run.records > 0 && run.k === null) return 'full itemization';
  const recorder = typeof run.recorder === 'string' ? run.recorder : '';
  const k = /truncated\(k=(\d+)/.exec(recorder);
  // A k that reaches back over the whole sequence keeps every distance: the records say full
  // itemization (k null), and so does the title before the first one arrives.
  if (k) return Number.isFinite(run.n) && Number(k[1]) >= run.n - 1 ? 'full itemization' : `k ${k[1]}`;
  if (/\bfull\b/.test(recorder)) return 'full itemization';
  return null;
}

const STATUS_TEXT = {
  running: '● live', stale: '◌ no end written', completed: 'completed', interrupted: 'interrupted', failed: 'failed', ended: 'ended', error: 'unreadable',
};

export class RunPanel {
  /** True when `key` differs from the last one seen under `name` (skips redrawing what did not change). */
  changed(name, ...parts) {
    this.memo ??= {};
    const key = parts.map((p) => (p && typeof p === 'object' ? this.objectId(p) : String(p))).join('|');
    if (this.memo[name] === key) return false;
    this.memo[name] = key;
    return true;
  }

  objectId(o) {
    this.ids ??= new WeakMap();
    let id = this.ids.get(o);
    if (id === undefined) {
      this.nextId = (this.nextId ?? 0) + 1;
      id = `#${this.nextId}`;
      this.ids.set(o, id);
    }
    return id;
  }

  constructor(parent, index, app) {
    this.app = app;
    this.index = index;
    this.run = null;
    this.shown = null; // { meta, record } on display (selected or previewed)
    this.selectedMeta = null; // { meta, record } of the selected batch
    this.overview = null;
    this.context = null;
    this.horizon = null;
    this.interesting = null;
    this.error = null;
    this.hoverBin = null;

    this.column = parent.append('div').attr('class', 'column').attr('id', `panel-${index}`);
    const card = this.column.append('div').attr('class', 'card');
    // Focusable, so the keys (← → batches, [ ] loss steps) have somewhere to go without a mouse.
    this.svg = card.append('svg').attr('class', 'exportable panel').attr('data-panel', index)
      .attr('font-family', FONT).attr('height', Y.height).attr('tabindex', 0).attr('role', 'group');
    const svg = this.svg;
    // The truncation residual is hatched grey: a flat light grey was hard to tell from the
    // lightest green band.
    this.residualFill = `url(#rnnbow-residual-${index})`;
    svg.append('defs').append('pattern').attr('id', `rnnbow-residual-${index}`).attr('patternUnits', 'userSpaceOnUse')
      .attr('width', 5).attr('height', 5).attr('patternTransform', 'rotate(45)')
      .call((pat) => pat.append('rect').attr('width', 5).attr('height', 5).attr('fill', RESIDUAL))
      .call((pat) => pat.append('line').attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 5).attr('stroke', '#6b7280').attr('stroke-width', 1.4));
    this.gTitle = svg.append('g').attr('data-area', 'title');
    this.g1 = svg.append('g').attr('data-area', '1');
    this.g1.append('g').attr('class', 'backgrounds');
    this.g1.append('g').attr('class', 'texts');
    this.g2 = svg.append('g').attr('data-area', '2');
    this.gSteps = svg.append('g').attr('data-area', 'steps');
    this.gLegend = svg.append('g').attr('data-area', 'legend');
    this.g3 = svg.append('g').attr('data-area', '3');
    this.g4 = svg.append('g').attr('data-area', '4');
    this.gInfo = svg.append('g').attr('data-area', 'info');
    this.gCtx = svg.append('g').attr('data-area', 'context');
    this.gMsg = svg.append('g').attr('data-area', 'message');

    // Area 2 and 4 chrome built once; data joins update in place so hovered elements survive.
    this.g2.append('g').attr('class', 'y-axis');
    this.g2.append('g').attr('class', 'bars');
    this.g2.append('g').attr('class', 'flags');
    this.g2.append('text').attr('class', 'area-title').attr('transform', `translate(14,${(Y.area2Top + Y.area2Bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', MUTED).text('gradient at step');

    this.g4.append('g').attr('class', 'y-axis');
    this.g4.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${Y.area4Bottom})`);
    this.g4.append('g').attr('class', 'ov-bars');
    this.g4.append('g').attr('class', 'ov-flags');
    this.g4.append('text').attr('class', 'area-title').attr('x', M.left).attr('y', Y.area4Title).attr('font-size', 12).attr('font-weight', 600).attr('fill', INK);
    this.g4.append('text').attr('class', 'axis-name y-name').attr('transform', `translate(14,${(Y.area4Top + Y.area4Bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', MUTED).text('max gradient');
    // From the panel's left edge: a first tick like "1,300" reaches left of the plot.
    this.g4.append('text').attr('class', 'axis-name x-name').attr('x', 6).attr('y', Y.area4Bottom + 15)
      .attr('font-size', 11).attr('fill', MUTED).text('batch');
    this.ovOverlay = this.g4.append('rect').attr('class', 'ov-overlay').attr('fill', 'transparent')
      .attr('y', Y.area4Top - 4).attr('height', Y.area4Bottom - Y.area4Top + 4);
    this.ovOverlay
      .on('mousemove', (event) => this.onOverviewMove(event))
      .on('mouseleave', () => {
        this.hoverBin = null;
        this.app.previewBatch(null);
      })
      .on('click', (event) => {
        const bin = this.binAt(d3.pointer(event)[0]);
        if (bin) this.app.selectBatch(bin.batch, { source: this.index });
      });

    this.gCtx.append('g').attr('class', 'ctx-bars');
    this.gCtx.append('text').attr('x', M.left - 8).attr('y', (Y.ctxTop + Y.ctxBottom) / 2 + 4).attr('text-anchor', 'end')
      .attr('font-size', 11).attr('fill', MUTED).text('zoom ▸');
    this.brush = d3.brushX().on('end', (event) => {
      if (!event.sourceEvent) return; // moved by code, not by the user
      if (!event.selection) {
        this.app.setZoom(null);
        return;
      }
      const [a, b] = event.selection.map((px) => this.ctxX.invert(px));
      const from = Math.max(this.app.fullDomain()[0], Math.round(a));
      const to = Math.min(this.app.fullDomain()[1], Math.max(from, Math.round(b) - 1));
      this.app.setZoom({ from, to });
    });
    this.gBrush = this.gCtx.append('g').attr('class', 'brush');

    // Horizon over training.
    const hzCard = this.column.append('div').attr('class', 'card');
    this.hzSvg = hzCard.append('svg').attr('class', 'exportable horizon-training').attr('data-panel', index)
      .attr('font-family', FONT).attr('height', HZ_HEIGHT).attr('tabindex', 0).attr('role', 'img');
    this.hzSvg.append('text').attr('class', 'hz-title').attr('x', M.left).attr('y', 16).attr('font-size', 12).attr('font-weight', 600).attr('fill', INK);
    this.hzSvg.append('text').attr('class', 'hz-sub').attr('x', M.left).attr('y', 30).attr('font-size', 11).attr('fill', MUTED);
    this.hzSvg.append('text').attr('class', 'axis-name').attr('transform', `translate(14,${(HZ.top + HZ.bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', MUTED).text('share of gradient');
    this.hzSvg.append('text').attr('class', 'axis-name').attr('x', 6).attr('y', HZ.bottom + 15)
      .attr('font-size', 11).attr('fill', MUTED).text('batch');
    this.hzSvg.append('g').attr('class', 'hz-legend').attr('transform', `translate(${M.left},${HZ.legend})`);
    this.hzSvg.append('g').attr('class', 'hz-bars');
    this.hzSvg.append('g').attr('class', 'y-axis');
    this.hzSvg.append('g').attr('class', 'x-axis').attr('transform', `translate(0,${HZ.bottom})`);
    this.hzSvg.append('line').attr('class', 'hz-marker').attr('stroke', BLUE).attr('stroke-width', 2).attr('y1', HZ.top - 3).attr('y2', HZ.bottom + 3);
    this.hzSvg.append('text').attr('class', 'hz-readout').attr('y', HZ.readout).attr('font-size', 11).attr('fill', MUTED);
    this.hzOverlay = this.hzSvg.append('rect').attr('class', 'hz-overlay').attr('fill', 'transparent').attr('y', HZ.top).attr('height', HZ.bottom - HZ.top);
    this.hzOverlay
      .on('mousemove', (event) => this.onHorizonMove(event))
      .on('mouseleave', () => this.hzSvg.select('.hz-readout').text(''))
      .on('click', (event) => {
        const bin = this.hzBinAt(d3.pointer(event)[0]);
        if (bin) this.app.selectBatch(Math.round((bin.from + bin.to) / 2), { source: this.index });
      });

    // Interesting batches.
    const intCard = this.column.append('div').attr('class', 'card');
    this.intTitle = intCard.append('h2');
    this.intBox = intCard.append('div').attr('class', 'interesting');
  }

  /** Width available to the SVGs. */
  width() {
    const w = this.column.node().clientWidth - 18;
    return Math.max(MIN_WIDTH, w);
  }

  plotWidth() {
    return this.width() - M.left - M.right;
  }

  remove() {
    this.column.remove();
  }

  seriesFor(key) {
    return resolveSeries(this.run, key);
  }

  /**
   * The series areas 1-3 draw from the batch shown: the chosen one, unless the batch on display
   * was fetched for another series (`shown.series`; batches are fetched with the one series they
   * draw). Then, until the batch with the chosen series arrives, the panel keeps drawing the
   * series its record holds rather than a blank "no gradient" for a moment.
   */
  drawnSeries(key) {
    const series = this.seriesFor(key);
    const held = this.shown?.series;
    if (held === null || held === undefined || held === series.key) return series;
    return resolveSeries(this.run, held);
  }

  // ---------------------------------------------------------------- rendering

  /** Draws everything from the panel's data and the app's shared view state (areas 1-3 only for `detailOnly`). */
  render(view, detailOnly = false) {
    this.memo ??= {};
    const W = this.width();
    if (detailOnly && this.shown && W === this.lastWidth) {
      const series = this.drawnSeries(view.seriesKey);
      const x = d3.scaleBand().domain(d3.range(this.shown.record.n)).range([M.left, W - M.right]).paddingInner(0.18).paddingOuter(0.05);
      this.renderLabels(x, this.shown, view);
      this.renderBars(x, this.shown, series, view);
      this.renderHorizon(x, W, this.shown, series, view);
      return;
    }
    this.lastWidth = W;
    this.svg.attr('width', W).attr('viewBox', `0 0 ${W} ${Y.height}`);
    this.sizeHorizonChart(W);
    const shown = this.shown;
    this.svg.attr('data-run', this.run?.id ?? '')
      .attr('data-batch', shown?.meta.batch ?? '')
      .attr('data-selected', this.selectedMeta?.meta.batch ?? '')
      .attr('data-preview', view.preview !== null && shown ? shown.meta.batch : '');
    const series = this.seriesFor(view.seriesKey);
    this.describe(view, series);
    this.renderTitle(W, series);
    this.gMsg.selectAll('*').remove();
    if (!shown) {
      for (const g of [this.g1.select('.texts'), this.g1.select('.backgrounds'), this.g2.select('.bars'), this.g2.select('.flags'), this.gSteps, this.gLegend, this.g3, this.gInfo]) g.selectAll('*').remove();
      this.g2.select('.y-axis').selectAll('*').remove();
      this.memo.legend = this.memo.info = undefined; // cleared above: draw them again next time
      const msg = this.error ?? this.emptyMessage();
      this.gMsg.append('text').attr('class', this.error ? 'error' : 'hint').attr('x', W / 2).attr('y', (Y.area2Top + Y.area2Bottom) / 2)
        .attr('text-anchor', 'middle').attr('font-size', 13).attr('fill', this.error ? RED : MUTED).text(msg)
        .call((t) => wrapLines(t, W - 24, 17));
    } else {
      const x = d3.scaleBand().domain(d3.range(shown.record.n)).range([M.left, W - M.right]).paddingInner(0.18).paddingOuter(0.05);
      const drawn = this.drawnSeries(view.seriesKey);
      this.renderLabels(x, shown, view);
      this.renderBars(x, shown, drawn, view);
      this.renderLegend(W, shown, drawn, view);
      this.renderHorizon(x, W, shown, drawn, view);
    }
    this.renderOverview(W, view, series);
    this.renderInfo(W, view);
    this.renderContext(W, view);
    this.renderHorizonTraining(W, view, series);
    this.renderInteresting(view, series);
  }

  /** The charts' names for screen readers (and what their keys do). */
  describe(view, series) {
    const run = this.run?.id ?? 'no run';
    const batch = this.shown ? `batch ${this.shown.meta.batch}` : 'no batch shown';
    this.svg.attr('aria-label', `${run}, ${batch}: labels and predictions, gradient per step by distance, the gradient horizon of one loss, and the max gradient of every recorded batch. Keys: left and right arrows for the previous and next batch, Page Up and Page Down a tenth of the run back and on, plus and minus to zoom the overview, [ and ] for the previous and next loss step.`);
    this.hzSvg.attr('aria-label', `${run}: horizon over training, the share of ${series.key || 'the'} gradient from each distance, per column of batches.`);
  }

  /** What the panel says while it has no batch to show. */
  emptyMessage() {
    const run = this.run;
    if (runUnreadable(run)) return `The run’s ${run.kind === 'json' ? 'run.json' : 'description'} cannot be read, so its batches cannot be shown.`;
    if (run && run.records === 0) return 'No batches recorded yet. New ones appear here as the run writes them.';
    return 'Loading…';
  }

  renderTitle(W, series) {
    const run = this.run;
    const g = this.gTitle;
    if (!this.changed('title', W, run, series.key, series.fallback)) return;
    g.selectAll('*').remove();
    if (!run) return;
    const t = g.append('text').attr('x', M.left).attr('y', Y.title).attr('font-size', 14).attr('fill', INK);
    t.append('tspan').attr('font-weight', 700).text(run.id);
    const known = (v) => v !== null && v !== undefined;
    const facts = [run.cell, known(run.hiddenSize) ? `H ${run.hiddenSize}` : null, known(run.n) ? `n ${run.n}` : null, known(run.batchSize) && run.batchSize > 1 ? `B ${run.batchSize}` : null, itemizationText(run), run.reduction ? `${run.reduction} norm` : null]
      .filter(Boolean).join(' · ');
    // A leading space, not dx: getComputedTextLength (which fitLine measures) ignores dx, and the
    // facts then ran under the status text.
    if (facts) t.append('tspan').attr('fill', MUTED).text(`\u2002${facts}`);
    const status = STATUS_TEXT[run.status] ?? run.status;
    const statusText = g.append('text').attr('class', 'status').attr('x', W - M.right).attr('y', Y.title).attr('text-anchor', 'end').attr('font-size', 11.5)
      .attr('fill', run.status === 'running' ? GREEN : run.status === 'failed' || run.status === 'error' ? RED : MUTED)
      .text(`${run.indexing ? 'indexing… ' : `${status} · `}${fmtInt(run.records)} recorded batch${run.records === 1 ? '' : 'es'}${run.indexing ? ' so far' : ''}`);
    // A narrow panel: the status keeps only its count, so the run's name keeps room to be read.
    if (statusText.node().getComputedTextLength() > (W - M.left - M.right) / 3) {
      statusText.text(`${run.indexing ? 'indexing… ' : `${status} · `}${fmtInt(run.records)}`);
    }
    const seriesText = series.gate ? `${series.param}, gate ${series.gate}` : series.param;
    const sub = g.append('text').attr('class', 'subtitle').attr('x', M.left).attr('y', Y.sub).attr('font-size', 11.5).attr('fill', MUTED);
    // Parts joined by " · ", so a missing one leaves no stray separator.
    const parts = [];
    if (runUnreadable(run)) parts.push([`${run.kind === 'json' ? 'run.json' : 'the run description'} cannot be read (see the problems above)`, RED]);
    else if (seriesText) parts.push([`gradient of ${seriesText}`]);
    if (series.fallback) parts.push([`(the chosen ${this.app.seriesKey} is not itemized in this run)`, RED]);
    if (run.recorder) parts.push([`recorder ${run.recorder}`]);
    parts.forEach(([text, fill], i) => {
      const sep = i === 0 ? '' : series.fallback && i === 1 && !runUnreadable(run) ? ' ' : ' · ';
      sub.append('tspan').attr('fill', fill ?? null).text(`${sep}${text}`);
    });
    const links = this.renderContinuity(g, W, sub);
    fitLine(sub, W - M.left - M.right - (links ? links + 14 : 0));
    fitLine(t, W - M.left - M.right - statusText.node().getComputedTextLength() - 14);
  }

  /**
   * The right end of the subtitle line, under the status: the run this one continues ("continues
   * A") and the newest run that continues it ("continued in B →"), each a link that switches this
   * panel to that run. On a narrow panel the words give way to arrows ("← A", "→ B"; the tooltip
   * keeps them) before the subtitle is cut short for them. Returns the width drawn (0: no links).
   */
  renderContinuity(g, W, sub) {
    const links = continuityLinks(this.run);
    if (!links.length) return 0;
    const avail = W - M.left - M.right;
    const words = links.map(continuityWords);
    const line = g.append('text').attr('class', 'continuity').attr('x', W - M.right).attr('y', Y.sub).attr('text-anchor', 'end')
      .attr('font-size', 11.5).attr('fill', MUTED);
    const draw = (form) => {
      line.selectAll('*').remove();
      words.forEach((w, i) => {
        const [before, id, after] = w[form];
        if (i > 0) line.append('tspan').text(' · ');
        if (before) line.append('tspan').text(before);
        // A real link (focusable, Enter follows it, middle-click opens the run in a new tab); a
        // plain click switches this panel the way the run menu would.
        const a = line.append('a').attr('class', 'run-link').attr('data-link', links[i].kind).attr('data-run', id)
          .attr('href', `?run=${encodeURIComponent(id)}`)
          .on('click', (event) => {
            // Ctrl/Cmd/Shift-click opens the run elsewhere, as any link does.
            if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
            event.preventDefault();
            this.app.showRunInPanel(this.index, id);
          });
        a.append('title').text(w.title);
        a.append('tspan').attr('fill', BLUE_DARK).attr('text-decoration', 'underline').text(id);
        if (after) line.append('tspan').text(after);
      });
      return line.node().getComputedTextLength();
    };
    let width = draw('full');
    const subWidth = sub.node().getComputedTextLength();
    if (subWidth + 14 + width > avail && avail - width - 14 < avail / 2) width = draw('short');
    if (width > avail * 0.6) {
      // Still too wide (very long ids): cut, with the whole line as the tooltip.
      line.selectAll('a > title').remove();
      fitLine(line, avail * 0.6);
      width = line.node().getComputedTextLength();
    }
    return width;
  }

  renderLabels(x, shown, view) {
    const { record } = shown;
    const run = this.run;
    const n = record.n;
    const band = x.bandwidth();
    const steps = d3.range(n);
    // Whitespace glyphs (␣ ⏎ ⇥) are drawn small by fonts: give them a little more room.
    const fontFor = (s) => Math.max(6, Math.min(/^[␣⏎⇥␍]$/.test(s) ? 19 : 15, band * 0.95, (band * 1.7) / Math.max(1, [...s].length)));
    const g = this.g1.select('.texts');
    const bg = this.g1.select('.backgrounds');
    g.selectAll('text.caption').data(['label', 'predicted']).join('text').attr('class', 'caption')
      .attr('x', M.left - 8).attr('y', (d, i) => (i === 0 ? Y.labelRow : Y.predRow)).attr('text-anchor', 'end')
      .attr('font-size', 11).attr('fill', MUTED).text((d) => d);
    bg.selectAll('rect.hover-col').data(view.hoverT !== null && view.hoverT < n ? [view.hoverT] : []).join('rect').attr('class', 'hover-col')
      .attr('x', (t) => x(t) - 2).attr('width', band + 4).attr('y', Y.area1Top).attr('height', Y.area1Bottom - Y.area1Top)
      .attr('rx', 3).attr('fill', '#dbeafe');
    const right = (t) => record.predictions[t] === record.targets[t];
    bg.selectAll('rect.pred-bg').data(steps).join('rect').attr('class', 'pred-bg')
      .attr('data-correct', (t) => String(right(t)))
      .attr('x', (t) => x(t)).attr('width', band).attr('y', Y.predRow - 16).attr('height', 21).attr('rx', 2)
      .attr('fill', (t) => (right(t) ? PRED_RIGHT_BG : PRED_WRONG_BG));
    this.renderPredictionKey();
    g.selectAll('text.label').data(steps).join('text').attr('class', 'label')
      .attr('data-t', (t) => t).attr('data-token', (t) => record.targets[t])
      .attr('x', (t) => x(t) + band / 2).attr('y', Y.labelRow).attr('text-anchor', 'middle')
      .attr('font-family', MONO).attr('font-size', (t) => fontFor(tokenText(run, record.targets[t])))
      .attr('font-weight', (t) => (t === view.hoverT ? 700 : 400))
      .attr('fill', (t) => (/^[␣⏎⇥␍]$/.test(tokenText(run, record.targets[t])) ? MUTED : INK))
      .text((t) => tokenText(run, record.targets[t]));
    g.selectAll('text.prediction').data(steps).join('text').attr('class', 'prediction')
      .attr('data-t', (t) => t).attr('data-token', (t) => record.predictions[t])
      .attr('data-correct', (t) => String(record.predictions[t] === record.targets[t]))
      .attr('x', (t) => x(t) + band / 2).attr('y', Y.predRow).attr('text-anchor', 'middle')
      .attr('font-family', MONO).attr('font-size', (t) => fontFor(tokenText(run, record.predictions[t])))
      .attr('font-weight', 600)
      .attr('fill', (t) => (right(t) ? GREEN : PRED_WRONG_TEXT))
      .text((t) => tokenText(run, record.predictions[t]));
  }

  /**
   * Under the predictions, what their cells mean. Right and wrong differ in lightness (light cell,
   * dark letter / dark cell, white letter), not only in hue, so they read without telling red from
   * green.
   */
  renderPredictionKey() {
    const g = this.g1.select('.texts');
    g.select('g.pred-key').remove();
    const key = g.append('g').attr('class', 'pred-key').attr('transform', `translate(${M.left},${Y.predKey})`);
    const lead = key.append('text').attr('x', 0).attr('y', 0).attr('font-size', 11).attr('fill', MUTED).text('prediction:');
    let x0 = lead.node().getComputedTextLength() + 6;
    for (const [text, fill, ink, glyph] of [['right', PRED_RIGHT_BG, GREEN, 'a'], ['wrong', PRED_WRONG_BG, PRED_WRONG_TEXT, 'a']]) {
      key.append('rect').attr('x', x0).attr('y', -10).attr('width', 13).attr('height', 13).attr('rx', 2).attr('fill', fill)
        .attr('stroke', fill === PRED_RIGHT_BG ? '#86efac' : 'none');
      key.append('text').attr('x', x0 + 6.5).attr('y', 0).attr('text-anchor', 'middle').attr('font-family', MONO).attr('font-size', 10).attr('font-weight', 600).attr('fill', ink).text(glyph);
      const label = key.append('text').attr('x', x0 + 17).attr('y', 0).attr('font-size', 11).attr('fill', MUTED).text(text);
      x0 += 17 + label.node().getComputedTextLength() + 12;
    }
  }

  renderBars(x, shown, series, view) {
    const { record } = shown;
    const n = record.n;
    const matrix = matrixOf(record, series);
    const barsG = this.g2.select('.bars');
    const flags = this.g2.select('.flags');
    if (!matrix) {
      barsG.selectAll('*').remove();
      flags.selectAll('*').remove();
      this.g2.select('.y-axis').selectAll('*').remove();
      this.gMsg.append('text').attr('x', (M.left + x.range()[1]) / 2).attr('y', (Y.area2Top + Y.area2Bottom) / 2).attr('text-anchor', 'middle')
        .attr('fill', MUTED).attr('font-size', 13).text(`this record has no itemized gradient for ${series.key}`);
      return;
    }
    const bars = segmentsOf(matrix, n);
    const maxD = Math.max(0, ...matrix.map((r) => r.length - 1));
    const residual = view.showResidual && !series.gate ? record.params[series.param]?.residual : null;
    const yMax = view.barMax > 0 ? view.barMax : 1;
    const y = d3.scaleLinear().domain([0, yMax]).range([Y.area2Bottom, Y.area2Top]);
    this.g2.select('.y-axis').attr('transform', `translate(${M.left - 4},0)`)
      .call(d3.axisLeft(y).ticks(5).tickFormat(fmtShort).tickSizeOuter(0))
      .call((a) => a.selectAll('.tick line').attr('stroke', '#cbd5e1'))
      .call((a) => a.select('.domain').attr('stroke', '#cbd5e1'));
    const band = x.bandwidth();
    const resH = (j) => (residual && Number.isFinite(residual[j]) ? Math.abs(residual[j]) : 0);
    const barG = barsG.selectAll('g.bar').data(bars, (b) => b.j).join('g').attr('class', 'bar')
      .attr('data-j', (b) => b.j).attr('data-segments', (b) => b.segments.length)
      .attr('transform', (b) => `translate(${x(b.j)},0)`);
    barG.selectAll('rect.residual').data((b) => (residual ? [b] : [])).join('rect').attr('class', 'residual')
      .attr('width', band).attr('y', (b) => y(resH(b.j))).attr('height', (b) => Y.area2Bottom - y(resH(b.j)))
      .attr('fill', this.residualFill).attr('stroke', '#6b7280').attr('stroke-width', 0.6);
    const hoverT = view.hoverT;
    // A hit area the plot's height behind each bar, so short bars are easy to hover: it picks the step's own loss.
    barG.selectAll('rect.bar-hit').data((b) => [b]).join('rect').attr('class', 'bar-hit')
      .attr('x', -x.step() * x.paddingInner() / 2).attr('width', x.step()).attr('y', Y.area2Top).attr('height', Y.area2Bottom - Y.area2Top)
      .attr('fill', 'transparent')
      .on('mouseenter', (event, b) => this.app.setHover(b.j));
    barG.selectAll('rect.segment').data((b) => b.segments, (s) => `${s.t}:${s.d}`).join('rect').attr('class', 'segment')
      .attr('data-t', (s) => s.t).attr('data-d', (s) => s.d).attr('data-value', (s) => s.raw)
      .attr('width', band)
      .attr('y', (s) => y(s.y1 + resH(s.j)))
      .attr('height', (s) => Math.max(0, y(s.y0 + resH(s.j)) - y(s.y1 + resH(s.j))))
      .attr('fill', (s) => (s.t === hoverT ? BLUE : distanceColor(s.d, maxD)))
      .attr('stroke', (s) => (s.t === hoverT ? BLUE_DARK : '#ffffff'))
      .attr('stroke-width', (s) => (s.t === hoverT ? 0.8 : 0.4))
      .on('mouseenter', (event, s) => this.app.setHover(s.t));
    // A flag says what the bar holds (NaN, ∞, −∞) when that fits over the bar; over narrow bars the
    // words ran into each other ("NaNNaNNaN"), so there it is a "!" and the words are its tooltip.
    const kinds = (b) => [...b.nonFiniteKinds].sort().join('/');
    const fits = (b) => kinds(b).length * 6.6 + 2 <= x.step();
    const flag = flags.selectAll('g.flag').data(bars.filter((b) => b.nonFinite)).join('g').attr('class', 'flag');
    flag.selectAll('title').data((b) => [b]).join('title').text((b) => `step ${b.j}: ${kinds(b)} in this bar`);
    flag.selectAll('text.nonfinite').data((b) => [b]).join('text').attr('class', 'nonfinite')
      .attr('data-j', (b) => b.j).attr('data-kinds', kinds)
      .attr('x', (b) => x(b.j) + band / 2).attr('y', Y.area2Top + 10).attr('text-anchor', 'middle')
      .attr('font-size', (b) => (fits(b) ? 10 : 11)).attr('font-weight', 700).attr('fill', RED).text((b) => (fits(b) ? kinds(b) : '!'));
    // Step numbers under the bars.
    const every = Math.max(1, Math.ceil(28 / band));
    this.gSteps.selectAll('text.step-num').data(d3.range(0, n, every)).join('text').attr('class', 'step-num')
      .attr('x', (j) => x(j) + band / 2).attr('y', Y.steps).attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', MUTED)
      .text((j) => j);
    this.gSteps.selectAll('text.axis-name').data([0]).join('text').attr('class', 'axis-name')
      .attr('x', M.left - 8).attr('y', Y.steps).attr('text-anchor', 'end').attr('font-size', 11).attr('fill', MUTED).text('step');
  }

  renderLegend(W, shown, series, view) {
    const g = this.gLegend;
    const matrix = matrixOf(shown.record, series);
    const maxD = matrix ? Math.max(0, ...matrix.map((r) => r.length - 1)) : -1;
    // Only truncated records carry a residual: a fully itemized run has nothing "> k" to name.
    const residual = view.showResidual && !series.gate && Array.isArray(shown.record.params[series.param]?.residual);
    if (!this.changed('legend', W, maxD, residual)) return;
    g.selectAll('*').remove();
    if (!matrix) return;
    // Each entry is a swatch and its words, laid out in rows: a narrow panel wraps onto a second
    // row instead of squashing the text.
    const entry = (text, fill, stroke) => {
      const e = g.append('g').attr('class', 'legend-entry');
      let x0 = 0;
      if (fill) {
        e.append('rect').attr('y', -7).attr('width', 12).attr('height', 12).attr('rx', 2).attr('fill', fill).attr('stroke', stroke ?? 'none');
        x0 = 15;
      }
      e.append('text').attr('x', x0).attr('y', 4).attr('font-size', 11).attr('fill', MUTED).text(text);
      return e;
    };
    const entries = [entry('loss from d steps ahead:')];
    // One entry per shade: far distances share a shade by band (palette.js), named "8–15".
    for (const band of distanceBands(maxD)) {
      const e = entry(bandLabel(band), distanceColor(band.from, maxD));
      e.select('rect').attr('class', 'legend-swatch').attr('data-d', band.from).attr('data-to', band.to);
      entries.push(e);
    }
    entries.push(entry('the loss shown below', BLUE, BLUE_DARK).attr('data-gap', 6));
    if (residual) {
      const e = entry('> k: dropped by truncation', this.residualFill, '#6b7280').attr('data-gap', 6);
      e.select('rect').attr('class', 'legend-residual');
      entries.push(e);
    }
    // One row from the plot's left edge when it fits; otherwise rows from the panel's left edge.
    layoutLegendRows(entries, {
      left: M.left, wrapLeft: 8, right: W - M.right, top: Y.legend, rowHeight: LEGEND_ROW,
      gapBefore: (i) => Number(entries[i].attr('data-gap') ?? 0),
    });
  }

  renderHorizon(x, W, shown, series, view) {
    const g = this.g3;
    const { record } = shown;
    const matrix = matrixOf(record, series);
    const t = view.hoverT;
    const row = matrix && t !== null && t < matrix.length ? matrix[t] : null;
    const title = g.selectAll('text.area-title').data([0]).join('text').attr('class', 'area-title')
      .attr('x', M.left).attr('y', Y.area3Title).attr('font-size', 12).attr('fill', INK);
    title.selectAll('*').remove();
    title.select(':scope > title').remove();
    g.selectAll('text.hint, text.area-detail, text.axis-name').remove();
    if (!row) {
      title.append('tspan').attr('font-weight', 600).text('Gradient horizon');
      g.selectAll('g.hz, .y-axis, line.base').remove();
      g.append('text').attr('class', 'hint').attr('x', (M.left + W - M.right) / 2).attr('y', (Y.area3Top + Y.area3Bottom) / 2)
        .attr('text-anchor', 'middle').attr('font-size', 12.5).attr('fill', MUTED)
        .text('Hover a bar segment above: its loss’s gradient, step by step back in time, appears here.')
        .call((t) => wrapLines(t, W - M.left - M.right, 16));
      return;
    }
    const run = this.run;
    const label = tokenText(run, record.targets[t]);
    const pred = tokenText(run, record.predictions[t]);
    title.append('tspan').attr('font-weight', 600).text(`Gradient horizon of the loss at step ${t}`);
    // Until a loss is hovered (or picked with [ ]), area 3 shows the batch's largest loss.
    const lossFinite = Number.isFinite(record.losses[t]);
    const note = view.hoverDefault ? (lossFinite ? 'largest loss' : 'last step') : null;
    // The details follow on the same line when it has room, else on a line of their own under it.
    const full = W - M.left - M.right;
    let detail = title;
    if (note) title.append('tspan').attr('class', 'detail-start').attr('fill', MUTED).text(` · ${note}`);
    title.append('tspan').attr('class', 'detail-start').attr('fill', MUTED).text(' — ');
    if (title.node().getComputedTextLength() > full * 0.55) {
      title.selectAll('tspan.detail-start').remove();
      detail = g.append('text').attr('class', 'area-detail').attr('x', M.left).attr('y', Y.area3Title + 15).attr('font-size', 11.5).attr('fill', INK);
      if (note) detail.append('tspan').attr('fill', MUTED).text(`${note}: `);
    }
    detail.append('tspan').attr('fill', MUTED).text('label ');
    detail.append('tspan').attr('font-family', MONO).attr('font-weight', 700).text(label);
    detail.append('tspan').attr('fill', MUTED).text(', predicted ');
    const right = record.predictions[t] === record.targets[t];
    detail.append('tspan').attr('font-family', MONO).attr('font-weight', 700).attr('fill', right ? GREEN : RED).text(pred);
    detail.append('tspan').attr('fill', MUTED).text(right ? ' (right)' : ' (wrong)');
    const loss = record.losses[t];
    detail.append('tspan').attr('fill', MUTED).text(', loss ');
    detail.append('tspan').attr('fill', Number.isFinite(loss) ? MUTED : RED).attr('font-weight', Number.isFinite(loss) ? null : 700).text(fmt(loss));
    const decay = decayPerStep(row);
    if (decay !== null) detail.append('tspan').attr('fill', MUTED).text(` · ×${fmt(decay)} per step back`);
    fitLine(title, full);
    if (detail !== title) fitLine(detail, full);
    g.append('text').attr('class', 'axis-name').attr('transform', `translate(14,${(Y.area3Top + Y.area3Bottom) / 2}) rotate(-90)`)
      .attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', MUTED).text('from this loss');

    const items = row.map((raw, d) => ({ d, j: t - d, raw, v: Math.abs(raw) })).filter((s) => s.j >= 0);
    const yMax = view.hzMax > 0 ? view.hzMax : 1;
    const y = d3.scaleLinear().domain([0, yMax]).range([Y.area3Bottom, Y.area3Top]);
    const band = x.bandwidth();
    g.selectAll('line.base').data([0]).join('line').attr('class', 'base').attr('x1', M.left).attr('x2', W - M.right)
      .attr('y1', Y.area3Bottom + 0.5).attr('y2', Y.area3Bottom + 0.5).attr('stroke', GRID);
    const rotate = band < 30;
    const hz = g.selectAll('g.hz').data([0]).join('g').attr('class', 'hz');
    hz.selectAll('rect.horizon-bar').data(items, (s) => s.d).join('rect').attr('class', 'horizon-bar')
      .attr('data-t', t).attr('data-d', (s) => s.d).attr('data-value', (s) => s.raw)
      .attr('x', (s) => x(s.j)).attr('width', band)
      .attr('y', (s) => (Number.isFinite(s.v) ? y(s.v) : Y.area3Top))
      .attr('height', (s) => (Number.isFinite(s.v) ? Y.area3Bottom - y(s.v) : Y.area3Bottom - Y.area3Top))
      .attr('fill', (s) => (Number.isFinite(s.v) ? BLUE : RED)).attr('fill-opacity', (s) => 1 - (rotate ? 0.3 : 0.5) * (s.d / Math.max(1, items.length)));
    // Rotated values of tall bars go inside the bar (white): above it they ran into the title.
    const top = (s) => (Number.isFinite(s.v) ? y(s.v) : Y.area3Top);
    const inside = (s) => rotate && Y.area3Bottom - top(s) > 8 + 6.2 * fmt(s.v).length;
    hz.selectAll('text.horizon-value').data(items, (s) => s.d).join('text').attr('class', 'horizon-value')
      .attr('data-d', (s) => s.d)
      .attr('transform', (s) => {
        const px = x(s.j) + band / 2;
        if (inside(s)) return `translate(${px + 3.5},${top(s) + 4}) rotate(-90)`;
        const py = top(s) - 4;
        return rotate ? `translate(${px + 3},${py}) rotate(-90)` : `translate(${px},${py})`;
      })
      .attr('text-anchor', (s) => (inside(s) ? 'end' : rotate ? 'start' : 'middle')).attr('font-size', 10)
      .attr('fill', (s) => (inside(s) ? '#ffffff' : INK))
      .text((s) => fmt(s.v));
    hz.selectAll('text.horizon-d').data(items, (s) => s.d).join('text').attr('class', 'horizon-d')
      .attr('x', (s) => x(s.j) + band / 2).attr('y', Y.dist).attr('text-anchor', 'middle').attr('font-size', 11).attr('fill', MUTED)
      // Always with the "d": a bare "10" under a step column read as the step, not the distance.
      .text((s) => (band >= 26 || s.d % 5 === 0 ? `d${s.d}` : ''));
    g.selectAll('.y-axis').data([0]).join('g').attr('class', 'y-axis').attr('transform', `translate(${M.left - 4},0)`)
      .call(d3.axisLeft(y).ticks(3).tickFormat(fmtShort).tickSizeOuter(0))
      .call((a) => a.selectAll('.tick line').attr('stroke', '#cbd5e1'))
      .call((a) => a.select('.domain').attr('stroke', '#cbd5e1'));
  }

  // ------------------------------------------------------------- area 4 and context

  overviewX(W, view) {
    const [from, to] = view.domain;
    return d3.scaleLinear().domain([from, to + 1]).range([M.left, W - M.right]);
  }

  renderOverview(W, view, series) {
    const g = this.g4;
    const x = this.overviewX(W, view);
    this.ovX = x;
    const data = this.overview;
    const bins = data?.bins ?? [];
    const yMax = view.ovMax > 0 ? view.ovMax : 1;
    const y = d3.scaleLinear().domain([0, yMax]).nice(3).range([Y.area4Bottom, Y.area4Top]);
    const seriesText = series.gate ? `${series.param}:${series.gate}` : series.param;
    g.select('text.y-name').text(this.run?.reduction ? `max ${this.run.reduction} norm` : 'max gradient');
    const title = g.select('text.area-title');
    title.selectAll('*').remove();
    title.append('tspan').text('Max gradient per recorded batch');
    const zoomed = view.zoom !== null;
    title.attr('font-size', 12);
    const about = runUnreadable(this.run)
      ? ' — run.json cannot be read'
      : data ? ` — ${seriesText ? `${seriesText}, ` : ''}${fmtInt(data.records)} batches${data.perRecord ? '' : ` (max of each of ${bins.length} columns)`}${zoomed ? ` · zoom ${fmtInt(view.domain[0])}–${fmtInt(view.domain[1])}` : ''}` : '';
    title.append('tspan').attr('font-weight', 400).attr('fill', MUTED).text(about);
    fitLine(title, W - M.left - M.right);
    g.select('.y-axis').attr('transform', `translate(${M.left - 4},0)`)
      .call(d3.axisLeft(y).ticks(3).tickFormat(fmtShort).tickSizeOuter(0))
      .call((a) => a.selectAll('.tick line').attr('stroke', '#cbd5e1'))
      .call((a) => a.select('.domain').attr('stroke', '#cbd5e1'));
    g.select('.x-axis').call(batchAxis(x, W))
      .call((a) => a.selectAll('.tick line').attr('stroke', '#cbd5e1'))
      .call((a) => a.select('.domain').attr('stroke', '#cbd5e1'));
    const selected = this.selectedMeta?.meta.batch;
    const previewed = view.preview !== null ? this.shown?.meta.batch : null;
    const contains = (b, batch) => batch !== undefined && batch !== null && batch >= b.from && batch <= b.to;
    const gap = (b) => {
      const w = x(b.to + 1) - x(b.from);
      return w > 4 ? Math.min(6, w * 0.15) : 0;
    };
    const barsSel = g.select('.ov-bars').selectAll('rect');
    if (this.changed('overview-bars', data, W, view.domain[0], view.domain[1], yMax)) {
      // Positions only change with the data or the scales; hover and selection just recolour.
      barsSel.data(bins).join('rect')
        .attr('data-batch', (b) => b.batch).attr('data-from', (b) => b.from).attr('data-to', (b) => b.to).attr('data-max', (b) => b.max)
        .attr('x', (b) => x(b.from)).attr('width', (b) => Math.max(1, x(b.to + 1) - x(b.from) - gap(b)))
        .attr('y', (b) => y(b.max ?? 0)).attr('height', (b) => Math.max(b.max > 0 ? 1 : 0, Y.area4Bottom - y(b.max ?? 0)))
        .attr('shape-rendering', 'crispEdges');
      this.ovPainted = { selected: undefined, previewed: undefined };
    }
    if (this.ovPainted.selected !== selected || this.ovPainted.previewed !== previewed || !this.ovPainted.done) {
      g.select('.ov-bars').selectAll('rect')
        .attr('class', (b) => `ov-bar${contains(b, selected) ? ' selected' : ''}`)
        .attr('fill', (b) => (contains(b, selected) ? BLUE : contains(b, previewed) ? OVERVIEW_HOVER : OVERVIEW_BAR));
      this.ovPainted = { selected, previewed, done: true };
    }
    // Selected and previewed columns may be a pixel wide: mark them above the plot too.
    const marks = [];
    for (const b of bins) {
      if (contains(b, selected)) marks.push({ b, kind: 'selected' });
      else if (contains(b, previewed)) marks.push({ b, kind: 'preview' });
    }
    g.select('.ov-flags').selectAll('path.mark').data(marks, (m) => m.kind).join('path').attr('class', (m) => `mark ${m.kind}`)
      .attr('d', (m) => {
        const cx = (x(m.b.from) + x(m.b.to + 1)) / 2;
        return `M${cx - 5},${Y.area4Top - 9} L${cx + 5},${Y.area4Top - 9} L${cx},${Y.area4Top - 2} Z`;
      })
      .attr('fill', (m) => (m.kind === 'selected' ? BLUE : OVERVIEW_HOVER));
    g.select('.ov-flags').selectAll('rect.exploded').data(bins.filter((b) => b.nonFinite > 0), (b) => `${b.from}-${b.to}`).join('rect').attr('class', 'exploded')
      .attr('x', (b) => x(b.from)).attr('width', (b) => Math.max(2, x(b.to + 1) - x(b.from) - gap(b)))
      .attr('y', Y.area4Top).attr('height', Y.area4Bottom - Y.area4Top).attr('fill', RED).attr('fill-opacity', 0.25)
      .selectAll('title').data((b) => [b]).join('title').text((b) => `${b.nonFinite} batch(es) with NaN or infinite gradient`);
    this.ovOverlay.attr('x', M.left).attr('width', W - M.left - M.right);
    if (!bins.length) {
      g.selectAll('text.empty').data([0]).join('text').attr('class', 'empty').attr('x', (M.left + W - M.right) / 2).attr('y', (Y.area4Top + Y.area4Bottom) / 2)
        .attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', MUTED).text(runUnreadable(this.run) ? 'nothing readable' : data ? 'no recorded batches in this range' : 'loading…');
    } else g.selectAll('text.empty').remove();
  }

  /**
   * The overview column under `px`, or the nearest one: in a sparse run (`--every 20`) the bars are
   * a few pixels wide with wide gaps between them, so every point of a gap picks the closer of its
   * two neighbours instead of nothing.
   */
  binAt(px) {
    const bins = this.overview?.bins;
    if (!bins?.length || !this.ovX) return null;
    let best = null;
    let bestDist = Infinity;
    for (const b of bins) {
      const left = this.ovX(b.from);
      const right = this.ovX(b.to + 1);
      const dist = px < left ? left - px : px >= right ? px - right : 0;
      if (dist === 0) return b;
      if (dist < bestDist) {
        bestDist = dist;
        best = b;
      }
    }
    return best;
  }

  onOverviewMove(event) {
    const bin = this.binAt(d3.pointer(event)[0]);
    if (bin === this.hoverBin) return;
    this.hoverBin = bin;
    this.app.previewBatch(bin ? bin.batch : null, { source: this.index });
  }

  renderInfo(W, view) {
    const g = this.gInfo;
    const shown = this.shown;
    if (!this.changed('info', W, shown, this.selectedMeta, view.preview, view.seriesKey)) return;
    g.selectAll('*').remove();
    if (!shown) return;
    const { meta, record } = shown;
    const previewing = view.preview !== null && meta.batch !== this.selectedMeta?.meta.batch;
    const t = g.append('text').attr('class', 'info').attr('x', M.left).attr('y', Y.info).attr('font-size', 12.5).attr('fill', INK)
      .attr('data-batch', meta.batch).attr('data-mode', previewing ? 'preview' : 'selected');
    let line = t;
    const bold = (s, fill) => line.append('tspan').attr('font-weight', 700).attr('fill', fill ?? INK).text(s);
    const plain = (s) => line.append('tspan').attr('fill', MUTED).text(s);
    plain(previewing ? 'previewing ' : 'batch ');
    if (previewing) plain('batch ');
    bold(fmtInt(meta.batch), previewing ? OVERVIEW_HOVER : BLUE);
    const first = record.corpusOffset;
    const last = record.corpusOffset + record.n - 1;
    plain(' · characters ');
    bold(`${fmtInt(first)}–${fmtInt(last)}`);
    // The max gradient of the series on display (the record's own maxGradient is its primary parameter's).
    const series = this.drawnSeries(view.seriesKey);
    const matrix = matrixOf(record, series);
    const bars = matrix ? segmentsOf(matrix, record.n) : null;
    const max = bars ? (bars.some((b) => b.nonFinite) ? NaN : Math.max(0, ...bars.map((b) => b.total))) : record.maxGradient;
    plain(' of the corpus');
    // With minibatches (B > 1) one sequence of the batch is itemized: say which one is drawn.
    const B = this.run?.batchSize;
    if (B > 1 && Number.isInteger(record.sequence)) {
      plain(' · sequence ');
      bold(`${fmtInt(record.sequence + 1)} of ${fmtInt(B)}`).attr('class', 'sequence');
    }
    // A narrow panel: the numbers go on a second line rather than being cut off.
    const room = W - M.left - M.right;
    const second = t.node().getComputedTextLength() > room * 0.55;
    if (second) line = g.append('text').attr('class', 'info info-2').attr('x', M.left).attr('y', Y.info + Y.infoLine).attr('font-size', 12.5).attr('fill', INK);
    plain(second ? 'max gradient ' : ' · max gradient ');
    bold(fmt(max), Number.isFinite(max) ? INK : RED);
    plain(' · mean loss ');
    // Any NaN or infinite loss makes the mean NaN or infinite, said in red, not skipped.
    const meanLoss = meanOf(record.losses);
    bold(fmt(meanLoss), meanLoss === null || Number.isFinite(meanLoss) ? INK : RED).attr('class', 'mean-loss');
    if (previewing) plain(' · click to select');
    else plain(` · ${fmtInt(meta.rank + 1)} of ${fmtInt(meta.total)}`);
    fitLine(t, room);
    if (second) fitLine(line, room);
  }

  renderContext(W, view) {
    const full = view.fullDomain;
    const x = d3.scaleLinear().domain([full[0], full[1] + 1]).range([M.left, W - M.right]);
    this.ctxX = x;
    if (!this.changed('context', this.context, W, full[0], full[1], view.zoom?.from, view.zoom?.to)) return;
    const bins = this.context?.bins ?? [];
    const max = d3.max(bins, (b) => b.max) || 1;
    const y = d3.scaleLinear().domain([0, max]).range([Y.ctxBottom, Y.ctxTop + 2]);
    this.gCtx.select('.ctx-bars').selectAll('rect').data(bins, (b) => `${b.from}-${b.to}`).join('rect')
      .attr('x', (b) => x(b.from)).attr('width', (b) => Math.max(1, x(b.to + 1) - x(b.from)))
      .attr('y', (b) => y(b.max ?? 0)).attr('height', (b) => Y.ctxBottom - y(b.max ?? 0)).attr('fill', '#cbd5e1');
    this.gCtx.selectAll('rect.ctx-frame').data([0]).join('rect').attr('class', 'ctx-frame').lower()
      .attr('x', M.left).attr('y', Y.ctxTop).attr('width', W - M.left - M.right).attr('height', Y.ctxBottom - Y.ctxTop)
      .attr('fill', '#f8fafc').attr('stroke', GRID);
    this.brush.extent([[M.left, Y.ctxTop], [W - M.right, Y.ctxBottom]]);
    this.gBrush.call(this.brush);
    this.gBrush.select('.selection').attr('fill', BLUE).attr('fill-opacity', 0.15).attr('stroke', BLUE);
    const sel = view.zoom ? [x(view.zoom.from), x(view.zoom.to + 1)] : null;
    this.gBrush.call(this.brush.move, sel);
  }

  // ------------------------------------------------------------- horizon over training

  hzBinAt(px) {
    const bins = this.horizon?.bins;
    if (!bins?.length || !this.hzX) return null;
    const batch = this.hzX.invert(px);
    let best = null;
    let bestDist = Infinity;
    for (const b of bins) {
      if (batch >= b.from && batch < b.to + 1) return b;
      const dist = Math.min(Math.abs(batch - b.from), Math.abs(batch - b.to - 1));
      if (dist < bestDist) {
        bestDist = dist;
        best = b;
      }
    }
    return best;
  }

  onHorizonMove(event) {
    const bin = this.hzBinAt(d3.pointer(event)[0]);
    const out = this.hzSvg.select('.hz-readout');
    if (!bin) {
      out.text('');
      return;
    }
    const shares = bin.share.slice(0, 4).map((s, d) => `d${d} ${Math.round(s * 100)}%`).join(' · ');
    out.attr('x', M.left).attr('font-size', 11).text(`batches ${fmtInt(bin.from)}–${fmtInt(bin.to)} (${bin.count} averaged): ${shares}${bin.share.length > 4 ? ' …' : ''}`);
    // A narrow panel shrinks or cuts the line rather than letting it run off the chart's edge.
    fitLine(out, this.width() - M.left - M.right);
  }

  renderHorizonTraining(W, view, series) {
    const svg = this.hzSvg;
    const data = this.horizon;
    const x = this.overviewX(W, view);
    this.hzX = x;
    const seriesText = series.gate ? `${series.param}:${series.gate}` : series.param;
    const hzTitle = svg.select('.hz-title').attr('font-size', 12).text('Horizon over training: where each batch’s gradient comes from');
    // A narrow panel keeps the chart's name whole rather than a cut sentence.
    if (hzTitle.node().getComputedTextLength() > W - M.left - M.right) hzTitle.text('Horizon over training');
    fitLine(hzTitle, W - M.left - M.right);
    // Until the chosen series' answer arrives the chart still draws the previous one's, and says so.
    const pending = data && data.series !== undefined && data.series !== series.key;
    svg.select('.hz-sub').attr('font-size', 11).text(
      pending
        ? `loading ${seriesText}… (still showing ${data.series})`
        : data
          ? `share of ${seriesText ? `${seriesText}’s` : 'the'} itemized gradient by distance d (same shades as the bars; darkest = local)${data.sampled ? ` · from ${data.sampled} sampled batches` : ''}`
          : 'loading…',
    );
    // Narrow: the legend under the chart names the shades, so the parenthesis goes first.
    if (data && !pending && svg.select('.hz-sub').node().getComputedTextLength() > W - M.left - M.right) {
      svg.select('.hz-sub').text(`share of ${seriesText ? `${seriesText}’s` : 'the'} gradient by distance d${data.sampled ? ` · ${data.sampled} sampled` : ''}`);
    }
    fitLine(svg.select('.hz-sub'), W - M.left - M.right);
    const bins = data?.bins ?? [];
    const width = data?.width ?? 1;
    const maxD = width - 1;
    const y = d3.scaleLinear().domain([0, 1]).range([HZ.bottom, HZ.top]);
    const sel = this.selectedMeta?.meta.batch;
    const mx = sel !== undefined && sel >= view.domain[0] && sel <= view.domain[1] ? x(sel + 0.5) : null;
    svg.select('.hz-marker').attr('x1', mx ?? -10).attr('x2', mx ?? -10).attr('visibility', mx === null ? 'hidden' : 'visible');
    this.hzOverlay.attr('x', M.left).attr('width', W - M.left - M.right);
    if (!this.changed('horizon-training', data, W, view.domain[0], view.domain[1])) return;
    const cells = [];
    // Each column reaches the next one: recorded batches are samples of a continuous training run.
    bins.forEach((b, i) => {
      const step = i > 0 ? b.from - bins[i - 1].from : 1;
      b.end = i + 1 < bins.length ? bins[i + 1].from : Math.max(b.to + 1, Math.min(view.domain[1] + 1, b.from + step));
    });
    for (const b of bins) {
      // d = 0 on top, as in the bars.
      let acc = 0;
      for (let d = width - 1; d >= 0; d--) {
        const s = b.share[d] ?? 0;
        cells.push({ b, d, y0: acc, y1: acc + s });
        acc += s;
      }
    }
    svg.select('.hz-bars').selectAll('rect').data(cells).join('rect')
      .attr('x', (c) => x(c.b.from)).attr('width', (c) => Math.max(1, x(c.b.end) - x(c.b.from)))
      .attr('y', (c) => y(c.y1)).attr('height', (c) => Math.max(0, y(c.y0) - y(c.y1)))
      .attr('fill', (c) => distanceColor(c.d, maxD)).attr('shape-rendering', 'crispEdges');
    svg.select('.y-axis').attr('transform', `translate(${M.left - 4},0)`)
      .call(d3.axisLeft(y).ticks(2).tickFormat(d3.format('.0%')).tickSizeOuter(0))
      .call((a) => a.selectAll('.tick line').attr('stroke', '#cbd5e1'))
      .call((a) => a.select('.domain').attr('stroke', '#cbd5e1'));
    svg.select('.x-axis').call(batchAxis(x, W))
      .call((a) => a.selectAll('.tick line').attr('stroke', '#cbd5e1'))
      .call((a) => a.select('.domain').attr('stroke', '#cbd5e1'));
    this.renderHorizonLegend(W, maxD, bins.length > 0);
  }

  /**
   * The shades of the horizon-over-training chart, each band named by distance. Every band the
   * chart draws is named: on a narrow panel the names wrap onto more rows (after "d =") and the
   * chart grows by a row for each, rather than leaving the far bands unnamed.
   */
  renderHorizonLegend(W, maxD, shown) {
    const g = this.hzSvg.select('.hz-legend');
    g.selectAll('*').remove();
    let rows = 0;
    if (shown && maxD >= 0) {
      const lead = g.append('text').attr('x', 0).attr('y', 4).attr('font-size', 11).attr('fill', MUTED).text('d =');
      const entries = distanceBands(maxD).map((band) => {
        const e = g.append('g').attr('class', 'hz-entry');
        e.append('rect').attr('class', 'hz-swatch').attr('data-d', band.from).attr('data-to', band.to)
          .attr('y', -6).attr('width', 12).attr('height', 12).attr('rx', 2).attr('fill', distanceColor(band.from, maxD));
        e.append('text').attr('x', 15).attr('y', 4).attr('font-size', 11).attr('fill', MUTED).text(bandLabel(band));
        return e;
      });
      rows = layoutLegendRows(entries, {
        left: lead.node().getComputedTextLength() + 6, right: W - M.left - M.right, top: 0, rowHeight: LEGEND_ROW, spacing: 10,
      });
    }
    this.hzLegendRows = rows;
    this.sizeHorizonChart(W);
  }

  /**
   * Sets the horizon-over-training chart's size for its legend: each legend row past the first
   * adds a LEGEND_ROW, and the hover readout moves down under the last row.
   */
  sizeHorizonChart(W) {
    const extra = Math.max(0, (this.hzLegendRows ?? 1) - 1) * LEGEND_ROW;
    this.hzSvg.attr('width', W).attr('height', HZ_HEIGHT + extra).attr('viewBox', `0 0 ${W} ${HZ_HEIGHT + extra}`);
    this.hzSvg.select('.hz-readout').attr('y', HZ.readout + extra);
  }

  // ------------------------------------------------------------- interesting batches

  /** Scrolls the panel's charts into view if their top is above the window. */
  revealCharts() {
    const node = this.svg.node();
    if (node.getBoundingClientRect().top < 0) node.scrollIntoView({ block: 'start' });
  }

  renderInteresting(view, series) {
    const data = this.interesting;
    if (!this.changed('interesting', data, this.selectedMeta?.meta.batch, this.run?.id)) return;
    this.intTitle.html('');
    this.intTitle.append('span').text('Interesting batches ');
    this.intTitle.append('span').attr('class', 'sub').text(this.run ? `in ${this.run.id}` : '');
    const box = this.intBox;
    // The lists are drawn anew when the selection changes, often by a press of Enter on one of
    // their buttons: the keyboard's place goes to the same button in the new lists.
    const focused = box.node().contains(document.activeElement) ? document.activeElement : null;
    const refocus = focused ? { list: focused.closest('section')?.getAttribute('data-list'), batch: focused.getAttribute('data-batch') } : null;
    box.html('');
    if (!data) return;
    const selected = this.selectedMeta?.meta.batch;
    const list = (title, sub, items, value, cls) => {
      const sec = box.append('section').attr('data-list', cls);
      const h = sec.append('h3').text(title);
      if (sub) h.append('span').attr('class', 'sub').text(` ${sub}`);
      const ol = sec.append('ol');
      if (!items.length) ol.append('li').attr('class', 'none').text('none');
      for (const it of items) {
        const b = ol.append('li').append('button').attr('type', 'button').attr('data-batch', it.batch)
          .classed('current', it.batch === selected)
          .on('click', (event) => {
            this.app.selectBatch(it.batch, { source: this.index, reveal: true });
            // The lists sit under the charts: a click (not Enter, which keeps the keyboard here)
            // brings the batch it chose into view when the charts are scrolled away.
            if (event.detail > 0) this.revealCharts();
          });
        b.append('span').text(`batch ${fmtInt(it.batch)}`);
        b.append('span').attr('class', cls === 'nonFinite' ? 'bad' : null).text(value(it));
      }
    };
    // Values may be "NaN"/"Infinity" strings (JSON has no such numbers). A zero is not interesting:
    // lists of "batch 5 … 0" said nothing, so zeros are left out.
    const nonZero = (items) => (items ?? []).filter((it) => num(it.value) !== 0);
    list('Largest max gradient', '', nonZero(data.largest), (it) => fmt(num(it.value)), 'largest');
    list('NaN / ∞', `(${fmtInt(data.nonFiniteCount)})`, data.nonFinite, (it) => fmt(num(it.value)), 'nonFinite');
    const median = data.median !== null ? num(data.median) : null;
    const explodingSub = median === null ? ''
      : median === 0 ? '(the median max gradient is 0: no threshold)'
        : `(> ${data.factor}× median ${fmt(median)}: ${fmtInt(data.explodingCount)})`;
    list('Exploding', explodingSub, data.exploding, (it) => fmt(num(it.value)), 'exploding');
    // Fully itemized runs drop nothing: no residual list to show.
    if (itemizationText(this.run) !== 'full itemization') {
      list('Biggest truncation residual', this.run?.primary ? `(${this.run.primary})` : '', nonZero(data.residual), (it) => `${fmt(num(it.value))} (${Math.round(num(it.share ?? 0) * 100)}%)`, 'residual');
    }
    if (refocus) box.select(`section[data-list="${refocus.list}"] button[data-batch="${refocus.batch}"]`).node()?.focus({ preventScroll: true });
  }
}
