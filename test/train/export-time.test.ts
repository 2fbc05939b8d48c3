import { describe, expect, it, vi } from 'vitest';
import { createRegistry } from '../../src/builtins.js';
import type { Exporter, ExporterDefinition } from '../../src/core/exporter.js';
import { definePlugin } from '../../src/core/plugin.js';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { describeExportShare, EXPORT_SHARE_TO_REPORT, ExportTimer } from '../../src/train/export-time.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

// The run-time notice comes after this many seconds of training (10 in a real run).
vi.mock('../../src/train/export-time.js', async (original) => ({ ...(await original<object>()), EXPORT_NOTICE_AFTER_SECONDS: 0.3 }));

const dir = tempDir();
const base = smallRunConfig(dir);

/** Busy-waits `ms` milliseconds: an exporter whose work is on the training thread. */
function work(ms: number): void {
  for (const until = performance.now() + ms; performance.now() < until; );
}

/** A plugin exporter (it runs on the training thread) that takes `ms` per recorded batch. */
function slowExporter(name: string, ms: number): ExporterDefinition {
  const exporter: Exporter = {
    name,
    open: async () => {},
    writeScalars: () => {},
    writeRecord: () => work(ms),
    writeSample: () => {},
    flush: async () => {},
    close: async () => {},
  };
  return { name, description: 'test', create: () => exporter };
}

describe('describeExportShare', () => {
  it('stays silent below the share it reports, and for a run with no time', () => {
    expect(describeExportShare({ json: 0.19 * 10 }, { json: 5 }, 10)).toBeNull();
    expect(describeExportShare({ json: 1 }, { json: 1 }, 0)).toBeNull();
    expect(EXPORT_SHARE_TO_REPORT).toBe(0.2);
  });

  it('names every exporter by how busy it was, busiest first, and suggests leaving that one out', () => {
    // Training waited longest on the json queue, but tensorboard's thread did the most work.
    const line = describeExportShare({ json: 2.6, tensorboard: 2.1 }, { json: 5.6, tensorboard: 8.8 }, 10);
    expect(line).toBe(
      'exporting set the pace: training waited for the exporters 47% of the time (busy: tensorboard 88%, json 56%); ' +
        'record less often (--every) or leave out the busiest exporter (--export json) to train faster',
    );
  });

  it('names the schedule that took the exporters\' time: records unless scalars or samples took longer', () => {
    const advice = (byCall: Record<string, number>) => describeExportShare({ json: 3 }, { json: 4 }, 10, byCall)!.split('; ')[1];
    expect(advice({ records: 2, scalars: 0.5, samples: 0.1, flushes: 0.4 })).toBe('record less often (--every) to train faster');
    expect(advice({ records: 0.2, scalars: 2.5, samples: 0.1, flushes: 0.2 })).toBe('log scalars less often (--log-every) to train faster');
    expect(advice({ records: 0, scalars: 0.1, samples: 2.8, flushes: 0.1 })).toBe('sample less often (--sample-every) to train faster');
    // Flushes wait for whatever was queued: they choose nothing.
    expect(advice({ records: 0.1, scalars: 0, samples: 0, flushes: 2.9 })).toBe('record less often (--every) to train faster');
  });

  it('with one exporter, suggests recording less often only', () => {
    const line = describeExportShare({ mine: 3 }, {}, 10);
    expect(line).toBe('exporting set the pace: training waited for the exporters 30% of the time (busy: mine 30%); record less often (--every) to train faster');
  });
});

describe('ExportTimer', () => {
  it('adds up the time of each exporter\'s calls, by exporter and by kind of call', async () => {
    const timer = new ExportTimer(['a', 'b', 'a']);
    expect(timer.time(0, 'records', () => (work(20), 'result'))).toBe('result');
    timer.time(2, 'scalars', () => work(10));
    await timer.timeAsync(1, 'flushes', () => new Promise((r) => setTimeout(r, 30)));
    expect(() =>
      timer.time(1, 'samples', () => {
        work(5);
        throw new Error('failed');
      }),
    ).toThrow('failed');
    const [a0, b, a2] = timer.perExporter();
    expect(a0).toBeGreaterThanOrEqual(0.02);
    expect(a2).toBeGreaterThanOrEqual(0.01);
    // A call that throws still counts (a timer may fire a little early: 25 of its 30 ms at least).
    expect(b).toBeGreaterThanOrEqual(0.025 + 0.005);
    // Two exporters of one name add up.
    expect(timer.seconds()).toEqual({ a: a0 + a2, b });
    const byCall = timer.byCall();
    expect(byCall.records).toBeCloseTo(a0, 9);
    expect(byCall.scalars).toBeCloseTo(a2, 9);
    expect(byCall.flushes + byCall.samples).toBeCloseTo(b, 9);
    expect(byCall.samples).toBeGreaterThanOrEqual(0.005);
  });
});

describe('train(): time spent exporting', () => {
  it('goes into the summary per exporter, and a run that waits on its exporters says so once', async () => {
    const registry = await createRegistry();
    registry.register(definePlugin({ name: 'slow', exporters: [slowExporter('slow', 4)] }), './slow.js');
    const said: string[] = [];
    const steps = 150;
    const res = await train(
      { ...base, steps, recorder: { name: 'full' }, exporters: ['json', 'slow'], runName: 'slow-export' },
      { registry, onMessage: (line) => said.push(line) },
    );
    const { exportSeconds, exporterBusySeconds, seconds } = res.summary;
    // At least the work the slow exporter did, all of it on the training thread.
    expect(exportSeconds!.slow).toBeGreaterThanOrEqual((steps * 4) / 1000);
    expect(exportSeconds!.slow).toBeLessThanOrEqual(seconds!);
    expect(exporterBusySeconds!.slow).toBe(exportSeconds!.slow);
    // The JSON exporter runs on its own thread: its busy time is that thread's, not the hand-off.
    expect(exporterBusySeconds!.json).toBeGreaterThan(0);
    expect(exportSeconds!.json).toBeGreaterThan(0);
    expect(readJsonRun(res.runDir).summary).toEqual(res.summary);
    // The records took the time, so the line says to record less often.
    const byCall = res.summary.exportSecondsByCall!;
    expect(byCall.records).toBeGreaterThanOrEqual((steps * 4) / 1000);
    expect(byCall.records + byCall.scalars + byCall.samples + byCall.flushes).toBeCloseTo(exportSeconds!.slow + exportSeconds!.json, 6);
    const notices = said.filter((l) => l.startsWith('exporting set the pace'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^exporting set the pace: training waited for the exporters \d+% of the time \(busy: slow \d+%, json \d+%\); .*\(--export json\)/);
  });

  it('a run whose exporters keep up says nothing about them', async () => {
    const registry = await createRegistry();
    // An exporter that costs nothing: the share stays far below the threshold on any machine.
    registry.register(definePlugin({ name: 'idle', exporters: [slowExporter('idle', 0)] }), './idle.js');
    const said: string[] = [];
    const res = await train({ ...base, steps: 10_000_000, maxSeconds: 0.6, exporters: ['idle'], runName: 'quiet-export' }, { registry, onMessage: (line) => said.push(line) });
    // Long enough for the run to have looked.
    expect(res.summary.seconds).toBeGreaterThanOrEqual(0.6);
    expect(Object.keys(res.summary.exportSeconds!)).toEqual(['idle']);
    expect(said.some((l) => l.includes('exporting'))).toBe(false);
  });
});
