import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { smallCorpus, tempDir } from '../helpers/temp.js';

const dir = tempDir();
const corpus = smallCorpus(dir, 5000);
const logdir = path.join(dir, 'runs');
const quick = ['--corpus', corpus, '-n', '5', '--export', 'json', '--logdir', logdir, '--backend', 'cpu', '--steps', '3'];
const runJson = (name: string) => JSON.parse(readFileSync(path.join(logdir, name, 'run.json'), 'utf8'));
const checkpoint = (name: string) => path.join(logdir, name, 'checkpoint.json');

describe('rnnbow train --resume', () => {
  const trained = runCli(['train', ...quick, '--cell', 'lstm', '--hidden', '6', '--optimizer', 'adam', '--run-name', 'lstm-adam']);

  it('takes the model and the optimizer from the checkpoint when the flags leave them out', () => {
    expect(trained.status, trained.stderr).toBe(0);
    const res = runCli(['train', ...quick, '--resume', checkpoint('lstm-adam'), '--run-name', 'resumed']);
    expect(res.status, res.stderr).toBe(0);
    const run = runJson('resumed');
    expect([run.cell, run.hiddenSize, run.optimizer.name]).toEqual(['lstm', 6, 'adam']);
    expect([run.config.cell, run.config.hiddenSize]).toEqual(['lstm', 6]);
    expect(res.stdout + res.stderr).not.toMatch(/does not carry over|carried state/);
    // Where it goes on from is said, since the progress bar counts this run's batches from 1.
    expect(res.stdout + res.stderr).toMatch(/resuming .*lstm-adam.checkpoint\.json at batch 3: steps continue from there/);
  });

  it('refuses a hidden size or cell other than the checkpoint\'s', () => {
    const hidden = runCli(['train', ...quick, '--resume', checkpoint('lstm-adam'), '--hidden', '64', '--run-name', 'h64']);
    expect(hidden.status).not.toBe(0);
    expect(hidden.stderr).toMatch(/holds a model of hidden size 6 but the config asks for 64/);
    const cell = runCli(['train', ...quick, '--resume', checkpoint('lstm-adam'), '--cell', 'gru', '--run-name', 'gru']);
    expect(cell.stderr).toMatch(/holds a "lstm" model but the config asks for cell "gru"/);
  });

  it('says what it drops: another optimizer\'s state, another batch size\'s carried state', () => {
    const res = runCli(['train', ...quick, '--resume', checkpoint('lstm-adam'), '--optimizer', 'adagrad', '-b', '2', '--run-name', 'switched']);
    expect(res.status, res.stderr).toBe(0);
    const said = res.stdout + res.stderr;
    expect(said).toMatch(/resuming with adagrad: the checkpoint's adam state does not carry over/);
    expect(said).toMatch(/resuming with B=2: the checkpoint's carried state is for another batch size/);
    expect(runJson('switched').batchSize).toBe(2);
  });

  it('takes n and B from the checkpoint when the flags leave them out, so the run goes on where it stopped', () => {
    const shaped = ['--corpus', corpus, '--export', 'json', '--logdir', logdir, '--backend', 'cpu', '--steps', '3', '--every', '1'];
    const first = runCli(['train', ...shaped, '-n', '7', '-b', '3', '--hidden', '5', '--run-name', 'n7b3']);
    expect(first.status, first.stderr).toBe(0);
    const res = runCli(['train', ...shaped, '--resume', checkpoint('n7b3'), '--run-name', 'n7b3-resumed']);
    expect(res.status, res.stderr).toBe(0);
    const run = runJson('n7b3-resumed');
    expect([run.seqLength, run.batchSize]).toEqual([7, 3]);
    expect(res.stdout + res.stderr).not.toMatch(/state starts at zero/);
    // Three more batches of the same streams: each sequence starts 7 characters after the last one did.
    const offsets = (name: string) => readFileSync(path.join(logdir, name, 'records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).corpusOffset as number);
    const before = offsets('n7b3');
    expect(offsets('n7b3-resumed')[0]).toBe(before[before.length - 1] + 7);
  });

  it('says so when -n differs from the checkpoint\'s: batch indices then address other text', () => {
    const res = runCli(['train', ...quick, '--resume', checkpoint('lstm-adam'), '-n', '9', '--run-name', 'n9']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout + res.stderr).toMatch(/resuming with n=9: the checkpoint trained with n=5, .*state starts at zero \(-n \/ seqLength 5 continues exactly\)/);
    expect(runJson('n9').seqLength).toBe(9);
  });
});
