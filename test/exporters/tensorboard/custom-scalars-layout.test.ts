import { describe, expect, it } from 'vitest';
import { PLUGINS } from '../../../src/exporters/tensorboard/tags.js';
import { recordValues, scalarValues } from '../../../src/exporters/tensorboard/record-summaries.js';
import { customScalarsLayout } from '../../../src/exporters/tensorboard/run-summaries.js';
import { sampleRunInfo, syntheticRecord } from './helpers.js';

/**
 * TensorBoard's Custom Scalars dashboard colours a chart's lines by run, never by tag: a chart of
 * several tags draws them all in one colour, and with five runs side by side the old combined loss
 * chart was fifteen lines in five colours. These tests hold the layout to one tag per chart and
 * to covering every scalar the exporter writes.
 */

/** Every scalar tag the exporter can write: training scalars with every field, and a recorded batch. */
function writtenScalarTags(): string[] {
  const training = scalarValues({ loss: 2, smoothedLoss: 2.1, valLoss: 2.5, charsPerSec: 1000, gradNorm: 3 }, 7);
  const run = sampleRunInfo();
  const record = recordValues(syntheticRecord(4), run.vocab, { images: false, predictionsText: false, horizonFraction: 0.1 });
  return [...training, ...record].filter((v) => v.metadata?.pluginData?.pluginName === PLUGINS.scalars).map((v) => v.tag!);
}

const charts = customScalarsLayout().category!.flatMap((c) => c.chart!.map((chart) => ({ category: c.title!, title: chart.title!, tags: chart.multiline!.tag! })));

describe('the Custom Scalars layout', () => {
  it('finds the scalar tags to check (the record has a residual, the training scalars every field)', () => {
    expect(new Set(writtenScalarTags()).size).toBe(9);
  });

  it('puts one tag in each chart, so a line colour always means a run', () => {
    for (const chart of charts) expect(chart.tags, chart.title).toHaveLength(1);
  });

  it('charts every scalar tag the exporter writes exactly once', () => {
    for (const tag of writtenScalarTags()) {
      const matching = charts.filter((c) => c.tags.some((re) => new RegExp(re).test(tag)));
      expect(matching.map((c) => c.title), tag).toHaveLength(1);
    }
  });

  it('has patterns that match their own tag only, not a tag that merely starts the same', () => {
    const tags = writtenScalarTags();
    for (const chart of charts) {
      const re = new RegExp(chart.tags[0]);
      expect(tags.filter((t) => re.test(t)), chart.title).toHaveLength(1);
      // loss/train must not also catch loss/train_smoothed (the old unanchored mistake to avoid).
      expect(re.test(`${tags.find((t) => re.test(t))}_suffix`), chart.title).toBe(false);
    }
  });

  it('gives every chart its own title (TensorBoard merges the layouts of all runs by chart)', () => {
    expect(new Set(charts.map((c) => c.title)).size).toBe(charts.length);
  });

  it('leads the loss category with the smoothed training loss, the figure runs are compared by', () => {
    const loss = charts.filter((c) => c.category === 'rnnbow: loss');
    expect(new RegExp(loss[0].tags[0]).test('loss/train_smoothed')).toBe(true);
  });
});
