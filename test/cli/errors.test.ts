import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { smallCorpus, tempDir } from '../helpers/temp.js';

const dir = tempDir();
const corpus = smallCorpus(dir, 5000);
const logdir = path.join(dir, 'runs');
const quick = ['--corpus', corpus, '--hidden', '4', '-n', '5', '--export', 'json', '--logdir', logdir, '--backend', 'cpu'];

/** A user mistake: non-zero exit, one line naming the problem (plus an optional hint), never a stack trace. */
function expectUserError(args: string[], pattern: RegExp) {
  const res = runCli(args);
  expect(res.status).not.toBe(0);
  expect(res.stderr).toMatch(pattern);
  expect(res.stderr).not.toMatch(/\n\s+at /);
  expect(res.stderr).not.toMatch(/internal error/);
  const lines = res.stderr.trim().split('\n').filter((l) => !l.startsWith('  hint:') && !l.startsWith('(run with --help'));
  expect(lines).toHaveLength(1);
  return res;
}

describe('rnnbow CLI: bad input is one line and a non-zero exit', () => {
  it('missing corpus', () => expectUserError(['train', ...quick, '--corpus', path.join(dir, 'nope.txt')], /corpus path not found/));
  it('empty corpus', () => {
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '');
    expectUserError(['train', '--corpus', empty, '--logdir', logdir, '--export', 'json'], /empty/);
  });
  it('corpus shorter than n+1', () => {
    const short = path.join(dir, 'short.txt');
    writeFileSync(short, 'int x;');
    expectUserError(['train', '--corpus', short, '--logdir', logdir, '--export', 'json'], /needs at least 26 characters/);
  });
  it('binary file', () => {
    const bin = path.join(dir, 'blob.bin');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
    expectUserError(['train', '--corpus', bin, '--logdir', logdir, '--export', 'json'], /binary/);
  });
  it('unknown cell, recorder and exporter list the known ones', () => {
    expectUserError(['train', ...quick, '--cell', 'transformer'], /unknown cell "transformer"; known cells: gru, lstm, rnn/);
    expectUserError(['train', ...quick, '--recorder', 'sometimes'], /unknown recorder "sometimes"; known recorders: .*full.*periodic.*truncated/);
    expectUserError(['train', ...quick, '--export', 'csv'], /unknown exporter "csv"; known exporters: .*json/);
  });
  it('the tensorflow backend without @tensorflow/tfjs-node installed', () =>
    expectUserError(['train', ...quick, '--steps', '1', '--backend', 'tensorflow', '--engine', 'tfjs'], /needs @tensorflow\/tfjs-node/));
  it('a missing plugin, for train, itemize and serve alike', () => {
    expectUserError(['train', ...quick, '--plugin', './no-such-plugin'], /plugin "\.\/no-such-plugin": file not found/);
    expectUserError(['itemize', '--checkpoint', 'x.json', '--text', 'ab', '--out', 'o.json', '--plugin', './no-such-plugin'], /plugin "\.\/no-such-plugin": file not found/);
    expectUserError(['serve', '--logdir', dir, '--plugin', './no-such-plugin'], /plugin "\.\/no-such-plugin": file not found/);
  });
  it('hidden size 0', () => expectUserError(['train', ...quick, '--hidden', '0'], /hiddenSize/));
  it('a negative k', () => expectUserError(['train', ...quick, '--k', '-1'], /"k" must be an integer >= 0/));
  it('a non-numeric flag', () => expectUserError(['train', ...quick, '--hidden', 'lots'], /expected an integer/));
  it('an unwritable logdir', () => expectUserError(['train', ...quick, '--logdir', '/etc/passwd/runs', '--steps', '1'], /cannot create logdir \/etc\/passwd\/runs: a part of its path is not a folder$/m));
  it('--port without --serve', () => expectUserError(['train', ...quick, '--port', '7000'], /^rnnbow: --port sets the viewer that --serve starts$/m));
  it('a logdir that is a file', () => expectUserError(['train', ...quick, '--logdir', corpus, '--steps', '1'], /^rnnbow: logdir .* is a file, not a folder$/m));
  it('a hidden size beyond what the kernels address', () => expectUserError(['train', ...quick, '--hidden', '1000000000'], /--hidden must be <= 16384/));
  it('an invalid config file', () => {
    const cfg = path.join(dir, 'bad-config.json');
    writeFileSync(cfg, JSON.stringify({ hiddenSize: -3, colour: 'blue' }));
    expectUserError(['train', '--config', cfg], /hiddenSize.*colour|colour.*hiddenSize/);
  });
  it('k = 0 keeps only the local term and k >= n means full', () => {
    const res = runCli(['train', ...quick, '--steps', '2', '--k', '0', '--every', '1', '--run-name', 'k0']);
    expect(res.status).toBe(0);
    const rec = JSON.parse(readFileSync(path.join(logdir, 'k0', 'records.jsonl'), 'utf8').split('\n')[0]);
    expect(rec.k).toBe(0);
    expect(rec.params.weight_hh.byDistance.every((row: number[]) => row.length === 1)).toBe(true);
    const full = runCli(['train', ...quick, '--steps', '1', '--k', '9', '--every', '1', '--run-name', 'k9']);
    expect(full.status).toBe(0);
    const rec9 = JSON.parse(readFileSync(path.join(logdir, 'k9', 'records.jsonl'), 'utf8').split('\n')[0]);
    expect(rec9.k).toBeNull();
    expect(rec9.params.weight_hh.byDistance[4]).toHaveLength(5);
  });

  describe('malformed checkpoints and itemize input', () => {
    const trained = runCli(['train', ...quick, '--steps', '3', '--run-name', 'ckpt']);
    const ckptFile = path.join(logdir, 'ckpt', 'checkpoint.json');
    const out = path.join(dir, 'itemized.json');
    const variant = (name: string, edit: (json: Record<string, any>) => void) => {
      const json = JSON.parse(readFileSync(ckptFile, 'utf8'));
      edit(json);
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(json));
      return file;
    };
    it('training wrote a checkpoint', () => expect(trained.status).toBe(0));
    it('wrong shapes', () =>
      expectUserError(['itemize', '--checkpoint', variant('shape', (j) => j.params.weight_hh.pop()), '--text', 'int x;', '--out', out], /weight_hh.*rows/));
    it('unknown cell', () => expectUserError(['itemize', '--checkpoint', variant('cell', (j) => (j.cell = 'mystery')), '--text', 'int x;', '--out', out], /unknown cell "mystery"/));
    it('not a checkpoint', () => expectUserError(['itemize', '--checkpoint', corpus, '--text', 'int x;', '--out', out], /not valid JSON|not an rnnbow checkpoint/));
    it('characters not in the vocabulary', () => expectUserError(['itemize', '--checkpoint', ckptFile, '--text', 'int ☃;', '--out', out], /U\+2603/));
    it('never leaves a partial output file on failure', () => {
      expect(existsSync(out)).toBe(false);
    });
  });

  it('an existing run is never overwritten', () => {
    mkdirSync(path.join(logdir, 'taken'), { recursive: true });
    writeFileSync(path.join(logdir, 'taken', 'keep.txt'), 'mine');
    expectUserError(['train', ...quick, '--steps', '1', '--run-name', 'taken'], /already exists/);
    expect(readFileSync(path.join(logdir, 'taken', 'keep.txt'), 'utf8')).toBe('mine');
  });
});
