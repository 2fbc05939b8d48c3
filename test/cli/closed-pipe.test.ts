import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { CLI } from '../helpers/cli.js';
import { smallCorpus, tempDir } from '../helpers/temp.js';

const dir = tempDir();
const corpus = smallCorpus(dir, 5000);
const logdir = path.join(dir, 'runs');

describe('rnnbow train | head', () => {
  it('keeps training when the reader of its output goes away, and finishes the run', async () => {
    // Samples and validation losses keep writing after `head` has gone.
    const args = ['train', '--corpus', corpus, '--hidden', '4', '-n', '5', '--logdir', logdir, '--run-name', 'piped', '--max-seconds', '4', '--every', '1', '--sample-every', '50', '--validate-every', '50', '--backend', 'cpu'];
    // A real pipe, as a shell makes it (the socket pairs of child_process.spawn fail differently).
    const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
    const res = spawnSync('bash', ['-c', `set -o pipefail; ${command} 2>&1 | head -2`], { encoding: 'utf8', timeout: 60_000 });
    expect(res.stdout.split('\n')[0]).toMatch(/^training rnn/);
    expect(res.status, res.stderr).toBe(0);
    const run = readJsonRun(path.join(logdir, 'piped'));
    expect(run.summary?.status).toBe('completed');
    expect(run.summary?.batches).toBeGreaterThan(100);
    expect(run.records.length).toBe(run.summary?.records);
    expect(run.samples.length).toBeGreaterThan(1);
  }, 60_000);
});
