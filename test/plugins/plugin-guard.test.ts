import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/builtins.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import { PluginError } from '../../src/core/errors.js';
import type { Exporter, ExporterDefinition } from '../../src/core/exporter.js';
import { initParams } from '../../src/core/model.js';
import { definePlugin } from '../../src/core/plugin.js';
import { SeededRandom } from '../../src/core/random.js';
import type { RecordPlan, RecorderDefinition } from '../../src/core/recorder.js';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

const dir = tempDir();
const base = { ...smallRunConfig(dir), steps: 6 };
const THIS_FILE = path.resolve('test/plugins/plugin-guard.test.ts');

/** The vanilla cell as a plugin would write it (no fused kernel), with `step` replaced. */
function cellWith(name: string, step: CellDefinition['step'], params: CellDefinition['params'] = vanillaCell.params): CellDefinition {
  return { name, description: 'test', state: ['h'], params, step };
}

/** An exporter that keeps what it is given; `override` replaces members. */
function exporterDef(name: string, override: Partial<Record<keyof Exporter, unknown>> = {}): ExporterDefinition {
  return {
    name,
    description: 'test',
    create: () =>
      ({
        name,
        open: async () => {},
        writeScalars: () => {},
        writeRecord: () => {},
        writeSample: () => {},
        flush: async () => {},
        close: async () => {},
        ...override,
      }) as Exporter,
  };
}

function recorderDef(name: string, plan: (batch: number) => unknown, finalize?: (r: unknown) => unknown): RecorderDefinition {
  return { name, description: 'test', create: () => ({ description: name, plan: plan as (b: number) => RecordPlan | null, ...(finalize ? { finalize: finalize as never } : {}) }) };
}

async function registryWith(plugin: Parameters<typeof definePlugin>[0]) {
  const registry = await createRegistry();
  registry.register(definePlugin(plugin), './test-plugin.js');
  return registry;
}

async function rejection(p: Promise<unknown>): Promise<PluginError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PluginError);
  return err as PluginError;
}

describe('load-time probe of a plugin cell', () => {
  const register = async (cell: CellDefinition) => (await createRegistry()).register(definePlugin({ name: 'p', cells: [cell] }), './p.js');
  const h = (ctx: Parameters<CellDefinition['step']>[0], x: tf.Tensor2D, state: tf.Tensor2D) =>
    tf.tanh(tf.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.linear('weight_hh', state, 'bias_hh'))) as tf.Tensor2D;

  it('refuses parameter specs it cannot use: a name twice, the output layer\'s names, an unknown init', async () => {
    const twice = cellWith('twice', (ctx, x, [s]) => [h(ctx, x, s)], (d) => [...vanillaCell.params(d), { name: 'bias_hh', shape: [d.hiddenSize] }]);
    await expect(register(twice)).rejects.toThrow('plugin "./p.js": cell "twice": params() declares "bias_hh" twice');
    const head = cellWith('head', (ctx, x, [s]) => [h(ctx, x, s)], (d) => [...vanillaCell.params(d), { name: 'out.bias', shape: [d.inputSize] }]);
    await expect(register(head)).rejects.toThrow(/parameter "out.bias" is the output layer's/);
    const normal = cellWith('normal', (ctx, x, [s]) => [h(ctx, x, s)], (d) => vanillaCell.params(d).map((p) => (p.name === 'bias_hh' ? { ...p, init: 'normal' as never } : p)));
    await expect(register(normal)).rejects.toThrow(/parameter "bias_hh" has init "normal"; expected "uniform", "zeros", "ones" or \{ constant: number \}/);
  });

  it('catches a step that fixes the batch size, mixes rows, or cuts the gradient', async () => {
    // Both pass a 2-row probe: the bug shows only with another number of rows.
    const fixed = cellWith('fixed', (ctx, x, [s]) => [tf.add(h(ctx, x, s), tf.zeros([2, 1])) as tf.Tensor2D]);
    await expect(register(fixed)).rejects.toThrow(/cell "fixed": step throws on a 3-row batch: .* \(it runs on 2 rows: does step fix the batch size\? take it from x.shape\[0\]\)$/);
    const sliced = cellWith('sliced', (ctx, x, [s]) => [h(ctx, x, s).slice([0, 0], [2, -1]) as tf.Tensor2D]);
    await expect(register(sliced)).rejects.toThrow(/cell "sliced": state "h" must be \[rows, 3\] = \[3, 3\], step returned \[2,3\] \(it runs on 2 rows: does step fix the batch size\?/);
    const mixing = cellWith('mixing', (ctx, x, [s]) => [tf.add(h(ctx, x, s), tf.sum(s, 0, true)) as tf.Tensor2D]);
    await expect(register(mixing)).rejects.toThrow(/cell "mixing": step mixes the rows of a batch/);
    // The new state is copied out of tfjs and back: every value is right, but no gradient flows.
    const detached = cellWith('detached', (ctx, x, [s]) => [tf.tensor2d(h(ctx, x, s).arraySync())]);
    await expect(register(detached)).rejects.toThrow(/cell "detached": no gradient reaches state "h", "weight_ih", "weight_hh" from the state step returns/);
    // Only the recurrent path is cut: the input weight still gets its gradient.
    const halfCut = cellWith('half-cut', (ctx, x, [s]) => [tf.tanh(tf.add(ctx.linear('weight_ih', x, 'bias_ih'), tf.tensor2d(ctx.linear('weight_hh', s, 'bias_hh').arraySync()))) as tf.Tensor2D]);
    await expect(register(halfCut)).rejects.toThrow(/no gradient reaches state "h", "weight_hh" from/);
  });

  it('names what each helper produced when tfjs throws on shapes, so the parameter that is off shows', async () => {
    // weight_hh declared [V, H] instead of [H, H]: tfjs only says two shapes do not broadcast.
    const transposed = cellWith(
      'transposed',
      (ctx, x, [s]) => [tf.tanh(tf.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.linear('weight_hh', s))) as tf.Tensor2D],
      (d) => vanillaCell.params(d).flatMap((p) => (p.name === 'bias_hh' ? [] : p.name === 'weight_hh' ? [{ ...p, shape: [d.inputSize, d.hiddenSize] }] : [p])),
    );
    await expect(register(transposed)).rejects.toThrow(/step throws on a 2-row batch: .*broadcast.* \(before it: linear\("weight_ih"\) gave \[2,3\], linear\("weight_hh"\) gave \[2,5\]\)$/);
  });

  it('accepts { constant: c } as an init and fills the parameter with c', async () => {
    const leaky = cellWith('leaky', (ctx, x, [s]) => [h(ctx, x, s)], (d) => vanillaCell.params(d).map((p) => (p.name === 'bias_hh' ? { ...p, init: { constant: -2 } } : p)));
    await register(leaky);
    const params = initParams(leaky, { inputSize: 5, hiddenSize: 3 }, new SeededRandom(1));
    expect(Array.from(params.bias_hh.data)).toEqual([-2, -2, -2]);
  });
});

