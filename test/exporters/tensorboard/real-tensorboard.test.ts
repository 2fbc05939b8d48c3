import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../../src/builtins.js';
import type { Exporter } from '../../../src/core/exporter.js';
import { definePlugin } from '../../../src/core/plugin.js';
import type { BatchRecord, RunInfo, RunSummary, TrainingScalars } from '../../../src/core/record.js';
import { renderStackedBars } from '../../../src/exporters/tensorboard/bars.js';
import { renderHeatmap } from '../../../src/exporters/tensorboard/heatmap.js';
import { horizonLength, massByDistance, meanResidual } from '../../../src/exporters/tensorboard/horizon.js';
import { TAGS, tensorboardExporter } from '../../../src/exporters/tensorboard/index.js';
import { customScalarsLayout, runHParams } from '../../../src/exporters/tensorboard/run-summaries.js';
import { train } from '../../../src/train/trainer.js';
import { startTensorBoard, tensorboardBinary, tensorboardInstalled, type TensorBoardServer } from './tensorboard-process.js';
import { tempDir } from './helpers.js';

/**
 * The real TensorBoard (Python, from .venv/tensorboard) loads a logdir written by short training
 * runs of two cells, and its HTTP API must return every tag and value the exporter was given.
 */

const installed = tensorboardInstalled();
const inCi = !!process.env.CI && process.env.CI !== 'false';
if (!installed) {
  const msg = [
    '',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    `!! TensorBoard is NOT installed (${tensorboardBinary()} is missing):`,
    '!! the real-TensorBoard integration test cannot run.',
    '!! Install it with: python3 -m venv .venv/tensorboard && .venv/tensorboard/bin/pip install tensorboard',
    inCi ? '!! CI is set, so the test FAILS.' : '!! CI is not set, so the test is SKIPPED.',
    '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!',
    '',
  ].join('\n');
  console.warn(msg);
}

/** Everything the trainer handed to the exporters, captured by an exporter of our own. */
interface Captured {
  run?: RunInfo;
  scalars: { batch: number; s: TrainingScalars; wallTime: number }[];
  records: BatchRecord[];
  samples: { batch: number; text: string; wallTime: number }[];
  summary?: RunSummary;
}

const captured = new Map<string, Captured>();

const spyExporter = {
  name: 'tb-test-spy',
  description: 'captures what the trainer exports (test only)',
  create(): Exporter {
    const c: Captured = { scalars: [], records: [], samples: [] };
    return {
      name: 'tb-test-spy',
      async open(run: RunInfo) {
        c.run = run;
        captured.set(run.runId, c);
      },
      writeScalars: (batch, s, wallTime) => void c.scalars.push({ batch, s, wallTime }),
      writeRecord: (r) => void c.records.push(r),
      writeSample: (batch, text, wallTime) => void c.samples.push({ batch, text, wallTime }),
      async flush() {},
      async close(summary) {
        c.summary = summary;
      },
    };
  },
};

const RUNS = ['rnn', 'lstm'];

