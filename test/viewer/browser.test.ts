/**
 * The viewer page in a real browser: Debian's chromium (/usr/bin/chromium, installed by .ci/run)
 * driven by playwright-core, against a logdir made by real training runs. Each state is saved as
 * a screenshot under test-output/viewer/.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/builtins.js';
import type { BatchRecord } from '../../src/core/record.js';
import { visibleChar } from '../../src/data/visible-char.js';
import { train } from '../../src/train/trainer.js';
import { startViewer, type ViewerServer } from '../../src/viewer/index.js';
import { append, makeViewerFixture, readRun, referenceSegmentCounts, type ViewerFixture } from './fixture.js';

const CHROMIUM = process.env.RNNBOW_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = path.resolve('test-output/viewer');
const GREEN = '#15803d';
const RED = '#dc2626';
const BLUE = '#2563eb';
const WHITE = '#ffffff';

/** WCAG relative luminance of a #rrggbb colour (0 black .. 1 white). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

let fx: ViewerFixture;
let server: ViewerServer;
let context: BrowserContext;
let page: Page;
let profile: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: install it with apt-get install chromium (.ci/run does)`);
  mkdirSync(SHOTS, { recursive: true });
  fx = await makeViewerFixture();
  server = await startViewer({ logdir: fx.logdir, port: 0, refresh: { listMs: 0, runMs: 0 } });
  profile = mkdtempSync(path.join(tmpdir(), 'rnnbow-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1400, height: 1100 },
    acceptDownloads: true,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') pageErrors.push(msg.text());
  });
  page.on('response', (res) => {
    if (res.status() >= 400) pageErrors.push(`HTTP ${res.status()} ${res.url()}`);
  });
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  fx?.cleanup();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const panel = (i = 0) => page.locator(`#panel-${i} svg.panel`);
const attr = async (sel: string, name: string) => page.locator(sel).first().getAttribute(name);
const waitAttr = (sel: string, name: string, value: string | number) =>
  page.waitForFunction(([s, n, v]) => document.querySelector(s)?.getAttribute(n) === v, [sel, name, String(value)] as const);
const urlParam = (name: string) => new URL(page.url()).searchParams.get(name);

/**
 * A running copy of rnn-json in a new run folder: its run.json and its first `records` records,
 * with the lines (and their batches) to append later.
 */
function growingRun(name: string, records: number): { dir: string; lines: string[]; batches: number[] } {
  const dir = path.join(fx.logdir, name);
  mkdirSync(dir);
  copyFileSync(path.join(fx.logdir, 'rnn-json', 'run.json'), path.join(dir, 'run.json'));
  const lines = readFileSync(path.join(fx.logdir, 'rnn-json', 'records.jsonl'), 'utf8').trimEnd().split('\n');
  writeFileSync(path.join(dir, 'records.jsonl'), lines.slice(0, records).join('\n') + '\n');
  return { dir, lines, batches: lines.map((l) => (JSON.parse(l) as BatchRecord).batch) };
}

async function open(query: string): Promise<void> {
  await page.goto(`${server.url}${query}`);
  await page.waitForSelector('#panel-0 svg.panel text.label');
}

