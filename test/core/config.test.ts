import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig, RunConfigSchema } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/errors.js';

describe('run configuration', () => {
  it('fills the paper defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ cell: 'rnn', hiddenSize: 100, seqLength: 25, batchSize: 1, optimizer: 'adagrad', reduction: 'l2' });
    expect(c.recorder).toEqual({ name: 'periodic', options: { every: 100, inner: { name: 'truncated', options: { k: 5 } } } });
  });

  it('reports every problem in one message, with the field paths', () => {
    let err: unknown;
    try {
      parseConfig({ hiddenSize: 0, corpus: { paths: 'x' }, colour: 'blue' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/hiddenSize/);
    expect(msg).toMatch(/corpus\.paths/);
    expect(msg).toMatch(/colour/);
    expect(msg.split('\n')).toHaveLength(1);
  });

  it('refuses run names that could escape the logdir', () => {
    for (const runName of ['..', '../x', 'a/b', '.']) expect(() => parseConfig({ runName })).toThrow(ConfigError);
  });

  it('docs/configuration.md documents every top-level field', () => {
    const doc = readFileSync('docs/configuration.md', 'utf8');
    for (const key of Object.keys(RunConfigSchema.shape)) expect(doc, key).toContain(`\`${key}`);
  });
});
