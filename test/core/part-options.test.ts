import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/builtins.js';
import { DEFAULT_RECORDER } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { knownOptions } from '../../src/core/options.js';
import { definePlugin } from '../../src/core/plugin.js';
import { PartRegistry } from '../../src/core/registry.js';
import { jsonExporter } from '../../src/exporters/json/json-exporter.js';
import { tensorboardExporter } from '../../src/exporters/tensorboard/index.js';

const ctx = { seqLength: 25, reduction: 'l2' as const };

describe('built-in parts refuse options they do not read', () => {
  it('knownOptions names the part, the unknown key and the known ones', () => {
    expect(() => knownOptions('recorder "x"', { k: 1 }, ['k'])).not.toThrow();
    expect(() => knownOptions('recorder "x"', { kk: 1 }, ['k', 'residual'])).toThrow(new ConfigError('recorder "x": unknown option "kk"; known options: k, residual'));
    expect(() => knownOptions('recorder "x"', { a: 1 }, [])).toThrow(/it takes no options/);
  });

  it('truncated, periodic and full', async () => {
    const registry = await createRegistry();
    expect(() => registry.createRecorder({ name: 'truncated', options: { kk: 3 } }, ctx)).toThrow(/recorder "truncated": unknown option "kk"; known options: k, residual/);
    expect(() => registry.createRecorder({ name: 'periodic', options: { every: 2, evrey: 3 } }, ctx)).toThrow(/recorder "periodic": unknown option "evrey"; known options: every, offset, inner/);
    // periodic forwards `inner`, whose own options are checked by the inner recorder.
    expect(() => registry.createRecorder({ name: 'periodic', options: { inner: { name: 'truncated', options: { bogus: 1 } } } }, ctx)).toThrow(/recorder "truncated": unknown option "bogus"/);
    expect(() => registry.createRecorder({ name: 'full', options: { k: 3 } }, ctx)).toThrow(/option "k" does not apply to full/);
    expect(() => registry.createRecorder({ name: 'periodic', options: { inner: { name: 'full', options: { k: 3 } } } }, ctx)).toThrow(ConfigError);
    expect(() => registry.createRecorder({ name: 'full', options: { x: 1 } }, ctx)).toThrow(/recorder "full": unknown option "x"; it takes no options/);
  });

  it('the default recorder and the documented options still build', async () => {
    const registry = await createRegistry();
    expect(registry.createRecorder(DEFAULT_RECORDER, ctx).description).toBe('periodic(every=100, truncated(k=5))');
    expect(registry.createRecorder({ name: 'periodic', options: { every: 3, offset: 1, inner: { name: 'truncated', options: { k: 2, residual: false } } } }, ctx).description).toBe(
      'periodic(every=3, offset=1, truncated(k=2))',
    );
    expect(registry.createRecorder({ name: 'full', options: {} }, ctx).description).toBe('full');
  });

  it('json and tensorboard exporters', () => {
    expect(() => jsonExporter.create({ bogus: 1 })).toThrow(/exporter "json": unknown option "bogus"; known options: flushSeconds/);
    expect(() => tensorboardExporter.create({ bogus: 1 })).toThrow(/exporter "tensorboard": unknown option "bogus"; known options: flushIntervalMs, .*horizonFraction/);
    expect(() => jsonExporter.create({ flushSeconds: 1 })).not.toThrow();
  });

  it('every bad value at once, in the run config\'s wording; no flush interval of zero or less', () => {
    expect(() => tensorboardExporter.create({ flushIntervalMs: -5, horizonFraction: 7 })).toThrow('exporter "tensorboard": flushIntervalMs must be >= 0; horizonFraction must be < 1');
    expect(() => jsonExporter.create({ flushSeconds: -1 })).toThrow('exporter "json": option "flushSeconds" must be > 0, got -1');
    expect(() => jsonExporter.create({ flushSeconds: 0 })).toThrow(/must be > 0/);
  });

  it('plugin parts still take any options', () => {
    const registry = new PartRegistry();
    const seen: Record<string, unknown>[] = [];
    registry.register(
      definePlugin({
        name: 'free-options',
        recorders: [{ name: 'mine', description: 'test', create: (options) => (seen.push(options), { description: 'mine', plan: () => null }) }],
      }),
    );
    registry.createRecorder({ name: 'mine', options: { anything: 1, at: 'all' } }, ctx);
    expect(seen).toEqual([{ anything: 1, at: 'all' }]);
  });
});
