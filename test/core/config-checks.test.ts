import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigValidationError, DEFAULT_CHECKPOINT_SECONDS, loadConfigFile, parseConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';
import { tempDir } from '../helpers/temp.js';

const dir = tempDir();

function issuesOf(input: unknown): ConfigValidationError['issues'] {
  try {
    parseConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigValidationError);
    return (err as ConfigValidationError).issues;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('config checks', () => {
  it('checkpoints go by seconds (60 when neither is given) or by batches, never both; a resolved config parses again', () => {
    const byTime = parseConfig({});
    // Neither is filled in, so that a resolved config can still be given either.
    expect(byTime).not.toHaveProperty('checkpointSeconds');
    expect(byTime).not.toHaveProperty('checkpointEvery');
    expect(DEFAULT_CHECKPOINT_SECONDS).toBe(60);
    expect(parseConfig({ ...byTime, checkpointEvery: 5 }).checkpointEvery).toBe(5);
    const byBatches = parseConfig({ checkpointEvery: 500 });
    expect(byBatches.checkpointEvery).toBe(500);
    expect(byBatches).not.toHaveProperty('checkpointSeconds');
    expect(parseConfig(byTime)).toEqual(byTime);
    expect(parseConfig(byBatches)).toEqual(byBatches);
    expect(parseConfig({ checkpointSeconds: 0 }).checkpointSeconds).toBe(0);
    expect(issuesOf({ checkpointEvery: 500, checkpointSeconds: 30 })).toEqual([
      { field: 'checkpointSeconds', problem: 'must not be given with checkpointEvery (--checkpoint-every): checkpoints go by seconds or by batches; give one' },
    ]);
  });

  it('refuses an empty exporter list', () => {
    expect(issuesOf({ exporters: [] })).toEqual([{ field: 'exporters', problem: 'must name at least one exporter' }]);
  });

  it('refuses an exporter named twice, in either form', () => {
    expect(() => parseConfig({ exporters: ['json', 'json'] })).toThrow(/exporters must name each exporter once; "json" given twice/);
    expect(() => parseConfig({ exporters: ['tensorboard', { name: 'tensorboard', options: { images: false } }] })).toThrow(/"tensorboard" given twice/);
    expect(parseConfig({ exporters: ['json', { name: 'tensorboard' }] }).exporters).toHaveLength(2);
  });

  it('words each problem by field, unknown fields one by one', () => {
    expect(issuesOf({ hiddenSize: 0, clip: 0, optimizer: 'sgd', colour: 'blue', corpus: { paths: 'x' } })).toEqual([
      { field: 'corpus.paths', problem: 'must be an array' },
      { field: 'hiddenSize', problem: 'must be >= 1' },
      { field: 'optimizer', problem: 'must be one of adagrad, adam' },
      { field: 'clip', problem: 'must be > 0' },
      { field: 'colour', problem: 'is not a known field' },
    ]);
    expect(() => parseConfig({ hiddenSize: 0 }, 'my.json')).toThrow(ConfigError);
    expect(() => parseConfig({ hiddenSize: 0 }, 'my.json')).toThrow(/^my.json: hiddenSize must be >= 1$/);
  });

  it('a config file holding null (or anything but an object) is refused, not run with defaults', () => {
    for (const [name, text] of [['null', 'null'], ['array', '[]'], ['number', '3']]) {
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, text);
      expect(() => loadConfigFile(file)).toThrow(/must hold a JSON object/);
    }
    const ok = path.join(dir, 'ok.json');
    writeFileSync(ok, '{}');
    expect(loadConfigFile(ok).hiddenSize).toBe(100);
  });
});
