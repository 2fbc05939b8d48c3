import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseHorizonArgs } from '../../bench/experiments/horizon-args.js';
import { ConfigError, formatError } from '../../src/core/errors.js';

/** The one-line error (plus hint) a mistaken command line of `npm run experiment:horizons` prints. */
function refusal(argv: string[]): string {
  let thrown: unknown = null;
  try {
    parseHorizonArgs(argv);
  } catch (e) {
    thrown = e;
  }
  expect(thrown, argv.join(' ')).toBeInstanceOf(ConfigError);
  const printed = formatError(thrown);
  expect(printed.split('\n')).toHaveLength(2);
  expect(printed).not.toMatch(/\n\s+at /);
  return printed.split('\n')[0];
}

describe('npm run experiment:horizons -- options (docs/experiments.md)', () => {
  const stamp = mkdtempSync(path.join(os.tmpdir(), 'rnnbow-horizons-'));
  afterAll(() => rmSync(stamp, { recursive: true, force: true }));

  it('defaults are the documented setup: rnn, lstm, gru; 2000 batches of B = 16, n = 25, H = 128; Adam; seed 42; every 50; ε = 0.05', () => {
    expect(parseHorizonArgs([])).toEqual({
      cells: ['rnn', 'lstm', 'gru'], steps: 2000, hidden: 128, batch: 16, seq: 25, every: 50, seed: 42, epsilon: 0.05, optimizer: 'adam', logdir: 'runs/experiments',
    });
  });

  it('takes the documented reproduction commands', () => {
    expect(parseHorizonArgs(['--seed', '7']).seed).toBe(7);
    expect(parseHorizonArgs(['--optimizer', 'adagrad', '--lr', '0.1'])).toMatchObject({ optimizer: 'adagrad', lr: 0.1 });
    expect(parseHorizonArgs(['--from', stamp]).from).toBe(stamp);
  });

  it('a mistake is one line with a hint, not a stack trace', () => {
    expect(refusal(['--bogus'])).toMatch(/^rnnbow: experiment:horizons: Unknown option '--bogus'/);
    expect(refusal(['--steps', 'many'])).toBe('rnnbow: --steps must be an integer >= 1, got "many"');
    expect(refusal(['--seq', '1'])).toBe('rnnbow: --seq must be an integer >= 2, got "1"');
    expect(refusal(['--optimizer', 'sgd'])).toBe('rnnbow: --optimizer must be adam or adagrad, got "sgd"');
    expect(refusal(['--lr', '0'])).toBe('rnnbow: --lr must be a positive number, got "0"');
    expect(refusal(['--epsilon', '5'])).toBe('rnnbow: --epsilon must be a number between 0 and 1, got "5"');
    expect(refusal(['--cells', ','])).toBe('rnnbow: --cells must name at least one cell, e.g. rnn,lstm,gru');
    expect(refusal(['--from', path.join(stamp, 'missing')])).toBe(`rnnbow: --from ${path.join(stamp, 'missing')} is not a folder`);
  });
});
