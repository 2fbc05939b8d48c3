import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tensorboardExporter } from '../../src/exporters/tensorboard/index.js';
import { runCli } from '../helpers/cli.js';
import { smallCorpus, tempDir } from '../helpers/temp.js';
import { sampleRunInfo, syntheticRecord } from '../exporters/tensorboard/helpers.js';

const dir = tempDir();
const corpus = smallCorpus(dir, 5000);
const logdir = path.join(dir, 'runs');
const common = ['--corpus', corpus, '--hidden', '4', '-n', '5', '--logdir', logdir, '--backend', 'cpu', '--steps', '1'];
const quick = [...common, '--export', 'json'];

/** Runs the CLI expecting a user error; returns stderr without the hint and help lines. */
function userError(args: string[], options: { timeout?: number } = {}): string {
  const res = runCli(args, options);
  expect(res.status, res.stderr).toBe(1);
  expect(res.stderr).not.toMatch(/internal error|\n\s+at /);
  const lines = res.stderr.trim().split('\n').filter((l) => !l.startsWith('  hint:') && !l.startsWith('(run with --help'));
  expect(lines, res.stderr).toHaveLength(1);
  return lines[0];
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('unknown recorder and exporter options are errors', () => {
  it('--recorder-opt with a key the recorder does not read', () =>
    expect(userError(['train', ...quick, '--recorder-opt', 'bogus=1'])).toBe('rnnbow: recorder "truncated": unknown option "bogus"; known options: k, residual'));
  it('a typo in a config file\'s recorder options', () =>
    expect(userError(['train', ...quick, '--config', writeJson('kk.json', { recorder: { name: 'truncated', options: { kk: 3 } } })])).toMatch(/unknown option "kk"/));
  it('an exporter option that does not exist', () =>
    expect(userError(['train', ...common, '--config', writeJson('ex.json', { exporters: [{ name: 'json', options: { bogus: 1 } }] })])).toMatch(/exporter "json": unknown option "bogus"/));
  it('--k with --recorder full', () => {
    expect(userError(['train', ...quick, '--recorder', 'full', '--k', '3'])).toMatch(/recorder "full": option "k" does not apply to full/);
    expect(userError(['train', ...quick, '--recorder', 'full', '--k', '3', '--every', '5'])).toMatch(/option "k" does not apply to full/);
  });
  it('nothing is written for a refused run', () => expect(existsSync(logdir) ? readdirSync(logdir) : []).toEqual([]));
});

describe('exporter lists', () => {
  it('an empty --export, alone or beside another', () => {
    const refused = (value: string) => `error: option '--export <names>' argument '${value}' is invalid. expected one or more names, comma-separated`;
    expect(userError(['train', ...common, '--export', ''])).toBe(refused(''));
    expect(userError(['train', ...common, '--export', ','])).toBe(refused(','));
    // Beside a real name, an empty one used to vanish silently.
    expect(userError(['train', ...quick, '--export', ''])).toBe(refused(''));
  });
  it('an empty exporter list in a config file', () =>
    expect(userError(['train', ...common, '--config', writeJson('none.json', { exporters: [] })])).toMatch(/none\.json: exporters must name at least one exporter$/));
  it('an exporter named twice', () =>
    expect(userError(['train', ...quick, '--export', 'json,json,tensorboard,tensorboard'])).toBe(
      'rnnbow: --export must name each exporter once; "json", "tensorboard" given twice (config exporters)',
    ));
});

describe('validation errors name the flag the user typed', () => {
  it('train --hidden 0', () => expect(userError(['train', ...quick, '--hidden', '0'])).toBe('rnnbow: --hidden must be >= 1 (config hiddenSize)'));
  it('a bad value from --config keeps the file and field names', () => {
    const cfg = writeJson('bad.json', { hiddenSize: 0, colour: 'blue' });
    expect(userError(['train', '--config', cfg])).toBe(`rnnbow: ${cfg}: hiddenSize must be >= 1; colour is not a known field`);
    const fine = writeJson('fine.json', { hiddenSize: 8, seqLength: 5 });
    expect(userError(['train', '--config', fine, '--max-seconds', '0', '--seed', '1'])).toBe('rnnbow: --max-seconds must be > 0 (config maxSeconds)');
  });
  it('checkpoints by batches and by seconds at once', () =>
    expect(userError(['train', ...quick, '--checkpoint-every', '100', '--checkpoint-seconds', '30'])).toBe(
      'rnnbow: --checkpoint-seconds must not be given with checkpointEvery (--checkpoint-every): checkpoints go by seconds or by batches; give one (config checkpointSeconds)',
    ));
  it('a checkpoint flag replaces the config file\'s other checkpoint pace instead of clashing with it', () => {
    const everyFile = writeJson('every.json', { checkpointEvery: 100 });
    const secondsFile = writeJson('seconds.json', { checkpointSeconds: 30 });
    const bySeconds = runCli(['train', ...quick, '--config', everyFile, '--checkpoint-seconds', '5', '--run-name', 'flag-seconds']);
    expect(bySeconds.status, bySeconds.stderr).toBe(0);
    expect(JSON.parse(readFileSync(path.join(logdir, 'flag-seconds', 'run.json'), 'utf8')).config).toMatchObject({ checkpointSeconds: 5 });
    expect(JSON.parse(readFileSync(path.join(logdir, 'flag-seconds', 'run.json'), 'utf8')).config).not.toHaveProperty('checkpointEvery');
    const byBatches = runCli(['train', ...quick, '--config', secondsFile, '--checkpoint-every', '7', '--run-name', 'flag-every']);
    expect(byBatches.status, byBatches.stderr).toBe(0);
    const config = JSON.parse(readFileSync(path.join(logdir, 'flag-every', 'run.json'), 'utf8')).config;
    expect(config.checkpointEvery).toBe(7);
    expect(config).not.toHaveProperty('checkpointSeconds');
  });
  it('train --checkpoint-seconds -1', () =>
    expect(userError(['train', ...quick, '--checkpoint-seconds', '-1'])).toBe('rnnbow: --checkpoint-seconds must be >= 0 (config checkpointSeconds)'));
  it('demo --seconds 0', () => expect(userError(['demo', '--seconds', '0'])).toBe('rnnbow: --seconds must be > 0 (config maxSeconds)'));
  it('demo --cell foo fails before its banner', () => {
    const res = runCli(['demo', '--cell', 'foo', '--logdir', path.join(dir, 'demo-foo')]);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('rnnbow: unknown cell "foo"; known cells: gru, lstm, rnn\n');
  });
  it('subcommands show the --help pointer after a usage error', () => {
    const res = runCli(['train', '--bogus-flag']);
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('(run with --help for usage)');
  });
  it('a config file holding null', () => expect(userError(['train', '--config', writeJson('null.json', null)])).toMatch(/must hold a JSON object, got null/));
});

describe('serve and inspect', () => {
  const file = path.join(dir, 'small.txt');
  writeFileSync(file, 'not a folder');
  it('serve refuses a logdir that is a file at once', () =>
    expect(userError(['serve', '--logdir', file, '--port', '0'], { timeout: 30_000 })).toBe(`rnnbow: logdir ${file} is a file, not a folder`));

  it('inspect names an interrupted run and exits 2 when it reports problems', async () => {
    const tb = path.join(dir, 'tb');
    mkdirSync(path.join(tb, 'stopped'), { recursive: true });
    const exporter = tensorboardExporter.create({ flushIntervalMs: 0 });
    await exporter.open(sampleRunInfo({ runId: 'stopped' }), path.join(tb, 'stopped'));
    exporter.writeRecord({ ...syntheticRecord(0), runId: 'stopped' });
    await exporter.close({ batches: 1, finalLoss: 1, records: 1, status: 'interrupted' });
    const clean = runCli(['inspect', tb]);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('status interrupted');

    mkdirSync(path.join(tb, 'broken'));
    writeFileSync(path.join(tb, 'broken', 'events.out.tfevents.1.host'), 'these bytes are not a TFRecord at all');
    const damaged = runCli(['inspect', tb]);
    expect(damaged.stdout).toMatch(/[1-9]\d* problems?/);
    expect(damaged.status).toBe(2);
  });
});

describe('still runs', () => {
  it('the default recorder (truncated k=5 every 100 batches)', () => {
    const res = runCli(['train', '--corpus', corpus, '--hidden', '4', '--export', 'json', '--logdir', path.join(dir, 'default'), '--backend', 'cpu', '--steps', '2']);
    expect(res.status, res.stderr).toBe(0);
  });
  it('demo', () => {
    const res = runCli(['demo', '--seconds', '1', '--logdir', path.join(dir, 'demo')]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/^rnnbow demo: rnn cell/);
    expect(res.stdout).toMatch(/completed/);
  });
});