/** Centre of an element in page coordinates. */
async function centre(sel: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(sel).first().boundingBox();
  if (!box) throw new Error(`${sel} is not visible`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Moves the mouse to a point: hovering goes through the overview's overlay, as a user's mouse does. */
async function moveTo(sel: string): Promise<void> {
  const { x, y } = await centre(sel);
  await page.mouse.move(x, y, { steps: 2 });
}

describe('the viewer page (paper areas 1-4)', () => {
  let records: BatchRecord[];
  let vocab: string[];
  let last: BatchRecord;

  beforeAll(() => {
    ({ records, run: { vocab } } = readRun(fx.logdir, 'rnn-json'));
    last = records.at(-1)!;
  });

  it('loads and shows area 1: n labels over n predictions, green when right and red when wrong', async () => {
    await open('?run=rnn-json');
    await waitAttr('#panel-0 svg.panel', 'data-batch', last.batch);
    const labels = panel().locator('[data-area="1"] text.label');
    const preds = panel().locator('[data-area="1"] text.prediction');
    expect(await labels.count()).toBe(last.n);
    expect(await preds.count()).toBe(last.n);
    expect(await labels.allTextContents()).toEqual(last.targets.map((id) => visibleChar(vocab[id])));
    expect(await preds.allTextContents()).toEqual(last.predictions.map((id) => visibleChar(vocab[id])));
    const fills = await preds.evaluateAll((els) => els.map((e) => e.getAttribute('fill')));
    expect(fills).toEqual(last.predictions.map((p, t) => (p === last.targets[t] ? GREEN : WHITE)));
    // Right and wrong differ in lightness, not only in hue (deuteranopes cannot tell the red from
    // the green): a wrong cell is dark with a white letter, a right one light with a dark letter.
    const cells = await panel().locator('[data-area="1"] rect.pred-bg').evaluateAll((els) => els.map((e) => e.getAttribute('fill')!));
    expect(cells).toHaveLength(last.n);
    const wrong = last.predictions.map((p, t) => p !== last.targets[t]);
    expect(wrong.some(Boolean)).toBe(true);
    cells.forEach((fill, t) => {
      if (wrong[t]) expect(luminance(fill), `step ${t}`).toBeLessThan(0.15);
      else expect(luminance(fill), `step ${t}`).toBeGreaterThan(0.7);
    });
    // The page says what the cells mean, beside the predictions.
    expect(await panel().locator('[data-area="1"] g.pred-key').textContent()).toMatch(/right.*wrong/);
    // Axes say what they measure: the overview's max gradient in its norm and batches, area 3's
    // gradient, the horizon over training's share and batches, with a legend of its shades.
    expect(await panel().locator('[data-area="4"] text.y-name').textContent()).toBe('max l2 norm');
    expect(await panel().locator('[data-area="4"] text.x-name').textContent()).toBe('batch');
    expect(await panel().locator('[data-area="3"] text.axis-name').textContent()).toMatch(/\S/);
    expect(await page.locator('#panel-0 svg.horizon-training text.axis-name').allTextContents()).toEqual(['share of gradient', 'batch']);
    await page.waitForSelector('#panel-0 svg.horizon-training .hz-legend rect.hz-swatch');
    // Small print is at least 11 px and in the muted grey (4.8:1 on white), not the faint #9ca3af.
    const small = await page.evaluate(() => [
      ...Array.from(document.querySelectorAll('#panel-0 [data-area="steps"] text, #panel-0 text.horizon-d')).map((e) => [e.getAttribute('font-size'), e.getAttribute('fill')]),
      [getComputedStyle(document.querySelector('footer')!).fontSize.replace('px', ''), getComputedStyle(document.querySelector('footer')!).color],
    ]);
    for (const [size, fill] of small) {
      expect(Number(size)).toBeGreaterThanOrEqual(11);
      expect(['#6b7280', 'rgb(107, 114, 128)']).toContain(fill);
    }
    // The text has whitespace in it: it must be visible, never an empty label.
    expect((await labels.allTextContents()).every((s) => s.trim().length > 0)).toBe(true);
    await shot('01-loaded');
  });

  it('area 3 shows the largest loss of the batch until one is hovered; [ and ] move it; the charts are focusable', async () => {
    // The largest finite loss, computed here from the record.
    let worst = last.n - 1;
    last.losses.forEach((l, t) => {
      if (Number.isFinite(l) && l > last.losses[worst]) worst = t;
    });
    const shownT = () => page.evaluate(() => document.querySelector('#panel-0 [data-area="3"] rect.horizon-bar')?.getAttribute('data-t') ?? null);
    await page.waitForFunction(() => document.querySelectorAll('#panel-0 [data-area="3"] rect.horizon-bar').length > 0);
    expect(await shownT()).toBe(String(worst));
    expect(await panel().locator('[data-area="3"] rect.horizon-bar').count()).toBe(last.params.weight_hh.byDistance[worst].length);
    const [key, next] = worst < last.n - 1 ? [']', worst + 1] : ['[', worst - 1];
    await page.keyboard.press(key);
    await page.waitForFunction((t) => document.querySelector('#panel-0 [data-area="3"] rect.horizon-bar')?.getAttribute('data-t') === String(t), next);
    // Esc goes back to the largest loss.
    await page.keyboard.press('Escape');
    await page.waitForFunction((t) => document.querySelector('#panel-0 [data-area="3"] rect.horizon-bar')?.getAttribute('data-t') === String(t), worst);
    // Keyboard users can reach the charts, and screen readers get their names.
    for (const sel of ['#panel-0 svg.panel', '#panel-0 svg.horizon-training']) {
      expect(await attr(sel, 'tabindex')).toBe('0');
      expect(await attr(sel, 'aria-label')).toContain('rnn-json');
    }
    expect(await page.locator('#help').textContent()).toMatch(/\[ \]/);
  });

  it('draws area 2: n bars whose segments match the record, one per loss reaching the step', async () => {
    const bars = panel().locator('[data-area="2"] g.bar');
    expect(await bars.count()).toBe(last.n);
    const m = last.params.weight_hh.byDistance;
    const expected = referenceSegmentCounts(m, last.n);
    for (let j = 0; j < last.n; j++) {
      const bar = panel().locator(`[data-area="2"] g.bar[data-j="${j}"]`);
      expect(await bar.locator('rect.segment').count(), `bar ${j}`).toBe(expected[j]);
    }
    const values = await panel().locator('rect.segment').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-t')), Number(e.getAttribute('data-d')), Number(e.getAttribute('data-value'))]));
    expect(values).toHaveLength(expected.reduce((a, b) => a + b, 0));
    for (const [t, d, v] of values) expect(v).toBe(m[t][d]);
    // A legend names the distances (0 = local ... k).
    expect(await panel().locator('[data-area="legend"] rect.legend-swatch').count()).toBe(5);
  });

  it('hovering a segment highlights that loss everywhere and projects its horizon into area 3', async () => {
    const t = 8;
    const row = last.params.weight_hh.byDistance[t];
    await panel().locator(`rect.segment[data-t="${t}"][data-d="1"]`).hover();
    await page.waitForFunction((n) => document.querySelectorAll('#panel-0 [data-area="3"] rect.horizon-bar').length === n, row.length);
    const bars = await panel().locator('[data-area="3"] rect.horizon-bar').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-d')), Number(e.getAttribute('data-value'))]));
    expect(bars).toEqual(row.map((v, d) => [d, v]));
    expect(await panel().locator('[data-area="3"] text.horizon-value').count()).toBe(row.length);
    expect(await panel().locator('[data-area="3"] text.area-title').textContent()).toMatch(new RegExp(`loss at step ${t}`));
    const highlighted = await panel().locator('rect.segment').evaluateAll((els, blue) => els.filter((e) => e.getAttribute('fill') === blue).map((e) => Number(e.getAttribute('data-t'))), BLUE);
    expect(highlighted).toEqual(new Array(row.length).fill(t));
    await shot('02-hover-segment');
    // Another loss replaces it.
    await panel().locator(`rect.segment[data-t="5"][data-d="0"]`).hover();
    await page.waitForFunction(() => document.querySelector('#panel-0 [data-area="3"] rect.horizon-bar')?.getAttribute('data-t') === '5');
    expect(await panel().locator('[data-area="3"] rect.horizon-bar').count()).toBe(last.params.weight_hh.byDistance[5].length);
  });

  it('hovering area 4 previews a batch, leaving restores, clicking selects it in blue', async () => {
    const target = records[3];
    const bar = `#panel-0 rect.ov-bar[data-batch="${target.batch}"]`;
    expect(await attr(bar, 'data-from')).toBe(String(target.batch));
    await moveTo(bar);
    await waitAttr('#panel-0 svg.panel', 'data-batch', target.batch);
    expect(await attr('#panel-0 text.info', 'data-mode')).toBe('preview');
    expect(await panel().locator('text.label').allTextContents()).toEqual(target.targets.map((id) => visibleChar(vocab[id])));
    await shot('03-overview-preview');

    await page.mouse.move(5, 5);
    await waitAttr('#panel-0 svg.panel', 'data-batch', last.batch);
    expect(await attr('#panel-0 text.info', 'data-mode')).toBe('selected');

    await moveTo(bar);
    const { x, y } = await centre(bar);
    await page.mouse.click(x, y);
    await waitAttr('#panel-0 svg.panel', 'data-selected', target.batch);
    await page.waitForFunction((b) => new URL(location.href).searchParams.get('batch') === String(b), target.batch);
    expect(urlParam('run')).toBe('rnn-json');
    const selected = page.locator('#panel-0 rect.ov-bar.selected');
    expect(await selected.count()).toBe(1);
    expect(await selected.getAttribute('data-batch')).toBe(String(target.batch));
    expect(await selected.getAttribute('fill')).toBe(BLUE);
    await page.mouse.move(5, 5);
    await waitAttr('#panel-0 svg.panel', 'data-batch', target.batch);
    const info = await page.locator('#panel-0 text.info').textContent();
    expect(info).toContain(`batch ${target.batch}`);
    expect(info).toContain(`${target.corpusOffset.toLocaleString('en-US')}–${(target.corpusOffset + target.n - 1).toLocaleString('en-US')}`);
    await shot('04-overview-selected');
  });

  it('steps between recorded batches with the arrow keys, and the URL follows', async () => {
    const i = records.findIndex((r) => r.batch === Number(urlParam('batch')));
    await page.keyboard.press('ArrowRight');
    await waitAttr('#panel-0 svg.panel', 'data-selected', records[i + 1].batch);
    expect(urlParam('batch')).toBe(String(records[i + 1].batch));
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await waitAttr('#panel-0 svg.panel', 'data-selected', records[i - 1].batch);
    await page.keyboard.press('End');
    await waitAttr('#panel-0 svg.panel', 'data-selected', last.batch);
  });

  it('on a chart, Page Down / Page Up step a tenth of the run at a time, end to end in ten presses or so', async () => {
    await open(`?run=rnn-json&batch=${records[0].batch}`);
    await waitAttr('#panel-0 svg.panel', 'data-selected', records[0].batch);
    const selected = async () => Number(await attr('#panel-0 svg.panel', 'data-selected'));
    // Away from the charts, Page Down scrolls the page as usual.
    await page.keyboard.press('PageDown');
    await page.waitForFunction(() => window.scrollY > 0);
    expect(await selected()).toBe(records[0].batch);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('#panel-0 svg.panel').focus();
    /** Presses `key` until the selection reaches `target`, each press after the last one's batch arrived; returns the batches passed. */
    const pressTo = async (key: string, target: number) => {
      const passed: number[] = [];
      for (let b = await selected(); b !== target && passed.length < 20; ) {
        await page.keyboard.press(key);
        await page.waitForFunction((from) => document.querySelector('#panel-0 svg.panel')?.getAttribute('data-selected') !== from, String(b));
        passed.push((b = await selected()));
      }
      return passed;
    };
    const down = await pressTo('PageDown', last.batch);
    // A tenth of the 15 records, rounded up: two records a press, each one a recorded batch.
    const tenth = Math.ceil(records.length / 10);
    expect(down).toEqual(records.filter((_, i) => i > 0 && (i % tenth === 0 || i === records.length - 1)).map((r) => r.batch));
    const up = await pressTo('PageUp', records[0].batch);
    expect(up.length).toBeLessThanOrEqual(Math.ceil(records.length / tenth));
  });

  it('+ and - zoom the overview around the selected batch, as dragging in the strip does', async () => {
    const [lo, hi] = [records[0].batch, last.batch];
    const mid = records[5].batch;
    await open(`?run=rnn-json&batch=${mid}`);
    await waitAttr('#panel-0 svg.panel', 'data-selected', mid);
    await page.keyboard.press('+');
    await page.waitForFunction(() => new URL(location.href).searchParams.has('from'));
    const [from, to] = [Number(urlParam('from')), Number(urlParam('to'))];
    // Half the run, around the selection, within the run.
    expect(to - from).toBe(Math.round((hi - lo) / 2));
    expect(from).toBeGreaterThanOrEqual(lo);
    expect(to).toBeLessThanOrEqual(hi);
    expect(mid).toBeGreaterThanOrEqual(from);
    expect(mid).toBeLessThanOrEqual(to);
    const inZoom = records.filter((r) => r.batch >= from && r.batch <= to).length;
    await page.waitForFunction((n) => document.querySelectorAll('#panel-0 rect.ov-bar').length === n, inZoom);
    await page.keyboard.press('-');
    await page.waitForFunction(() => !new URL(location.href).searchParams.has('from'));
    await page.waitForFunction((n) => document.querySelectorAll('#panel-0 rect.ov-bar').length === n, records.length);
  });

  it('a click in the interesting batches, scrolled below the charts, brings the charts back into view', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
      await open(`?run=rnn-json&batch=${records[0].batch}`);
      const button = page.locator('#panel-0 section[data-list="largest"] button').nth(1);
      await button.scrollIntoViewIfNeeded();
      const top = () => page.evaluate(() => document.querySelector('#panel-0 svg.panel')!.getBoundingClientRect().top);
      expect(await top()).toBeLessThan(0);
      const batch = Number(await button.getAttribute('data-batch'));
      await button.click();
      await waitAttr('#panel-0 svg.panel', 'data-selected', batch);
      await page.waitForFunction(() => document.querySelector('#panel-0 svg.panel')!.getBoundingClientRect().top >= 0);
      expect(await top()).toBeLessThan(50);
    } finally {
      await page.setViewportSize({ width: 1400, height: 1100 });
    }
  });

  it('Enter on an interesting batch selects it and leaves the keyboard on that button', async () => {
    await open(`?run=rnn-json&batch=${records[0].batch}`);
    const button = page.locator('#panel-0 section[data-list="largest"] button').nth(2);
    await button.waitFor();
    const batch = Number(await button.getAttribute('data-batch'));
    await button.focus();
    await page.keyboard.press('Enter');
    await waitAttr('#panel-0 svg.panel', 'data-selected', batch);
    // The lists were drawn again for the new selection; the focus is on the same entry there.
    await page.waitForFunction(() => document.querySelector('section[data-list="largest"] button.current') !== null);
    const focused = await page.evaluate(() => ({
      list: document.activeElement?.closest('section')?.getAttribute('data-list'),
      batch: document.activeElement?.getAttribute('data-batch'),
      current: document.activeElement?.classList.contains('current'),
    }));
    expect(focused).toEqual({ list: 'largest', batch: String(batch), current: true });
  });

  it('opens the view a shared URL describes', async () => {
    await open(`?run=rnn-json&batch=${records[5].batch}`);
    await waitAttr('#panel-0 svg.panel', 'data-selected', records[5].batch);
    expect(await page.locator('#run-select').inputValue()).toBe('rnn-json');
  });

  it('zooms the overview by brushing the strip under it, down to single batches', async () => {
    const frame = await page.locator('#panel-0 rect.ctx-frame').boundingBox();
    if (!frame) throw new Error('no context strip');
    const y = frame.y + frame.height / 2;
    await page.mouse.move(frame.x + frame.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(frame.x + frame.width * 0.6, y, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction(() => new URL(location.href).searchParams.has('from'));
    const from = Number(urlParam('from'));
    const to = Number(urlParam('to'));
    const inZoom = records.filter((r) => r.batch >= from && r.batch <= to);
    await page.waitForFunction((n) => document.querySelectorAll('#panel-0 rect.ov-bar').length === n, inZoom.length);
    const shown = await page.locator('#panel-0 rect.ov-bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-batch'))));
    expect(shown).toEqual(inZoom.map((r) => r.batch));
    await shot('05-zoomed');
  });

  it('lists interesting batches; clicking one selects it', async () => {
    const largest = [...records].sort((a, b) => b.maxGradient - a.maxGradient)[0];
    const button = page.locator('#panel-0 [data-list="largest"] button').first();
    expect(await button.getAttribute('data-batch')).toBe(String(largest.batch));
    await button.click();
    await waitAttr('#panel-0 svg.panel', 'data-selected', largest.batch);
    expect(urlParam('batch')).toBe(String(largest.batch));
    // Reached by the keyboard, a list button shows a focus ring (not only the .current fill).
    const second = page.locator('#panel-0 [data-list="largest"] button').nth(1);
    await second.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const ring = await second.evaluate((el) => {
      const style = getComputedStyle(el);
      return { focused: document.activeElement === el, visible: el.matches(':focus-visible'), style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(ring).toMatchObject({ focused: true, visible: true });
    expect(ring.style).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2);
  });

  it('exports the current view as SVG and PNG', async () => {
    const [svgDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-svg')]);
    const svgPath = path.join(SHOTS, 'export.svg');
    await svgDownload.saveAs(svgPath);
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg).toMatch(/^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((svg.match(/class="segment"/g) ?? []).length).toBeGreaterThan(0);
    expect(svg).toContain('rnn-json');
    expect(svgDownload.suggestedFilename()).toMatch(/^rnnbow-rnn-json-batch\d+\.svg$/);
    const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const pngPath = path.join(SHOTS, 'export.png');
    await pngDownload.saveAs(pngPath);
    const png = readFileSync(pngPath);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBeGreaterThan(1000); // width at 2x
  });
});

describe('past the paper', () => {
  it('shows two runs side by side with aligned scales', async () => {
    await open('?run=lstm-both&compare=rnn-json');
    await page.waitForSelector('#panel-1 svg.panel text.label');
    const ticks = async (i: number) => page.locator(`#panel-${i} [data-area="2"] .y-axis .tick text`).allTextContents();
    await page.waitForFunction(() => {
      const t = (i: number) => Array.from(document.querySelectorAll(`#panel-${i} [data-area="2"] .y-axis .tick text`)).map((e) => e.textContent).join();
      return t(0) !== '' && t(0) === t(1);
    });
    expect(await ticks(0)).toEqual(await ticks(1));
    const ov = async (i: number) => page.locator(`#panel-${i} [data-area="4"] .y-axis .tick text`).allTextContents();
    expect(await ov(0)).toEqual(await ov(1));
    expect(urlParam('compare')).toBe('rnn-json');
    await shot('06-compare');
  });

  it('side by side, a run without the chosen gate draws its whole parameter on a scale of its own', async () => {
    await open('?run=lstm-both&compare=rnn-json&series=weight_hh%3Af');
    await page.waitForSelector('#panel-1 svg.panel rect.segment');
    // How far up area 2 each panel's tallest stack of bars reaches (1 = the top of its axis).
    const reach = (i: number) =>
      page.evaluate((sel) => {
        const segments = Array.from(document.querySelectorAll(`${sel} [data-area="2"] rect.segment`)) as SVGRectElement[];
        const axis = (document.querySelector(`${sel} [data-area="2"] .y-axis path.domain`) as SVGPathElement).getBBox();
        const bottom = Math.max(...segments.map((r) => r.y.baseVal.value + r.height.baseVal.value));
        const top = Math.min(...segments.map((r) => r.y.baseVal.value));
        return (bottom - top) / (bottom - axis.y);
      }, `#panel-${i} svg.panel`);
    await page.waitForFunction(() => document.querySelector('#panel-0 svg.panel')?.getAttribute('data-batch') !== '');
    // Each panel's scale is its own: the tallest bars of both reach near the top (shared, the
    // larger maximum flattened the other panel's bars).
    await expect.poll(() => reach(0), { timeout: 10_000 }).toBeGreaterThan(0.7);
    await expect.poll(() => reach(1), { timeout: 10_000 }).toBeGreaterThan(0.7);
  });

  it('side by side, area 3 of each panel starts at its own run\'s largest loss', async () => {
    await open('?run=rnn-json&compare=lstm-both');
    await page.waitForSelector('#panel-1 svg.panel [data-area="3"] rect.horizon-bar');
    const largest = (losses: number[]) => losses.reduce((best, l, t) => (Number.isFinite(l) && l > losses[best] ? t : best), 0);
    for (const [i, id] of [[0, 'rnn-json'], [1, 'lstm-both']] as const) {
      const batch = Number(await panel(i).getAttribute('data-batch'));
      const record = readRun(fx.logdir, id).records.find((r) => r.batch === batch)!;
      await page.waitForFunction(
        ([sel, text]) => document.querySelector(sel)?.textContent?.includes(text),
        [`#panel-${i} svg.panel [data-area="3"] text.area-title`, `step ${largest(record.losses)}`] as const,
      );
    }
  });

  it('side by side, a batch the first run lacks: every panel shows the batch nearest to where the first one moved', async () => {
    const first = readRun(fx.logdir, 'rnn-json').records.map((r) => r.batch);
    const second = readRun(fx.logdir, 'lstm-both').records.map((r) => r.batch);
    const target = second.find((b) => !first.includes(b));
    expect(target).toBeDefined();
    await page.goto(`${server.url}?run=rnn-json&compare=lstm-both&batch=${target}`);
    await page.waitForFunction(() => [0, 1].every((i) => (document.querySelector(`#panel-${i} svg.panel`)?.getAttribute('data-batch') ?? '') !== ''));
    const moved = Number(await panel(0).getAttribute('data-batch'));
    expect(first).toContain(moved);
    expect(urlParam('batch')).toBe(String(moved));
    const nearest = second.reduce((a, b) => (Math.abs(b - moved) < Math.abs(a - moved) ? b : a));
    expect(Math.abs(Number(await panel(1).getAttribute('data-batch')) - moved)).toBe(Math.abs(nearest - moved));
  });

  it('chooses the parameter and the LSTM gate whose gradient is shown', async () => {
    await open('?run=lstm-both');
    const { records } = readRun(fx.logdir, 'lstm-both');
    const last = records.at(-1)!;
    await waitAttr('#panel-0 svg.panel', 'data-batch', last.batch);
    const gates = await page.locator('#gate-select option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(gates).toEqual(['', 'i', 'f', 'g', 'o']);
    await page.selectOption('#gate-select', 'f');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('series') === 'weight_hh:f');
    const expected = last.params.weight_hh.gates!.f;
    await page.waitForFunction(
      (v) => document.querySelector('#panel-0 rect.segment[data-t="3"][data-d="2"]')?.getAttribute('data-value') === String(v),
      expected[3][2],
    );
    const values = await panel().locator('rect.segment').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-t')), Number(e.getAttribute('data-d')), Number(e.getAttribute('data-value'))]));
    for (const [t, d, v] of values) expect(v).toBe(expected[t][d]);
    // Full itemization: bar j gathers every later loss.
    expect(await panel().locator('g.bar[data-j="0"] rect.segment').count()).toBe(last.n);
    await page.selectOption('#param-select', 'weight_ih');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('series') === 'weight_ih');
    await shot('07-lstm-gate');
  });

  it('says when the horizon-over-training chart still shows the previous series, until the chosen one arrives', async () => {
    await open('?run=lstm-both');
    await page.waitForSelector('#panel-0 svg.horizon-training .hz-bars rect', { state: 'attached' });
    const sub = () => page.locator('#panel-0 svg.horizon-training .hz-sub').textContent();
    expect(await sub()).toMatch(/^share of weight_hh’s/);
    // The gate's answer is held back, as a busy server (one beside a training run) holds it.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/api\/horizon\?.*series=weight_hh%3Af/, async (route) => {
      await held;
      await route.continue();
    });
    try {
      await page.selectOption('#gate-select', 'f');
      await page.waitForFunction(() => document.querySelector('#panel-0 svg.horizon-training .hz-sub')?.textContent?.startsWith('loading'));
      expect(await sub()).toBe('loading weight_hh:f… (still showing weight_hh)');
      release();
      await page.waitForFunction(() => document.querySelector('#panel-0 svg.horizon-training .hz-sub')?.textContent?.startsWith('share of weight_hh:f’s'));
    } finally {
      release();
      await page.unrouteAll();
    }
  });

  it('reads event-file-only runs and offers GRU gates', async () => {
    await open('?run=gru-tb');
    const gates = await page.locator('#gate-select option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(gates).toEqual(['', 'r', 'z', 'n']);
    expect(await panel().locator('text.label').count()).toBe(10);
  });

  it('shows NaN gradients without breaking: flagged in the bars, the overview and the lists', async () => {
    const { records } = readRun(fx.logdir, 'rnn-json');
    const bad = records[3].batch;
    await open(`?run=exploded&batch=${bad}`);
    await waitAttr('#panel-0 svg.panel', 'data-batch', bad);
    expect(await panel().locator('[data-area="2"] text.nonfinite').count()).toBeGreaterThan(0);
    expect(await page.locator('#panel-0 [data-area="4"] rect.exploded').count()).toBe(1);
    expect(await page.locator('#panel-0 text.info').textContent()).toMatch(/max gradient NaN/);
    // A non-finite loss makes the mean non-finite, said in red (d3.mean skipped NaN, hiding it).
    const mean = page.locator('#panel-0 [data-area="info"] tspan.mean-loss');
    expect(await mean.textContent()).toMatch(/^(NaN|∞|−∞)$/);
    expect(await mean.getAttribute('fill')).toBe(RED);
    const listed = page.locator('#panel-0 [data-list="nonFinite"] button');
    expect(await listed.getAttribute('data-batch')).toBe(String(bad));
    expect(await listed.textContent()).toMatch(/NaN$/);
    await shot('08a-nan');
  });

  it('reports damaged files in the page and still shows the good records', async () => {
    await open('?run=broken');
    const problems = page.locator('#problems');
    await problems.waitFor({ state: 'visible' });
    const text = await problems.textContent();
    expect(text).toMatch(/broken\/records\.jsonl:2/);
    expect(text).toMatch(/not valid JSON/);
    expect(text).toMatch(/broken\/records\.jsonl:4/);
    expect(await page.locator('#panel-0 rect.ov-bar').count()).toBe(3);
    await shot('08-damaged-run');
  });

  it('live mode: batches a run appends appear without a reload, half-written lines never break the page', async () => {
    const { dir, lines } = growingRun('growing', 1);
    await open('?run=growing&poll=250');
    expect(await page.locator('#panel-0 rect.ov-bar').count()).toBe(1);
    expect(await page.locator('#live-badge').isVisible()).toBe(true);
    append(path.join(dir, 'records.jsonl'), lines[1] + '\n' + lines[2].slice(0, 200));
    await page.waitForFunction(() => document.querySelectorAll('#panel-0 rect.ov-bar').length === 2);
    append(path.join(dir, 'records.jsonl'), lines[2].slice(200) + '\n' + lines[3] + '\n');
    await page.waitForFunction(() => document.querySelectorAll('#panel-0 rect.ov-bar').length === 4);
    // "Follow latest" is on for a running run opened without a batch: the newest batch is shown.
    await waitAttr('#panel-0 svg.panel', 'data-selected', JSON.parse(lines[3]).batch);
    // The horizon-over-training chart catches up too (k = 4: five distance bands per column).
    await page.waitForFunction(() => document.querySelectorAll('#panel-0 svg.horizon-training .hz-bars rect').length === 4 * 5);
    // A new run folder shows up in the picker too.
    const newcomer = path.join(fx.logdir, 'newcomer');
    mkdirSync(newcomer);
    copyFileSync(path.join(fx.logdir, 'rnn-json', 'run.json'), path.join(newcomer, 'run.json'));
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#run-select option')).some((o) => (o as HTMLOptionElement).value === 'newcomer'));
    await shot('09-live');
  });

  it('live mode: a batch previewed under the pointer stays while "follow latest" moves on; an ended run says so', async () => {
    const { dir, lines, batches } = growingRun('growing-preview', 3);
    await open('?run=growing-preview&poll=250');
    await waitAttr('#panel-0 svg.panel', 'data-selected', batches[2]);
    await moveTo(`#panel-0 rect.ov-bar[data-batch="${batches[0]}"]`);
    await waitAttr('#panel-0 svg.panel', 'data-preview', batches[0]);
    append(path.join(dir, 'records.jsonl'), lines[3] + '\n');
    // Follow selects the new batch; the pointer has not moved, so its batch stays on screen.
    await waitAttr('#panel-0 svg.panel', 'data-selected', batches[3]);
    expect(await attr('#panel-0 svg.panel', 'data-preview')).toBe(String(batches[0]));
    expect(await attr('#panel-0 svg.panel', 'data-batch')).toBe(String(batches[0]));
    expect(await page.locator('#live-badge').textContent()).toBe('● live · 4 batches');
    // The run ends: the badge stays, saying how it ended.
    writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ batches: 8, finalLoss: 3, records: 4, status: 'interrupted' }));
    await page.waitForFunction(() => document.querySelector('#live-badge')?.textContent === '■ interrupted · 4 batches');
    expect(await page.locator('#live-badge').isVisible()).toBe(true);
    // Following stays on, and usable: a run that resumes this one would be followed next.
    expect(await page.locator('#follow-toggle').isDisabled()).toBe(false);
    expect(await page.locator('#follow-toggle').isChecked()).toBe(true);
  });

  it('live mode: ← → End use where the run stands now, not where it stood when the batch was loaded', async () => {
    const { dir, lines, batches } = growingRun('growing-keys', 2);
    // A batch in the address: "follow latest" stays off, so only the keys move the selection.
    await open(`?run=growing-keys&poll=250&batch=${batches[1]}`);
    await waitAttr('#panel-0 svg.panel', 'data-selected', batches[1]);
    append(path.join(dir, 'records.jsonl'), lines.slice(2, 5).join('\n') + '\n');
    await page.waitForFunction(() => document.querySelectorAll('#panel-0 rect.ov-bar').length === 5);
    await page.keyboard.press('ArrowRight');
    await waitAttr('#panel-0 svg.panel', 'data-selected', batches[2]);
    await page.keyboard.press('End');
    await waitAttr('#panel-0 svg.panel', 'data-selected', batches[4]);
    expect(urlParam('batch')).toBe(String(batches[4]));
  });

  it('shades near distances clearly apart, also with full itemization, and the legend matches the bars', async () => {
    await open('?run=lstm-both');
    // A string, not a function: vitest would rewrite the function's import() for node.
    const deltas: number[] = await page.evaluate(`(async () => {
      const { distanceColor } = await import('/assets/palette.js');
      const lab = (d) => window.d3.lab(distanceColor(d, 24));
      // CIE76 colour difference between neighbouring distances 0..3 of a 25-step full itemization.
      return [0, 1, 2].map((d) => {
        const a = lab(d);
        const b = lab(d + 1);
        return Math.hypot(a.l - b.l, a.a - b.a, a.b - b.b);
      });
    })()`);
    // About 2.3 is a just-noticeable difference; neighbouring near shades must be well past it.
    for (const [d, delta] of deltas.entries()) expect(delta, `d${d} vs d${d + 1}`).toBeGreaterThan(5);
    const legend = await panel().locator('[data-area="legend"] rect.legend-swatch').evaluateAll((els) => els.map((e) => [e.getAttribute('data-d'), e.getAttribute('fill')]));
    expect(legend.length).toBeGreaterThan(2);
    // The loss area 3 shows is blue (the legend's last swatch); every other segment has its distance's shade.
    const shownT = await panel().locator('[data-area="3"] rect.horizon-bar').first().getAttribute('data-t');
    for (const [d, fill] of legend) {
      const fills = await panel().locator(`rect.segment[data-d="${d}"]:not([data-t="${shownT}"])`).evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('fill')))]);
      expect(fills, `d ${d}`).toEqual([fill]);
    }
    expect(new Set(legend.map(([, fill]) => fill)).size).toBe(legend.length);
    // Far distances share a shade by band (d 0-3 alone, then 4–7, 8–15 …), each named in the
    // legend: lstm-both is fully itemized over n = 10, so d runs 0..9 in six bands, not ten shades.
    expect(legend.map(([d]) => Number(d))).toEqual([0, 1, 2, 3, 4, 8]);
    const legendText = await panel().locator('[data-area="legend"]').textContent();
    expect(legendText).toContain('4–7');
    expect(legendText).toContain('8–9');
    const segmentFills = await panel().locator(`rect.segment:not([data-t="${shownT}"])`).evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('fill')))]);
    expect(new Set(segmentFills)).toEqual(new Set(legend.map(([, fill]) => fill)));
    // Fully itemized: truncation dropped nothing, so there is no residual list.
    await page.waitForSelector('#panel-0 [data-list="largest"]');
    expect(await page.locator('#panel-0 [data-list="residual"]').count()).toBe(0);
  });

  it('offers the truncation residual only for truncated runs, and names it in the legend only there', async () => {
    await open('?run=rnn-json');
    expect(await page.locator('#residual-toggle').isDisabled()).toBe(false);
    await page.check('#residual-toggle');
    await page.waitForSelector('#panel-0 [data-area="legend"] rect.legend-residual');
    expect(await panel().locator('rect.residual').count()).toBeGreaterThan(0);
    await page.selectOption('#run-select', 'lstm-both');
    await waitAttr('#panel-0 svg.panel', 'data-run', 'lstm-both');
    await page.waitForFunction(() => (document.getElementById('residual-toggle') as HTMLInputElement).disabled);
    await page.waitForSelector('#panel-0 [data-area="2"] rect.segment');
    expect(await panel().locator('[data-area="legend"] rect.legend-residual').count()).toBe(0);
    expect(await panel().locator('[data-area="legend"]').textContent()).not.toMatch(/truncation/);
  });

  it('hovering anywhere in the gap between two sparse overview bars previews the nearer batch', async () => {
    const { records } = readRun(fx.logdir, 'rnn-json');
    await open('?run=rnn-json');
    const [a, b] = [records[3].batch, records[4].batch];
    const boxA = await page.locator(`#panel-0 rect.ov-bar[data-batch="${a}"]`).boundingBox();
    const boxB = await page.locator(`#panel-0 rect.ov-bar[data-batch="${b}"]`).boundingBox();
    if (!boxA || !boxB) throw new Error('overview bars missing');
    const gapLeft = boxA.x + boxA.width;
    const gapRight = boxB.x;
    // Batches are recorded every 2nd batch: the gap is as wide as a bar, far more than a few pixels.
    expect(gapRight - gapLeft).toBeGreaterThan(20);
    const y = boxA.y + boxA.height - 2;
    await page.mouse.move(gapLeft + (gapRight - gapLeft) * 0.4, y);
    await waitAttr('#panel-0 svg.panel', 'data-preview', a);
    await page.mouse.move(gapLeft + (gapRight - gapLeft) * 0.9, y);
    await waitAttr('#panel-0 svg.panel', 'data-preview', b);
    await page.mouse.click(gapLeft + (gapRight - gapLeft) * 0.9, y);
    await waitAttr('#panel-0 svg.panel', 'data-selected', b);
  });

  it('flags a bar by what is not finite in it: NaN or ∞', async () => {
    const { records } = readRun(fx.logdir, 'rnn-json');
    await open(`?run=exploded&batch=${records[3].batch}`);
    await waitAttr('#panel-0 svg.panel', 'data-batch', records[3].batch);
    // The fixture puts NaN at (t 5, d 1), i.e. step 4, and +Infinity at (t 6, d 0), i.e. step 6.
    expect(await panel().locator('text.nonfinite[data-j="4"]').textContent()).toBe('NaN');
    expect(await panel().locator('text.nonfinite[data-j="6"]').textContent()).toBe('∞');
  });

  it('says a run’s run.json cannot be read, once, instead of "no batches yet"', async () => {
    const dir = path.join(fx.logdir, 'torn-page');
    mkdirSync(dir);
    const info = readFileSync(path.join(fx.logdir, 'rnn-json', 'run.json'), 'utf8');
    writeFileSync(path.join(dir, 'run.json'), info.slice(0, 60));
    copyFileSync(path.join(fx.logdir, 'rnn-json', 'records.jsonl'), path.join(dir, 'records.jsonl'));
    await page.goto(`${server.url}?run=torn-page&poll=250`);
    await page.waitForSelector('#panel-0 [data-area="message"] text');
    const message = await panel().locator('[data-area="message"] text').textContent();
    expect(message).toMatch(/run\.json cannot be read/);
    expect(message).not.toMatch(/No batches recorded/);
    expect(await panel().locator('text.subtitle').textContent()).not.toMatch(/gradient of/);
    expect(await panel().locator('[data-area="title"] text:not(.status)').first().textContent()).not.toMatch(/full itemization/);
    expect(await panel().locator('[data-area="4"] text.area-title').textContent()).not.toMatch(/— ,/);
    // Several polls later the banner still names the file once.
    const polls = await page.evaluate(() => new Promise<number>((resolve) => {
      let n = 0;
      const obs = new PerformanceObserver((list) => {
        n += list.getEntries().filter((e) => e.name.includes('/api/runs')).length;
      });
      obs.observe({ type: 'resource' });
      setTimeout(() => resolve(n), 1500);
    }));
    expect(polls).toBeGreaterThan(2);
    const items = await page.locator('#problems li').allTextContents();
    expect(items.filter((t) => t.includes('torn-page/run.json'))).toHaveLength(1);
  });

  it('names a run the address asks for but the logdir lacks, and cuts a zoom past the last batch', async () => {
    await page.goto(`${server.url}?run=nope`);
    await page.waitForSelector('#panel-0 svg.panel text.label');
    await page.locator('#problems').waitFor({ state: 'visible' });
    expect(await page.locator('#problems').textContent()).toMatch(/no run "nope" in the logdir; showing \S+ instead/);
    const { records } = readRun(fx.logdir, 'rnn-json');
    const last = records.at(-1)!.batch;
    await open(`?run=rnn-json&from=${last + 500}&to=${last + 900}`);
    await page.waitForFunction((n) => document.querySelectorAll('#panel-0 rect.ov-bar').length === n, records.length);
    expect(urlParam('from')).toBeNull();
    expect(await page.locator('#problems').textContent()).toMatch(/no recorded batches there/);
    await open(`?run=rnn-json&from=${records[2].batch}&to=${last + 900}`);
    await page.waitForFunction((n) => document.querySelectorAll('#panel-0 rect.ov-bar').length === n, records.length - 2);
    expect(urlParam('from')).toBe(String(records[2].batch));
    expect(urlParam('to')).toBe(String(last));
  });

  it('in an empty logdir offers no export and no "follow latest"', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'rnnbow-empty-'));
    const other = await startViewer({ logdir: empty, port: 0 });
    try {
      await page.goto(other.url);
      await page.locator('#empty').waitFor({ state: 'visible' });
      expect(await page.locator('#export-svg').isDisabled()).toBe(true);
      expect(await page.locator('#export-png').isDisabled()).toBe(true);
      expect(await page.locator('#follow-wrap').isVisible()).toBe(false);
    } finally {
      await other.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('keeps every text inside its panel and clear of its neighbours when panels are narrow', async () => {
    try {
      for (const width of [400, 800, 1024, 1280]) {
        await page.setViewportSize({ width, height: 1100 });
        const compare = width > 400 ? '&compare=rnn-json' : '';
        await open(`?run=lstm-both${compare}`);
        await page.waitForSelector('#panel-0 [data-area="4"] rect.ov-bar');
        await page.waitForSelector('#panel-0 svg.horizon-training .hz-bars rect', { state: 'attached' });
        // The hint of area 3 first, then a hovered loss's long title.
        const clear = async (state: string) => {
          const problems = await page.evaluate(() => {
            const out: string[] = [];
            for (const svg of Array.from(document.querySelectorAll('svg.panel, svg.horizon-training'))) {
              const box = svg.getBoundingClientRect();
              for (const t of Array.from(svg.querySelectorAll('text'))) {
                const r = t.getBoundingClientRect();
                if (r.width === 0) continue;
                if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`"${t.textContent}" spans ${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)}`);
              }
              const title = svg.querySelector('[data-area="title"] text:not(.status)');
              const status = svg.querySelector('[data-area="title"] text.status');
              if (title && status && title.getBoundingClientRect().right > status.getBoundingClientRect().left) out.push(`title "${title.textContent}" runs under the status`);
              const legend = svg.querySelector('[data-area="legend"]');
              const area3 = svg.querySelector('[data-area="3"] text.area-title');
              if (legend && area3 && legend.getBoundingClientRect().bottom > area3.getBoundingClientRect().top) out.push('the legend runs into area 3');
              if (legend?.getAttribute('transform')?.includes('scale')) out.push('the legend is squashed');
              // The selected batch's marker sits above the overview, clear of its title.
              const ovTitle = svg.querySelector('[data-area="4"] text.area-title');
              const mark = svg.querySelector('[data-area="4"] path.mark');
              if (ovTitle && mark && ovTitle.getBoundingClientRect().bottom > mark.getBoundingClientRect().top + 0.5) out.push('the overview title runs into the selected-batch marker');
            }
            return out;
          });
          expect(problems, `${width} px, ${state}`).toEqual([]);
        };
        await clear('nothing hovered');
        await panel().locator('rect.segment[data-t="8"][data-d="0"]').hover();
        await page.waitForSelector('#panel-0 [data-area="3"] rect.horizon-bar');
        await clear('a loss hovered');
        // Distances under narrow step columns still say they are distances ("d5", not a bare "5").
        const labels = (await page.locator('#panel-0 [data-area="3"] text.horizon-d').allTextContents()).filter(Boolean);
        expect(labels.length, `${width} px`).toBeGreaterThan(1);
        expect(labels.filter((l) => !/^d\d+$/.test(l)), `${width} px: ${labels.join(' ')}`).toEqual([]);
        await shot(`10-narrow-${width}`);
      }
    } finally {
      await page.setViewportSize({ width: 1400, height: 1100 });
    }
  });

  it('polls the light run summary, fetches a run’s description only when it is new, and asks batches for the series drawn', async () => {
    const seen: { path: string; query: URLSearchParams; status: number; body?: Promise<any> }[] = [];
    const onResponse = (res: import('playwright-core').Response) => {
      const url = new URL(res.url());
      if (!url.pathname.startsWith('/api/')) return;
      seen.push({ path: url.pathname, query: url.searchParams, status: res.status(), body: url.pathname === '/api/batch' ? res.json().catch(() => null) : undefined });
    };
    const asked = (p: string, from = 0) => seen.slice(from).filter((s) => s.path === p);
    page.on('response', onResponse);
    try {
      const { records, run } = readRun(fx.logdir, 'lstm-both');
      const last = records.at(-1)!;
      await open('?run=lstm-both&poll=250');
      await waitAttr('#panel-0 svg.panel', 'data-batch', last.batch);
      // Polling: summaries, answered 304 while nothing changes; the full list at most once, at the start.
      await expect.poll(() => asked('/api/runs/summary').filter((s) => s.status === 304).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
      expect(asked('/api/runs').length).toBeLessThanOrEqual(1);
      const idle = seen.length;
      await expect.poll(() => asked('/api/runs/summary', idle).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      expect(asked('/api/run', idle)).toEqual([]);
      expect(asked('/api/runs', idle)).toEqual([]);

      // The batch shown was asked for with the one series drawn, and its bars are that series.
      const batches = asked('/api/batch').filter((s) => s.query.get('run') === 'lstm-both' && s.query.get('batch') === String(last.batch));
      expect(batches.length).toBeGreaterThan(0);
      for (const b of batches) expect(b.query.getAll('series')).toEqual(['weight_hh']);
      const answer = await batches[0].body;
      expect(Object.keys(answer.record.params)).toEqual(['weight_hh']);
      expect(answer.record.params.weight_hh.gates).toBeUndefined();
      const m = last.params.weight_hh.byDistance;
      const values = await panel().locator('rect.segment').evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-t')), Number(e.getAttribute('data-d')), Number(e.getAttribute('data-value'))]));
      expect(values.length).toBe(referenceSegmentCounts(m, last.n).reduce((a, b) => a + b, 0));
      for (const [t, d, v] of values) expect(v).toBe(m[t][d]);

      // Another gate: the batch is asked for again with that series, and drawn from it.
      const before = seen.length;
      await page.selectOption('#gate-select', 'f');
      const f = last.params.weight_hh.gates!.f;
      await page.waitForFunction((v) => document.querySelector('#panel-0 rect.segment[data-t="3"][data-d="2"]')?.getAttribute('data-value') === String(v), f[3][2]);
      expect(asked('/api/batch', before).map((s) => s.query.getAll('series'))).toContainEqual(['weight_hh:f']);

      // A new run: its description alone is fetched, once; chosen, it shows its labels (vocabulary).
      const dir = path.join(fx.logdir, 'page-newcomer');
      mkdirSync(dir);
      for (const file of ['run.json', 'records.jsonl']) copyFileSync(path.join(fx.logdir, 'lstm-both', file), path.join(dir, file));
      const arrival = seen.length;
      await page.waitForFunction(() => Array.from(document.querySelectorAll('#run-select option')).some((o) => (o as HTMLOptionElement).value === 'page-newcomer'));
      await expect.poll(() => asked('/api/runs/summary', arrival).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
      expect(asked('/api/run', arrival).map((s) => s.query.get('run'))).toEqual(['page-newcomer']);
      expect(asked('/api/runs', arrival)).toEqual([]);
      await page.selectOption('#run-select', 'page-newcomer');
      await waitAttr('#panel-0 svg.panel', 'data-run', 'page-newcomer');
      await waitAttr('#panel-0 svg.panel', 'data-batch', last.batch);
      expect(await panel().locator('text.label').allTextContents()).toEqual(last.targets.map((id) => visibleChar(run.vocab[id])));
      await shot('11-light-poll');
    } finally {
      page.off('response', onResponse);
    }
  });

  it('titles a run without records by what its recorder says, with no empty parts', async () => {
    const dir = path.join(fx.logdir, 'no-records-yet');
    mkdirSync(dir);
    copyFileSync(path.join(fx.logdir, 'rnn-json', 'run.json'), path.join(dir, 'run.json'));
    await page.goto(`${server.url}?run=no-records-yet`);
    await page.waitForSelector('#panel-0 [data-area="message"] text');
    await page.waitForFunction(() => !!document.querySelector('#panel-0 svg.horizon-training .hz-sub')?.textContent?.startsWith('share'));
    // The API's k is null until a first record fixes it: that is not full itemization (k = 4 here).
    const title = await panel().locator('[data-area="title"] text:not(.status)').first().textContent();
    expect(title).not.toMatch(/full itemization/);
    expect(title).toMatch(/k 4/);
    expect(await panel().locator('text.subtitle').textContent()).not.toMatch(/^\s*·/);
    expect(await page.locator('#panel-0 svg.horizon-training .hz-sub').textContent()).not.toMatch(/of ’s/);
  });

  it('says B and which sequence of the batch is drawn when a batch holds several', async () => {
    const dir = path.join(fx.logdir, 'b4-copy');
    mkdirSync(dir);
    const run = JSON.parse(readFileSync(path.join(fx.logdir, 'rnn-json', 'run.json'), 'utf8'));
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ ...run, batchSize: 4, config: { ...run.config, batchSize: 4 } }));
    const lines = readFileSync(path.join(fx.logdir, 'rnn-json', 'records.jsonl'), 'utf8').trim().split('\n');
    writeFileSync(path.join(dir, 'records.jsonl'), lines.map((l) => JSON.stringify({ ...JSON.parse(l), sequence: 2 })).join('\n') + '\n');
    await open('?run=b4-copy');
    expect(await panel().locator('[data-area="title"] text:not(.status)').first().textContent()).toMatch(/· B 4 ·/);
    await page.waitForSelector('#panel-0 svg.panel .sequence');
    expect(await panel().locator('.sequence').first().textContent()).toBe('3 of 4');
    // A batch of one sequence says neither.
    await open('?run=rnn-json');
    expect(await panel().locator('[data-area="title"] text:not(.status)').first().textContent()).not.toMatch(/\bB \d/);
    expect(await panel().locator('.sequence').count()).toBe(0);
  });

  it('says it is loading until the first run list arrives, with nothing to export meanwhile', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // The page asks for the list once its script has set the page up: checked from then on (the
    // static page already says "Loading runs…", before the script has disabled anything).
    let asked!: () => void;
    const askedFor = new Promise<void>((r) => (asked = r));
    await page.route('**/api/runs/summary*', async (route) => {
      asked();
      await held;
      await route.continue();
    });
    try {
      await page.goto(server.url);
      await askedFor;
      await expect.poll(() => page.locator('#empty').textContent()).toBe('Loading runs…');
      expect(await page.locator('#export-svg').isDisabled()).toBe(true);
      release();
      await page.waitForSelector('#panel-0 svg.panel text.label');
      expect(await page.locator('#empty').isVisible()).toBe(false);
    } finally {
      release();
      await page.unroute('**/api/runs/summary*');
    }
  });

  it('titles a run without records whose k reaches over the whole sequence as full itemization, as its records will', async () => {
    const dir = path.join(fx.logdir, 'no-records-k-past-n');
    mkdirSync(dir);
    const run = JSON.parse(readFileSync(path.join(fx.logdir, 'rnn-json', 'run.json'), 'utf8'));
    expect(run.recorder).toMatch(/truncated\(k=4/);
    run.recorder = run.recorder.replace(/truncated\(k=4/, `truncated(k=${run.seqLength + 5}`);
    writeFileSync(path.join(dir, 'run.json'), JSON.stringify(run));
    await page.goto(`${server.url}?run=no-records-k-past-n`);
    await page.waitForSelector('#panel-0 [data-area="message"] text');
    const title = await panel().locator('[data-area="title"] text:not(.status)').first().textContent();
    expect(title).toMatch(/full itemization/);
    expect(title).not.toMatch(/\bk \d/);
  });

  it('writes huge numbers with an exponent and a NaN mean as NaN', async () => {
    // A string, not a function: vitest would rewrite the function's import() for node.
    const out: string[] = await page.evaluate(`(async () => {
      const { fmt, fmtShort, meanOf } = await import('/assets/format.js');
      return [fmt(1.18e21), fmtShort(3.4e9), fmt(123456), fmt(meanOf([1, NaN, 2])), fmt(0.8612)];
    })()`);
    expect(out[0]).not.toMatch(/[kMGTPEZY]/);
    expect(Number(out[0])).toBeCloseTo(1.18e21, -19);
    expect(Number(out[1])).toBeCloseTo(3.4e9, -8);
    expect(out[2]).toBe('123,456');
    expect(out[3]).toBe('NaN');
    expect(out[4]).toBe('0.861');
  });

  it('a running run picked from the run menu follows its newest batch, as opening it by URL does', async () => {
    const dir = path.join(fx.logdir, 'menu-live');
    mkdirSync(dir);
    for (const file of ['run.json', 'records.jsonl']) copyFileSync(path.join(fx.logdir, 'rnn-json', file), path.join(dir, file));
    const { records } = readRun(fx.logdir, 'rnn-json');
    await open(`?run=rnn-json&batch=${records[2].batch}&poll=250`);
    await waitAttr('#panel-0 svg.panel', 'data-selected', records[2].batch);
    await page.waitForFunction(() => Array.from(document.querySelectorAll('#run-select option')).some((o) => (o as HTMLOptionElement).value === 'menu-live'));
    expect(await page.locator('#follow-toggle').isChecked()).toBe(false);
    await page.selectOption('#run-select', 'menu-live');
    await waitAttr('#panel-0 svg.panel', 'data-run', 'menu-live');
    await waitAttr('#panel-0 svg.panel', 'data-selected', records.at(-1)!.batch);
    expect(await page.locator('#follow-toggle').isChecked()).toBe(true);
  });

  it('on a phone (390 px) stacks compared runs, never scrolls sideways, and flags NaN bars without overlap', async () => {
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await open('?run=lstm-both&compare=rnn-json');
      await page.waitForSelector('#panel-1 svg.panel text.label');
      await page.waitForSelector('#panel-1 [data-area="4"] rect.ov-bar');
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
      const [a, b] = await Promise.all([0, 1].map((i) => page.locator(`#panel-${i}`).boundingBox()));
      expect(b!.y).toBeGreaterThanOrEqual(a!.y + a!.height);
      await shot('12-phone-compare');
      const { records } = readRun(fx.logdir, 'rnn-json');
      await open(`?run=exploded&batch=${records[3].batch}`);
      await waitAttr('#panel-0 svg.panel', 'data-batch', records[3].batch);
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
      const flags = await panel().locator('text.nonfinite').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right]));
      expect(flags.length).toBeGreaterThan(0);
      flags.sort((p, q) => p[0] - q[0]);
      for (let i = 1; i < flags.length; i++) expect(flags[i][0], `flag ${i}`).toBeGreaterThanOrEqual(flags[i - 1][1]);
      await shot('13-phone-nan');
    } finally {
      await page.setViewportSize({ width: 1400, height: 1100 });
    }
  });

  it('on a narrow panel the horizon-over-training legend wraps to name every band the chart draws, and the chart grows to hold it', async () => {
    // A fully itemized run over 40 steps: distances 0..39, eight bands (0 1 2 3 4–7 8–15 16–31 32–39),
    // more than one row of a 420 px panel holds.
    await train(
      { corpus: { maxChars: 20_000 }, batchSize: 1, sampleEvery: 0, validateEvery: 0, checkpointEvery: 0, logEvery: 5, seed: 7, logdir: fx.logdir, runName: 'wide-horizon', cell: 'rnn', hiddenSize: 4, seqLength: 40, steps: 4, recorder: { name: 'full' }, exporters: ['json'] },
      { registry: await createRegistry() },
    );
    const { records } = readRun(fx.logdir, 'wide-horizon');
    const maxD = Math.max(...records.flatMap((r) => r.params[r.primary].byDistance.map((row) => row.length - 1)));
    expect(maxD).toBe(39);
    // The bands, worked out here: 0..3 alone, then doubling bands from 4, the last cut at maxD.
    const expected: number[] = [0, 1, 2, 3];
    for (let from = 4; from <= maxD; from *= 2) expected.push(from);
    try {
      await page.setViewportSize({ width: 420, height: 1100 });
      await open('?run=wide-horizon');
      const hz = '#panel-0 svg.horizon-training';
      await page.waitForSelector(`${hz} .hz-bars rect`, { state: 'attached' });
      await page.waitForSelector(`${hz} .hz-legend rect.hz-swatch`);
      const swatches = await page.locator(`${hz} .hz-legend rect.hz-swatch`).evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-d')), e.getAttribute('fill')!] as const));
      expect(swatches.map(([d]) => d)).toEqual(expected);
      // Every shade the chart draws is named in the legend, and the legend names no other.
      const drawn = await page.locator(`${hz} .hz-bars rect`).evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('fill')))]);
      expect(new Set(drawn)).toEqual(new Set(swatches.map(([, fill]) => fill)));
      // The names wrapped: the narrow panel has not room for them on one row.
      const rows = await page.locator(`${hz} .hz-legend rect.hz-swatch`).evaluateAll((els) => new Set(els.map((e) => Math.round(e.getBoundingClientRect().top))).size);
      expect(rows).toBeGreaterThan(1);
      // Hovering the chart writes its readout line: it, the axis labels and the legend stay apart
      // and inside the chart.
      await page.locator(`${hz} rect.hz-overlay`).hover();
      await page.waitForFunction((sel) => (document.querySelector(`${sel} .hz-readout`)?.textContent ?? '') !== '', hz);
      const problems = await page.evaluate((sel) => {
        const svg = document.querySelector(sel)!;
        const box = svg.getBoundingClientRect();
        const out: string[] = [];
        const named = (e: Element) => `${e.getAttribute('class') ?? e.tagName} "${e.textContent}"`;
        const legend = Array.from(svg.querySelectorAll('.hz-legend text, .hz-legend rect'));
        const others = Array.from(svg.querySelectorAll('.hz-readout, .x-axis text, text.axis-name'));
        const rects = new Map([...legend, ...others].map((e) => [e, e.getBoundingClientRect()]));
        const meet = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
        for (const [e, r] of rects) {
          if (r.width === 0) continue;
          if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) out.push(`${named(e)} leaves the chart`);
        }
        for (const e of legend) {
          for (const o of others) if (meet(rects.get(e)!, rects.get(o)!)) out.push(`${named(e)} overlaps ${named(o)}`);
        }
        for (let i = 0; i < legend.length; i++) {
          for (let j = i + 1; j < legend.length; j++) {
            const a = legend[i];
            const b = legend[j];
            if (meet(rects.get(a)!, rects.get(b)!)) out.push(`${named(a)} overlaps ${named(b)}`);
          }
        }
        return out;
      }, hz);
      expect(problems).toEqual([]);
      await page.locator(hz).screenshot({ path: path.join(SHOTS, '15-narrow-horizon-legend.png') });
    } finally {
      await page.setViewportSize({ width: 1400, height: 1100 });
    }
  });

  describe('runs that continue one another (train --resume)', () => {
    /** A small run trained into the fixture logdir: `resume` continues another run's checkpoint. */
    const trainRun = async (runName: string, steps: number, resume?: string, logdir = fx.logdir) =>
      train(
        { corpus: { maxChars: 20_000 }, batchSize: 1, sampleEvery: 0, validateEvery: 0, checkpointEvery: 0, logEvery: 5, seed: 7, logdir, runName, cell: 'rnn', hiddenSize: 4, seqLength: 8, steps, recorder: { name: 'full' }, exporters: ['json'], ...(resume ? { resume } : {}) },
        { registry: await createRegistry() },
      );
    const link = (kind: 'continued-in' | 'continues', i = 0) => page.locator(`#panel-${i} svg.panel a.run-link[data-link="${kind}"]`);
    /** A picture of the page's top: the toolbar and the head of the panels (where the links are). */
    const headShot = async (name: string) => {
      await page.evaluate(() => window.scrollTo(0, 0));
      const box = (await page.locator('#panels').boundingBox())!;
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), clip: { x: 0, y: 0, width: page.viewportSize()!.width, height: box.y + 140 } });
    };
    /** The words of a panel's continuity line as drawn (its tooltips left out). */
    const continuityText = (i = 0) =>
      page.locator(`#panel-${i} svg.panel text.continuity`).evaluate((t) => Array.from(t.querySelectorAll('tspan'), (s) => s.textContent).join(''));

    beforeAll(async () => {
      // A, then B resumed from A's checkpoint (absolute paths, as a library caller passes them),
      // then C resumed from B's with paths relative to the working folder, as typed in
      // `rnnbow train --logdir runs --resume runs/B/checkpoint.json`: a chain A -> B -> C.
      const a = await trainRun('cont-a', 3);
      const b = await trainRun('cont-b', 2, a.checkpoint);
      await trainRun('cont-c', 2, path.relative(process.cwd(), b.checkpoint), path.relative(process.cwd(), fx.logdir));
      const resumes = ['cont-b', 'cont-c'].map((id) => readRun(fx.logdir, id).run.config);
      expect(resumes.map((c) => path.isAbsolute(String(c.resume)))).toEqual([true, false]);
    });

    it('a continued run links to its continuation, which links back; each link switches the panel', async () => {
      const { records: aRecords } = readRun(fx.logdir, 'cont-a');
      const { records: bRecords } = readRun(fx.logdir, 'cont-b');
      // B's batches go on from A's.
      expect(bRecords[0].batch).toBe(aRecords.at(-1)!.batch + 1);
      await open('?run=cont-a');
      await waitAttr('#panel-0 svg.panel', 'data-batch', aRecords.at(-1)!.batch);
      await link('continued-in').waitFor();
      expect(await link('continued-in').getAttribute('data-run')).toBe('cont-b');
      expect(await continuityText()).toBe('continued in cont-b →');
      expect(await link('continues').count()).toBe(0);
      // Muted 11.5 px like the subtitle it ends, on the subtitle's line, right of it.
      const look = await page.evaluate(() => {
        const line = document.querySelector('#panel-0 svg.panel text.continuity')!;
        const sub = document.querySelector('#panel-0 svg.panel text.subtitle')!;
        return { size: line.getAttribute('font-size'), fill: line.getAttribute('fill'), y: line.getAttribute('y'), subY: sub.getAttribute('y'), gap: line.getBoundingClientRect().left - sub.getBoundingClientRect().right };
      });
      expect(look).toMatchObject({ size: '11.5', fill: '#6b7280', y: look.subY });
      expect(look.gap).toBeGreaterThan(0);
      await headShot('16-continued-in');
      await link('continued-in').click();
      await waitAttr('#panel-0 svg.panel', 'data-run', 'cont-b');
      expect(urlParam('run')).toBe('cont-b');
      // The batch selected in A stays selected: B shows its nearest, where the two runs meet.
      await waitAttr('#panel-0 svg.panel', 'data-batch', bRecords[0].batch);
      await link('continues').waitFor();
      expect(await link('continues').getAttribute('data-run')).toBe('cont-a');
      expect(await link('continued-in').getAttribute('data-run')).toBe('cont-c');
      expect(await continuityText()).toBe('continues cont-a · continued in cont-c →');
      await link('continues').click();
      await waitAttr('#panel-0 svg.panel', 'data-run', 'cont-a');
      expect(urlParam('run')).toBe('cont-a');
    });

    it('switches only the panel whose link is clicked when comparing', async () => {
      await open('?run=rnn-json&compare=cont-a');
      await page.waitForSelector('#panel-1 svg.panel a.run-link');
      expect(await link('continued-in', 0).count()).toBe(0);
      await link('continued-in', 1).click();
      await waitAttr('#panel-1 svg.panel', 'data-run', 'cont-b');
      expect(await attr('#panel-0 svg.panel', 'data-run')).toBe('rnn-json');
      expect(urlParam('compare')).toBe('cont-b');
    });

    it('swaps the panels when the link names the run the other panel shows, so neither run leaves the page', async () => {
      await open('?run=cont-a&compare=cont-b');
      await page.waitForSelector('#panel-0 svg.panel a.run-link');
      await link('continued-in', 0).click();
      await waitAttr('#panel-0 svg.panel', 'data-run', 'cont-b');
      await waitAttr('#panel-1 svg.panel', 'data-run', 'cont-a');
      expect([urlParam('run'), urlParam('compare')]).toEqual(['cont-b', 'cont-a']);
    });

    it('on a narrow (420 px) panel the links give way to arrows and stay clear of the subtitle and the status', async () => {
      try {
        await page.setViewportSize({ width: 420, height: 1100 });
        await open('?run=cont-b');
        await link('continues').waitFor();
        expect(await continuityText()).toBe('← cont-a · → cont-c');
        const problems = await page.evaluate(() => {
          const svg = document.querySelector('#panel-0 svg.panel')!;
          const box = svg.getBoundingClientRect();
          const line = svg.querySelector('text.continuity')!.getBoundingClientRect();
          const sub = svg.querySelector('text.subtitle')!.getBoundingClientRect();
          const status = svg.querySelector('[data-area="title"] text.status')!.getBoundingClientRect();
          const out: string[] = [];
          if (line.left < box.left || line.right > box.right) out.push('the links leave the panel');
          if (sub.right > line.left) out.push('the subtitle runs under the links');
          if (status.bottom > line.top + 2) out.push('the links run into the status');
          return out;
        });
        expect(problems).toEqual([]);
        // The words are a tooltip away.
        expect(await link('continued-in').locator('title').textContent()).toMatch(/^cont-c resumed from this run's checkpoint/);
        await headShot('17-continuity-narrow');
      } finally {
        await page.setViewportSize({ width: 1400, height: 1100 });
      }
    });

    it('follow latest moves on to the continuation once the followed run has stopped, and says so', async () => {
      // A live run (no summary.json yet), followed; then its continuation starts and it ends.
      const liveA = path.join(fx.logdir, 'live-a');
      mkdirSync(liveA);
      for (const f of ['run.json', 'records.jsonl']) copyFileSync(path.join(fx.logdir, 'cont-a', f), path.join(liveA, f));
      await open('?run=live-a&poll=250');
      expect(await page.locator('#follow-toggle').isChecked()).toBe(true);
      // B starts, resumed from live A's checkpoint, while A still runs: A shows the link, and
      // the page stays on A (it may still write batches).
      const liveB = path.join(fx.logdir, 'live-b');
      mkdirSync(liveB);
      const info = JSON.parse(readFileSync(path.join(fx.logdir, 'cont-b', 'run.json'), 'utf8'));
      writeFileSync(path.join(liveB, 'run.json'), JSON.stringify({ ...info, runId: 'live-b', config: { ...info.config, resume: path.join(liveA, 'checkpoint.json') } }));
      copyFileSync(path.join(fx.logdir, 'cont-b', 'records.jsonl'), path.join(liveB, 'records.jsonl'));
      await link('continued-in').waitFor();
      expect(await link('continued-in').getAttribute('data-run')).toBe('live-b');
      expect(await attr('#panel-0 svg.panel', 'data-run')).toBe('live-a');
      expect(await page.locator('#problems .notice').count()).toBe(0);
      // A is stopped (Ctrl-C): the page follows B's newest batch and says why.
      const summary = JSON.parse(readFileSync(path.join(fx.logdir, 'cont-a', 'summary.json'), 'utf8'));
      writeFileSync(path.join(liveA, 'summary.json'), JSON.stringify({ ...summary, status: 'interrupted' }));
      await waitAttr('#panel-0 svg.panel', 'data-run', 'live-b');
      const { records: bRecords } = readRun(fx.logdir, 'live-b');
      await waitAttr('#panel-0 svg.panel', 'data-selected', bRecords.at(-1)!.batch);
      expect(await page.locator('#follow-toggle').isChecked()).toBe(true);
      expect(urlParam('run')).toBe('live-b');
      // The banner says it first, above the logdir's problems (this fixture has some: links out of it).
      const notice = page.locator('#problems > :first-child');
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.getAttribute('class')).toBe('notice');
      expect(await notice.textContent()).toBe('live-a was interrupted; now following live-b, which continues it from its checkpoint.');
      await headShot('18-followed-into-continuation');
      // Picking a run by hand answers the notice.
      await page.selectOption('#run-select', 'rnn-json');
      await waitAttr('#panel-0 svg.panel', 'data-run', 'rnn-json');
      await page.waitForSelector('#problems li');
      expect(await page.locator('#problems .notice').count()).toBe(0);
    });
  });

  it('says a lost server in one line, dims the panels, and comes back when the server does', async () => {
    const other = await startViewer({ logdir: fx.logdir, port: 0 });
    let back: ViewerServer | null = null;
    const before = pageErrors.length;
    try {
      await page.goto(`${other.url}?run=rnn-json&poll=250`);
      await page.waitForSelector('#panel-0 svg.panel text.label');
      await other.close();
      await page.waitForFunction(() => document.querySelector('#problems.offline') !== null);
      const box = page.locator('#problems');
      expect(await box.textContent()).toMatch(/^Lost connection to the viewer server .*retrying/);
      // A viewer started beside a run stops with it: the banner says how to look on.
      expect(await box.locator('code').textContent()).toBe(`rnnbow serve --logdir ${fx.logdir}`);
      expect(await box.locator('li').count()).toBe(0);
      expect(await page.locator('#panels').getAttribute('class')).toMatch(/\boffline\b/);
      await shot('14-server-lost');
      back = await startViewer({ logdir: fx.logdir, port: other.port });
      await page.waitForFunction(() => !document.querySelector('#panels')!.classList.contains('offline'));
      expect(await page.locator('#problems.offline').count()).toBe(0);
    } finally {
      await other.close().catch(() => {});
      await back?.close();
      // The browser logs each refused request; those are the point of this test, not script errors.
      const refused = pageErrors.splice(before).filter((e) => !/ERR_CONNECTION_REFUSED|Failed to fetch/.test(e));
      pageErrors.push(...refused);
    }
  });

  it('raised no script errors along the way', () => {
    expect(pageErrors).toEqual([]);
  });
});
