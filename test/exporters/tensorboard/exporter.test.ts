import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import type { BatchRecord } from '../../../src/core/record.js';
import { tensorboardExporter, TAGS } from '../../../src/exporters/tensorboard/index.js';
import { horizonLength, massByDistance, meanResidual } from '../../../src/exporters/tensorboard/horizon.js';
import { DataType, HParamsStatus } from '../../../src/exporters/tensorboard/proto.js';
import { RunReader, type RunValue } from '../../../src/exporters/tensorboard/reader-run.js';
import { sampleRunInfo, syntheticRecord, tempDir } from './helpers.js';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** A run of six batches from `first` (a resumed run starts past 0). */
async function writeRun(records: BatchRecord[], first = 0) {
  const tmp = tempDir();
  cleanup = tmp.cleanup;
  const run = sampleRunInfo();
  const exporter = tensorboardExporter.create({ flushIntervalMs: 0 });
  await exporter.open(run, tmp.dir);
  for (let b = first; b < first + 6; b++) {
    exporter.writeScalars(b, { loss: 3 - b * 0.25, ...(b % 2 ? { valLoss: 3.5 - b * 0.1 } : {}), charsPerSec: 1000 + b, gradNorm: b / 7 }, 1000 + b);
  }
  for (const r of records) exporter.writeRecord(r);
  exporter.writeSample(first + 5, 'ab ab\nba', 1005);
  await exporter.flush();
  await exporter.close({ batches: 6, finalLoss: 1.75, records: records.length, status: 'completed' });
  const reader = new RunReader(tmp.dir);
  const update = await reader.poll();
  return { run, reader, update };
}

function series(values: RunValue[], reader: RunReader, tag: string): [number, number][] {
  return values.filter((v) => v.tag === tag).map((v) => {
    const d = reader.decode(v);
    if (d.kind !== 'scalar') throw new Error(`${tag} is ${d.kind}`);
    return [v.step, d.value];
  });
}