// Both loaders: users get the fast one by default, and the Python one with --load_fast=false.
describe.skipIf(!installed && !inCi).each(['fast', 'python'] as const)('the real TensorBoard (%s loader) reads what the exporter writes', (loader) => {
  let tb: TensorBoardServer | undefined;
  let cleanup: (() => void) | undefined;

  beforeAll(async () => {
    if (!installed) throw new Error(`TensorBoard is not installed at ${tensorboardBinary()} (CI is set, so this fails); .ci/run should create .venv/tensorboard`);
    const tmp = tempDir('rnnbow-tb-real-');
    cleanup = tmp.cleanup;
    const registry = await createRegistry();
    registry.register(
      definePlugin({ name: 'tb-test', exporters: registry.names('exporter').includes('tensorboard') ? [spyExporter] : [tensorboardExporter, spyExporter] }),
    );
    for (const cell of RUNS) {
      await train(
        {
          cell,
          hiddenSize: 8,
          seqLength: 8,
          batchSize: 2,
          steps: 30,
          logdir: tmp.dir,
          runName: cell,
          exporters: ['tensorboard', 'tb-test-spy'],
          recorder: { name: 'periodic', options: { every: 5, inner: { name: 'truncated', options: { k: 3, residual: true } } } },
          validateEvery: 10,
          validationBatches: 2,
          sampleEvery: 15,
          sampleLength: 40,
          checkpointEvery: 0,
          logEvery: 1,
        },
        { registry },
      );
    }
    tb = await startTensorBoard(tmp.dir, loader);
    // TensorBoard loads in the background; the session end is the last event of each file, so
    // once both sessions show their status, everything before is loaded.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const groups = await sessionGroups(tb);
      const done = groups.filter((g) => g.sessions?.[0]?.status === 'STATUS_SUCCESS').length;
      if (done === RUNS.length) break;
      if (Date.now() > deadline) throw new Error(`TensorBoard did not load both runs in time:\n${tb.output()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 180_000);

  afterAll(async () => {
    await tb?.stop();
    cleanup?.();
  });

  const server = () => tb!;
  const q = (run: string, tag: string) => `run=${encodeURIComponent(run)}&tag=${encodeURIComponent(tag)}`;

  it('lists both runs', async () => {
    expect((await server().getJson<string[]>('/data/runs')).sort()).toEqual([...RUNS].sort());
    for (const run of RUNS) {
      const c = captured.get(run)!;
      expect(c.records.length).toBeGreaterThan(0);
      expect(c.summary?.status).toBe('completed');
    }
  });

  it('serves every scalar value written, as float32', async () => {
    const tags = await server().getJson<Record<string, Record<string, unknown>>>('/data/plugin/scalars/tags');
    for (const run of RUNS) {
      const c = captured.get(run)!;
      const expected = new Map<string, [number, number, number][]>();
      const add = (tag: string, wall: number, step: number, v: number | undefined) => {
        if (v === undefined) return;
        if (!expected.has(tag)) expected.set(tag, []);
        expected.get(tag)!.push([wall, step, Math.fround(v)]);
      };
      for (const { batch, s, wallTime } of c.scalars) {
        add(TAGS.trainLoss, wallTime, batch, s.loss);
        add(TAGS.batchesTrained, wallTime, batch, batch + 1);
        add(TAGS.smoothedTrainLoss, wallTime, batch, s.smoothedLoss);
        add(TAGS.validationLoss, wallTime, batch, s.valLoss);
        add(TAGS.charsPerSec, wallTime, batch, s.charsPerSec);
        add(TAGS.gradNorm, wallTime, batch, s.gradNorm);
      }
      for (const r of c.records) {
        const p = r.params[r.primary];
        add(TAGS.maxGradient, r.wallTime, r.batch, r.maxGradient);
        add(TAGS.horizon, r.wallTime, r.batch, horizonLength(p.byDistance, 0.1));
        add(TAGS.truncationResidual, r.wallTime, r.batch, p.residual ? meanResidual(p.residual) : undefined);
      }
      expect(expected.has(TAGS.truncationResidual)).toBe(true);
      expect(expected.has(TAGS.validationLoss)).toBe(true);
      expect(expected.has(TAGS.smoothedTrainLoss)).toBe(true);
      expect(Object.keys(tags[run]).sort()).toEqual([...expected.keys()].sort());
      for (const [tag, points] of expected) {
        const got = await server().getJson<[number, number, number][]>(`/data/plugin/scalars/scalars?${q(run, tag)}`);
        expect(got, `${run} ${tag}`).toEqual(points);
      }
    }
  });

  it('serves the gradient mass by distance as histograms', async () => {
    const tags = await server().getJson<Record<string, Record<string, unknown>>>('/data/plugin/histograms/tags');
    for (const run of RUNS) {
      expect(Object.keys(tags[run])).toEqual([TAGS.massByDistance]);
      const c = captured.get(run)!;
      const got = await server().getJson<[number, number, number[][]][]>(`/data/plugin/histograms/histograms?${q(run, TAGS.massByDistance)}`);
      const expected = c.records.map((r) => [r.wallTime, r.batch, massByDistance(r.params[r.primary].byDistance).map((m, d) => [d - 0.5, d + 0.5, m])]);
      expect(got).toEqual(expected);
    }
  });

  it('serves the heatmap and stacked-bar PNGs byte for byte', async () => {
    const tags = await server().getJson<Record<string, Record<string, { samples: number }>>>('/data/plugin/images/tags');
    for (const run of RUNS) {
      expect(Object.keys(tags[run]).sort()).toEqual([TAGS.bars, TAGS.heatmap]);
      const c = captured.get(run)!;
      for (const [tag, render] of [
        [TAGS.heatmap, renderHeatmap],
        [TAGS.bars, renderStackedBars],
      ] as const) {
        const list = await server().getJson<{ wall_time: number; step: number; query: string }[]>(`/data/plugin/images/images?${q(run, tag)}&sample=0`);
        expect(list.map((i) => [i.wall_time, i.step])).toEqual(c.records.map((r) => [r.wallTime, r.batch]));
        for (let i = 0; i < list.length; i++) {
          const png = await server().getBytes(`/data/plugin/images/individualImage?${list[i].query}`);
          const r = c.records[i];
          expect(png.equals(render(r.params[r.primary].byDistance, r.n).toPng()), `${run} ${tag} step ${r.batch}`).toBe(true);
        }
      }
    }
  });

  it('renders the predictions tables and samples in the text dashboard', async () => {
    const tags = await server().getJson<Record<string, string[]>>('/data/plugin/text/tags');
    for (const run of RUNS) {
      expect([...tags[run]].sort()).toEqual([TAGS.predictions, TAGS.sample]);
      const c = captured.get(run)!;
      const tables = await server().getJson<{ wall_time: number; step: number; text: string }[]>(`/data/plugin/text/text?${q(run, TAGS.predictions)}`);
      expect(tables.map((t) => [t.wall_time, t.step])).toEqual(c.records.map((r) => [r.wallTime, r.batch]));
      for (let i = 0; i < tables.length; i++) {
        const rows = tables[i].text.match(/<tr>/g) ?? [];
        expect(rows.length).toBe(c.records[i].n + 1); // header + one row per step
        expect(tables[i].text).toContain(`<strong>batch ${c.records[i].batch}</strong>`);
      }
      const samples = await server().getJson<{ step: number; text: string }[]>(`/data/plugin/text/text?${q(run, TAGS.sample)}`);
      expect(samples.map((s) => s.step)).toEqual(c.samples.map((s) => s.batch));
      samples.forEach((s, i) => expect(s.text).toContain('<pre><code>'));
      expect(c.samples.length).toBeGreaterThan(0);
    }
  });

  it('shows the runs side by side in the HParams dashboard with status and loss metrics', async () => {
    const experiment = await server().postJson<{ hparamInfos: { name: string }[]; metricInfos: { name: { tag: string } }[] }>('/data/plugin/hparams/experiment', {
      experimentName: '',
    });
    expect(experiment.hparamInfos.map((h) => h.name).sort()).toEqual(Object.keys(runHParams(captured.get('rnn')!.run!)).sort());
    const metrics = experiment.metricInfos.map((m) => m.name.tag);
    expect(metrics).toEqual(expect.arrayContaining([TAGS.trainLoss, TAGS.smoothedTrainLoss, TAGS.validationLoss, TAGS.batchesTrained]));
    const groups = await sessionGroups(server());
    expect(groups.map((g) => g.name).sort()).toEqual([...RUNS].sort());
    for (const g of groups) {
      const hp = runHParams(captured.get(g.name)!.run!);
      expect(g.hparams).toEqual(hp);
      const last = captured.get(g.name)!.scalars.at(-1)!;
      const trainLoss = g.metricValues.find((m) => m.name.tag === TAGS.trainLoss);
      expect(trainLoss?.value).toBe(Math.fround(last.s.loss));
      // The smoothed column is the figure the run's summary ends on, so HParams and summary.json agree.
      const smoothed = g.metricValues.find((m) => m.name.tag === TAGS.smoothedTrainLoss);
      expect(smoothed?.value).toBe(Math.fround(captured.get(g.name)!.summary!.finalLoss));
      // How long each run trained is a column too: its last value is the summary's batch count.
      const batches = g.metricValues.find((m) => m.name.tag === TAGS.batchesTrained);
      expect(batches?.value).toBe(captured.get(g.name)!.summary!.batches);
    }
  });

  it('shows the custom-scalars layout', async () => {
    const layout = await server().getJson<{ category: { title: string; chart: { multiline: { tag: string[] } }[] }[] }>('/data/plugin/custom_scalars/layout');
    expect(layout.category.map((c) => c.title)).toEqual(['rnnbow: loss', 'rnnbow: gradients']);
    // One tag per chart (TensorBoard colours lines by run only), served as the exporter built it.
    const served = layout.category.flatMap((c) => c.chart.map((chart) => chart.multiline.tag));
    expect(served).toEqual(customScalarsLayout().category!.flatMap((c) => c.chart!.map((chart) => chart.multiline!.tag)));
    expect(served[0]).toEqual(['^loss/train_smoothed$']);
  });
});

interface SessionGroup {
  name: string;
  hparams: Record<string, unknown>;
  metricValues: { name: { tag: string }; value: number }[];
  sessions?: { status?: string }[];
}

async function sessionGroups(tb: TensorBoardServer): Promise<SessionGroup[]> {
  const res = await tb.postJson<{ sessionGroups?: SessionGroup[] }>('/data/plugin/hparams/session_groups', {
    experimentName: '',
    startIndex: 0,
    sliceSize: 100,
    allowedStatuses: ['STATUS_UNKNOWN', 'STATUS_SUCCESS', 'STATUS_FAILURE', 'STATUS_RUNNING'],
    colParams: [TAGS.trainLoss, TAGS.smoothedTrainLoss, TAGS.validationLoss, TAGS.batchesTrained].map((tag) => ({ metric: { group: '', tag } })),
  });
  return res.sessionGroups ?? [];
}