describe('a plugin part that fails while a run uses it is reported as the plugin\'s, and the run keeps its work', () => {
  it('an exporter that throws: the plugin, the call, the message and the line that threw; a checkpoint is saved', async () => {
    let calls = 0;
    const registry = await registryWith({
      name: 'boom',
      exporters: [
        exporterDef('boom', {
          writeScalars: () => {
            if (++calls === 4) throw new Error('disk full');
          },
        }),
      ],
    });
    const err = await rejection(train({ ...base, runName: 'boom', exporters: ['json', 'boom'] }, { registry }));
    expect(err.message).toMatch(new RegExp(`^plugin "\\./test-plugin\\.js": exporter "boom": writeScalars\\(\\) threw: disk full \\(at ${THIS_FILE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+\\)$`));
    const run = readJsonRun(path.join(base.logdir, 'boom'));
    expect(run.summary?.status).toBe('failed');
    expect(existsSync(path.join(base.logdir, 'boom', 'checkpoint.json'))).toBe(true);
  });

  it('an exporter missing a method is refused before anything is written', async () => {
    const registry = await registryWith({ name: 'partial', exporters: [exporterDef('partial', { writeSample: undefined })] });
    const err = await rejection(train({ ...base, runName: 'partial', exporters: ['json', 'partial'] }, { registry }));
    expect(err.message).toBe('plugin "./test-plugin.js": exporter "partial": the exporter create() returned has no writeSample()');
    expect(existsSync(path.join(base.logdir, 'partial'))).toBe(false);
  });

  it('a recorder plan with a k that is not an integer names the recorder, the batch and the value', async () => {
    const registry = await registryWith({ name: 'r', recorders: [recorderDef('stringy', (b) => (b === 2 ? { k: '3', residual: false } : null))] });
    const err = await rejection(train({ ...base, runName: 'stringy', recorder: { name: 'stringy' } }, { registry }));
    expect(err.message).toBe('plugin "./test-plugin.js": recorder "stringy": plan(2) returned k = the string "3"; k must be an integer >= 0, or null for full itemization');
  });

  it('a recorder whose finalize returns nothing is stopped at the first record', async () => {
    const registry = await registryWith({ name: 'r', recorders: [recorderDef('lossy', () => ({ k: 2, residual: false }), () => undefined)] });
    const err = await rejection(train({ ...base, runName: 'lossy', recorder: { name: 'lossy' } }, { registry }));
    expect(err.message).toBe('plugin "./test-plugin.js": recorder "lossy": finalize() must return a batch record (the one it was given, or a cut-down copy): not a JSON object');
  });

  it('a recorder k beyond the sequence is recorded as full itemization', async () => {
    const registry = await registryWith({ name: 'r', recorders: [recorderDef('far', () => ({ k: 500, residual: true }))] });
    const res = await train({ ...base, runName: 'far', recorder: { name: 'far' }, steps: 2 }, { registry });
    const run = readJsonRun(res.runDir);
    expect(run.records.map((r) => r.k)).toEqual([null, null]);
    expect(run.records[0].params.weight_hh.byDistance[9]).toHaveLength(10);
  });

  it('a cell step that throws during training: the plugin, the cell and the line', async () => {
    let steps = 0;
    const tired = cellWith('tired', (ctx, x, [s]) => {
      if (++steps > 60) throw new Error('out of patience');
      return [tf.tanh(tf.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.linear('weight_hh', s, 'bias_hh'))) as tf.Tensor2D];
    });
    const registry = await registryWith({ name: 'c', cells: [tired] });
    const err = await rejection(train({ ...base, runName: 'tired', cell: 'tired', steps: 20 }, { registry }));
    expect(err.message).toMatch(/^plugin "\.\/test-plugin\.js": cell "tired": step\(\) threw: out of patience \(at .*plugin-guard\.test\.ts:\d+:\d+\)$/);
    expect(existsSync(path.join(base.logdir, 'tired', 'checkpoint.json'))).toBe(true);
  });
});
