import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECORDER } from '../../src/core/config.js';
import { recorderFromFlags } from '../../src/cli/recorder-flags.js';
import { runCli } from '../helpers/cli.js';
import { smallCorpus, tempDir } from '../helpers/temp.js';

const fromConfig = { name: 'periodic', options: { every: 50, offset: 3, inner: { name: 'truncated', options: { k: 10 } } } };

describe('recorder flags over a config recorder', () => {
  it('leave the recorder alone when none is given', () => {
    expect(recorderFromFlags({}, fromConfig)).toBe(fromConfig);
    expect(recorderFromFlags({ recorderOpt: [] })).toBe(DEFAULT_RECORDER);
  });

  it('change only what they name', () => {
    expect(recorderFromFlags({ k: 3 }, fromConfig)).toEqual({ name: 'periodic', options: { every: 50, offset: 3, inner: { name: 'truncated', options: { k: 3 } } } });
    expect(recorderFromFlags({ residual: false }, fromConfig)).toEqual({ name: 'periodic', options: { every: 50, offset: 3, inner: { name: 'truncated', options: { k: 10, residual: false } } } });
    expect(recorderFromFlags({ every: 7 }, fromConfig)).toEqual({ name: 'periodic', options: { every: 7, offset: 3, inner: { name: 'truncated', options: { k: 10 } } } });
    expect(recorderFromFlags({ recorderOpt: ['k=4'] }, fromConfig)).toEqual({ name: 'periodic', options: { every: 50, offset: 3, inner: { name: 'truncated', options: { k: 4 } } } });
  });

  it('--every 1 unwraps; another recorder starts from its own defaults; a bare config recorder runs every batch', () => {
    expect(recorderFromFlags({ every: 1 }, fromConfig)).toEqual({ name: 'truncated', options: { k: 10 } });
    expect(recorderFromFlags({ recorder: 'full' }, fromConfig)).toEqual({ name: 'periodic', options: { every: 50, offset: 3, inner: { name: 'full', options: {} } } });
    expect(recorderFromFlags({ k: 2 }, { name: 'truncated', options: { k: 9 } })).toEqual({ name: 'truncated', options: { k: 2 } });
  });

  it('default to the paper\'s schedule: every 100 batches', () => {
    expect(recorderFromFlags({ recorder: 'full' })).toEqual({ name: 'periodic', options: { every: 100, inner: { name: 'full', options: {} } } });
    expect(recorderFromFlags({ k: 3 })).toEqual({ name: 'periodic', options: { every: 100, inner: { name: 'truncated', options: { k: 3 } } } });
  });

  it('--recorder periodic configures the schedule itself', () => {
    expect(recorderFromFlags({ recorder: 'periodic', recorderOpt: ['every=9'] }, fromConfig)).toEqual({ name: 'periodic', options: { ...fromConfig.options, every: 9 } });
  });
});

describe('rnnbow train with a config file and recorder flags', () => {
  const dir = tempDir();
  const corpus = smallCorpus(dir, 5000);
  const logdir = path.join(dir, 'runs');
  const quick = ['--corpus', corpus, '--hidden', '4', '-n', '5', '--export', 'json', '--logdir', logdir, '--backend', 'cpu', '--steps', '2'];

  it('--k overrides the file\'s k and keeps its schedule', () => {
    const cfg = path.join(dir, 'k10.json');
    writeFileSync(cfg, JSON.stringify({ recorder: fromConfig }));
    const res = runCli(['train', ...quick, '--config', cfg, '--k', '3', '--run-name', 'k3']);
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(logdir, 'k3', 'run.json'), 'utf8')).recorder).toBe('periodic(every=50, offset=3, truncated(k=3))');
  });

  it('a malformed --recorder-opt is named, not a silent exit', () => {
    const res = runCli(['train', ...quick, '--recorder-opt', 'novalue', '--run-name', 'bad-opt']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/^rnnbow: expected key=value, got "novalue"$/m);
  });
});