describe('tensorboard exporter', () => {
  it('writes the records back bit-exactly and the run info once', async () => {
    const records = [syntheticRecord(0), syntheticRecord(2, { nonFinite: true }), syntheticRecord(4, { k: null })];
    const { run, update } = await writeRun(records);
    expect(update.problems).toEqual([]);
    expect(update.records).toEqual(records);
    expect(update.records[1].params.weight_hh.byDistance[5][0]).toBeNaN();
    expect(Object.is(update.records[1].params.weight_hh.byDistance[0][0], -0)).toBe(true);
    expect(update.runInfo).toEqual(run);
  });

  // float32, as tf.summary.scalar writes them: TensorBoard's fast loader drops any other dtype.
  it('writes the training scalars at their steps as float32', async () => {
    const { reader, update } = await writeRun([]);
    const f = Math.fround;
    expect(series(update.values, reader, TAGS.trainLoss)).toEqual([0, 1, 2, 3, 4, 5].map((b) => [b, f(3 - b * 0.25)]));
    expect(series(update.values, reader, TAGS.validationLoss)).toEqual([1, 3, 5].map((b) => [b, f(3.5 - b * 0.1)]));
    expect(series(update.values, reader, TAGS.charsPerSec)).toEqual([0, 1, 2, 3, 4, 5].map((b) => [b, f(1000 + b)]));
    expect(series(update.values, reader, TAGS.gradNorm)).toEqual([0, 1, 2, 3, 4, 5].map((b) => [b, f(b / 7)]));
    expect(series(update.values, reader, TAGS.batchesTrained)).toEqual([0, 1, 2, 3, 4, 5].map((b) => [b, b + 1]));
    const loss = update.values.find((v) => v.tag === TAGS.trainLoss)!;
    expect(loss.value.tensor?.dtype).toBe(DataType.DT_FLOAT);
  });

  it('derives the per-record scalars, histogram, images and text from the primary parameter', async () => {
    const records = [syntheticRecord(0), syntheticRecord(2)];
    const { reader, update } = await writeRun(records);
    const f = Math.fround;
    expect(series(update.values, reader, TAGS.maxGradient)).toEqual(records.map((r) => [r.batch, f(r.maxGradient)]));
    expect(series(update.values, reader, TAGS.horizon)).toEqual(records.map((r) => [r.batch, f(horizonLength(r.params.weight_hh.byDistance, 0.1))]));
    expect(series(update.values, reader, TAGS.truncationResidual)).toEqual(records.map((r) => [r.batch, f(meanResidual(r.params.weight_hh.residual!))]));
    const hist = update.values.filter((v) => v.tag === TAGS.massByDistance).map((v) => reader.decode(v));
    records.forEach((r, i) => {
      const mass = massByDistance(r.params.weight_hh.byDistance);
      expect(hist[i]).toEqual({ kind: 'histogram', buckets: mass.map((m, d) => ({ left: d - 0.5, right: d + 0.5, count: m })) });
    });
    for (const tag of [TAGS.heatmap, TAGS.bars]) {
      const imgs = update.values.filter((v) => v.tag === tag).map((v) => reader.decode(v));
      expect(imgs).toHaveLength(2);
      for (const d of imgs) {
        expect(d.kind).toBe('image');
        if (d.kind === 'image') expect(Buffer.from(d.images[0]).subarray(1, 4).toString()).toBe('PNG');
      }
    }
    const text = update.values.filter((v) => v.tag === TAGS.predictions).map((v) => reader.decode(v));
    expect(text).toHaveLength(2);
    if (text[0].kind === 'text') expect(text[0].text[0]).toContain('**batch 0**');
    const sample = update.values.filter((v) => v.tag === TAGS.sample).map((v) => reader.decode(v));
    expect(sample).toEqual([{ kind: 'text', text: ['**sample at batch 5** (8 characters):\n\n    ab ab\n    ba'], shape: [] }]);
  });

  it('puts a resumed run\'s session end after its last batch, not at the count of its batches', async () => {
    const { update } = await writeRun([], 400);
    const steps = update.values.map((v) => v.step);
    expect(update.values.find((v) => v.tag === TAGS.hparamsSessionEnd)!.step).toBe(406);
    // Steps never go back after the run's start values (written at 0).
    const afterStart = steps.filter((s) => s > 0);
    expect(afterStart).toEqual([...afterStart].sort((a, b) => a - b));
  });

  it('writes hparams at start and the status at close, and the custom-scalars layout', async () => {
    const { reader, update } = await writeRun([]);
    const start = update.values.find((v) => v.tag === TAGS.hparamsSessionStart)!;
    const d = reader.decode(start);
    expect(d.kind).toBe('hparams');
    if (d.kind === 'hparams') {
      const hp = d.data.sessionStartInfo!.hparams!;
      expect(hp.cell.stringValue).toBe('rnn');
      expect(hp.hidden_size.numberValue).toBe(16);
      expect(hp.n.numberValue).toBe(6);
      expect(hp.B.numberValue).toBe(2);
      expect(hp.k.numberValue).toBe(3);
      expect(hp.optimizer.stringValue).toBe('adagrad');
      expect(hp.lr.numberValue).toBe(0.1);
    }
    const endValue = update.values.find((v) => v.tag === TAGS.hparamsSessionEnd)!;
    expect(endValue.step).toBe(6);
    const end = reader.decode(endValue);
    expect(end.kind === 'hparams' && end.data.sessionEndInfo?.status).toBe(HParamsStatus.STATUS_SUCCESS);
    const layout = reader.decode(update.values.find((v) => v.tag === TAGS.customScalarsLayout)!);
    expect(layout.kind).toBe('custom_scalars');
    const tags = reader.tags().map((t) => `${t.tag}:${t.plugin}`);
    expect(tags).toEqual(
      expect.arrayContaining([
        'loss/train:scalars',
        'rnnbow/run:rnnbow',
        '_hparams_/session_start_info:hparams',
        '_hparams_/session_end_info:hparams',
        'custom_scalars__config__:custom_scalars',
        'samples/text:text',
      ]),
    );
  });

  it('rejects unknown or invalid options with a ConfigError', () => {
    expect(() => tensorboardExporter.create({ flushEvery: 3 })).toThrow(ConfigError);
    expect(() => tensorboardExporter.create({ horizonFraction: 2 })).toThrow(/horizonFraction/);
  });

  it('can leave out images and the predictions table', async () => {
    const tmp = tempDir();
    cleanup = tmp.cleanup;
    const exporter = tensorboardExporter.create({ images: false, predictionsText: false, flushIntervalMs: 0 });
    await exporter.open(sampleRunInfo(), tmp.dir);
    exporter.writeRecord(syntheticRecord(0));
    await exporter.close({ batches: 1, finalLoss: 1, records: 1, status: 'interrupted' });
    const reader = new RunReader(tmp.dir);
    const update = await reader.poll();
    const tags = new Set(update.values.map((v) => v.tag));
    expect(tags.has(TAGS.heatmap) || tags.has(TAGS.bars) || tags.has(TAGS.predictions)).toBe(false);
    expect(update.records).toHaveLength(1);
    const end = reader.decode(update.values.find((v) => v.tag === TAGS.hparamsSessionEnd)!);
    expect(end.kind === 'hparams' && (end.data.sessionEndInfo?.status ?? 0)).toBe(HParamsStatus.STATUS_UNKNOWN);
  });
});
