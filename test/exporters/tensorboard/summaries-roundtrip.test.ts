import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { EventFileWriter } from '../../../src/exporters/tensorboard/event-file-writer.js';
import { HParamsStatus, tensorboardProtos } from '../../../src/exporters/tensorboard/proto.js';
import { RunReader } from '../../../src/exporters/tensorboard/reader-run.js';
import { customScalarsLayout } from '../../../src/exporters/tensorboard/run-summaries.js';
import { customScalarsValue, histogramValue, hparamsValue, imageValue, scalarValue, textValue } from '../../../src/exporters/tensorboard/summaries.js';
import { SummaryWriter } from '../../../src/exporters/tensorboard/summary-writer.js';
import { recordValue, runInfoValue } from '../../../src/exporters/tensorboard/record-summaries.js';
import { Raster } from '../../../src/exporters/tensorboard/raster.js';
import { sampleRunInfo, syntheticRecord, tempDir } from './helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('every summary kind round-trips through an event file', () => {
  it('writes and reads back scalars, histograms, images, text, hparams, layout and rnnbow tensors', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const file = EventFileWriter.open(tmp.dir, { flushIntervalMs: 0 });
    const w = new SummaryWriter(file);
    const raster = new Raster(3, 2, [10, 20, 30]);
    raster.fillRect(1, 0, 1, 1, [200, 100, 0]);
    const png = raster.toPng();
    const buckets = [
      { left: -0.5, right: 0.5, count: 3.25 },
      { left: 0.5, right: 1.5, count: 1e-300 },
    ];
    const run = sampleRunInfo();
    const record = syntheticRecord(4, { nonFinite: true });
    const scalars = [0.1, 1 / 3, 1e-300, Number.NaN, Number.POSITIVE_INFINITY, -2.5];
    scalars.forEach((x, i) => w.write(i, 100 + i, [scalarValue('s/x', x)]));
    w.write(2, 102, [histogramValue('h/x', buckets), imageValue('i/x', 3, 2, [png]), textValue('t/x', 'hello | *world*')]);
    w.write(0, 100, [hparamsValue('_hparams_/session_start_info', { sessionStartInfo: { hparams: { cell: { stringValue: 'lstm' }, lr: { numberValue: 0.01 } }, startTimeSecs: 5 } })]);
    w.write(9, 109, [hparamsValue('_hparams_/session_end_info', { sessionEndInfo: { status: HParamsStatus.STATUS_SUCCESS, endTimeSecs: 9 } })]);
    w.write(0, 100, [customScalarsValue(customScalarsLayout()), runInfoValue(run)]);
    w.write(4, 104, [recordValue(record)]);
    await file.close();

    const reader = new RunReader(tmp.dir);
    const update = await reader.poll();
    expect(update.problems).toEqual([]);
    const decoded = update.values.map((v) => ({ tag: v.tag, step: v.step, wallTime: v.wallTime, d: reader.decode(v) }));

    const s = decoded.filter((v) => v.tag === 's/x');
    expect(s.map((v) => v.step)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(s.map((v) => v.wallTime)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(s.map((v) => (v.d.kind === 'scalar' ? v.d.value : 'x'))).toEqual(scalars.map(Math.fround));

    const byTag = (tag: string) => decoded.find((v) => v.tag === tag)!.d;
    expect(byTag('h/x')).toEqual({ kind: 'histogram', buckets });
    const img = byTag('i/x');
    expect(img.kind === 'image' && [img.width, img.height, img.images.length]).toEqual([3, 2, 1]);
    if (img.kind === 'image') {
      expect(Buffer.from(img.images[0])).toEqual(png);
      const back = PNG.sync.read(Buffer.from(img.images[0]));
      expect([...back.data.subarray(4, 7)]).toEqual([200, 100, 0]);
    }
    expect(byTag('t/x')).toEqual({ kind: 'text', text: ['hello | *world*'], shape: [] });
    const start = byTag('_hparams_/session_start_info');
    expect(start.kind).toBe('hparams');
    if (start.kind === 'hparams') {
      expect(start.data.sessionStartInfo?.startTimeSecs).toBe(5);
      expect(start.data.sessionStartInfo?.hparams?.cell.stringValue).toBe('lstm');
      expect(start.data.sessionStartInfo?.hparams?.lr.numberValue).toBe(0.01);
    }
    const end = byTag('_hparams_/session_end_info');
    expect(end.kind === 'hparams' && end.data.sessionEndInfo?.status).toBe(HParamsStatus.STATUS_SUCCESS);
    const layout = byTag('custom_scalars__config__');
    expect(layout.kind === 'custom_scalars' && layout.layout.category?.map((c) => c.title)).toEqual(customScalarsLayout().category!.map((c) => c.title));
    if (layout.kind === 'custom_scalars') {
      const expected = tensorboardProtos().Layout.decode(tensorboardProtos().Layout.encode(customScalarsLayout()));
      expect(JSON.parse(JSON.stringify(layout.layout))).toEqual(JSON.parse(JSON.stringify(expected)));
    }
    expect(update.runInfo).toEqual(run);
    expect(update.records).toHaveLength(1);
    expect(update.records[0].params.weight_hh.byDistance[1][0]).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(update.records[0].params.weight_hh.byDistance[0][0], -0)).toBe(true);

    // Tags, plugins and step ranges.
    expect(reader.tags()).toEqual(
      expect.arrayContaining([
        { tag: 's/x', plugin: 'scalars', count: 6, firstStep: 0, lastStep: 5 },
        { tag: 'h/x', plugin: 'histograms', count: 1, firstStep: 2, lastStep: 2 },
        { tag: 'i/x', plugin: 'images', count: 1, firstStep: 2, lastStep: 2 },
        { tag: 't/x', plugin: 'text', count: 1, firstStep: 2, lastStep: 2 },
        { tag: 'rnnbow/record', plugin: 'rnnbow', count: 1, firstStep: 4, lastStep: 4 },
        { tag: 'rnnbow/run', plugin: 'rnnbow', count: 1, firstStep: 0, lastStep: 0 },
      ]),
    );
  });

  it('puts metadata on the first value of a tag only, and starts the file with file_version', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const file = EventFileWriter.open(tmp.dir, { flushIntervalMs: 0 });
    const w = new SummaryWriter(file);
    for (let i = 0; i < 3; i++) w.write(i, i, [scalarValue('a', i), scalarValue('b', i)]);
    await file.close();
    const reader = new RunReader(tmp.dir);
    const { values } = await reader.poll();
    expect(values.map((v) => [v.tag, v.value.metadata?.pluginData?.pluginName ?? null])).toEqual([
      ['a', 'scalars'],
      ['b', 'scalars'],
      ['a', null],
      ['b', null],
      ['a', null],
      ['b', null],
    ]);
    const names = readdirSync(tmp.dir);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^events\.out\.tfevents\.\d{10}\.[^.]+.*\.\d+\.\d+\.v2$/);
    const { EventFileReader } = await import('../../../src/exporters/tensorboard/reader-event-file.js');
    const first = (await new EventFileReader(join(tmp.dir, names[0])).readNew()).events[0];
    expect(first.offset).toBe(0);
    expect(first.event.fileVersion).toBe('brain.Event:2');
  });
});
