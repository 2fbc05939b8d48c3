import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { CLI } from '../helpers/cli.js';
import { smallCorpus, tempDir } from '../helpers/temp.js';

const dir = tempDir();
const corpus = smallCorpus(dir, 50_000);

async function waitFor(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How a child process ended: its exit code, or the signal that ended it. */
interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
}

function startTraining(logdir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const args = ['train', '--corpus', corpus, '--hidden', '8', '-n', '10', '--every', '1', '--k', '3', '--export', 'json', '--logdir', logdir, '--max-seconds', '120', '--run-name', 'r', ...extra];
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  let ended: Ended | undefined;
  const exited = new Promise<Ended>((resolve) =>
    child.on('exit', (code, signal) => {
      ended = { code, signal };
      resolve(ended);
    }),
  );
  return { child, exited, stdout: () => stdout, stderr: () => stderr, ended: () => ended };
}

/** True when a process ended the way `signal` ends one: killed by it, or exit status 128 + its number. */
function endedBy(ended: Ended, signal: NodeJS.Signals): boolean {
  return ended.signal === signal || ended.code === 128 + constants.signals[signal];
}

const recordLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

/**
 * A plugin exporter that stops at `open` or `close` (as a slow disk or a large checkpoint would
 * hold a run there) until a file appears, and says where it stopped with another file.
 */
function stallingPlugin(name: string, at: 'open' | 'close'): { plugin: string; reached: string; release: string } {
  const reached = path.join(dir, `${name}.reached`);
  const release = path.join(dir, `${name}.release`);
  const plugin = path.join(dir, `${name}.mjs`);
  const stall = `
    writeFileSync(${JSON.stringify(reached)}, '');
    for (const end = Date.now() + 60000; !existsSync(${JSON.stringify(release)}) && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));`;
  writeFileSync(
    plugin,
    `import { existsSync, writeFileSync } from 'node:fs';
import { definePlugin } from 'rnnbow';
export default definePlugin({
  name: ${JSON.stringify(name)},
  exporters: [{
    name: 'stall', description: 'waits at ${at}',
    create: () => ({
      name: 'stall',
      async open() {${at === 'open' ? stall : ''} },
      writeScalars() {}, writeRecord() {}, writeSample() {},
      async flush() {},
      async close() {${at === 'close' ? stall : ''} },
    }),
  }],
});
`,
  );
  return { plugin, reached, release };
}

describe('a run killed or interrupted at any point', () => {
  it('SIGKILL: every flushed record is a valid line and the reader accepts the files', async () => {
    const logdir = path.join(dir, 'killed');
    const run = startTraining(logdir);
    const records = path.join(logdir, 'r', 'records.jsonl');
    await waitFor(() => recordLines(records) >= 5);
    run.child.kill('SIGKILL');
    await run.exited;
    const text = readFileSync(records, 'utf8');
    const complete = text.slice(0, text.lastIndexOf('\n'));
    for (const line of complete.split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    const read = readJsonRun(path.join(logdir, 'r'));
    expect(read.problems).toEqual([]);
    expect(read.records.length).toBeGreaterThanOrEqual(5);
    read.records.forEach((r, i) => expect(r.batch).toBe(i));
  });

  // SIGHUP: the terminal that started the run was closed.
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s: training stops cleanly, saves everything, and the process ends by the signal', async (signal) => {
    const logdir = path.join(dir, `interrupted-${signal}`);
    const run = startTraining(logdir);
    const records = path.join(logdir, 'r', 'records.jsonl');
    await waitFor(() => recordLines(records) >= 3);
    run.child.kill(signal);
    const ended = await run.exited;
    // 130 after Ctrl-C, as shells expect: a script looping over runs stops instead of going on.
    expect(endedBy(ended, signal), JSON.stringify(ended)).toBe(true);
    const read = readJsonRun(path.join(logdir, 'r'));
    expect(read.summary?.status).toBe('interrupted');
    expect(read.records.length).toBe(read.summary?.records);
    expect(readdirSync(path.join(logdir, 'r'))).toContain('checkpoint.json');
    expect(run.stdout()).toMatch(/stopped by signal/);
    expect(run.stderr()).toMatch(/stopping after this batch/);
  });

  it('Ctrl-C whose final checkpoint cannot be written: one line saying why, and the process still ends by the signal', async () => {
    const logdir = path.join(dir, 'interrupted-unsaved');
    // No periodic checkpoint: the one at the end is the first.
    const run = startTraining(logdir, ['--checkpoint-every', '0']);
    const records = path.join(logdir, 'r', 'records.jsonl');
    await waitFor(() => recordLines(records) >= 3);
    // A folder where the checkpoint goes: the rename onto it fails, as a full disk would fail it.
    mkdirSync(path.join(logdir, 'r', 'checkpoint.json'));
    run.child.kill('SIGINT');
    const ended = await run.exited;
    expect(run.stderr()).toMatch(/cannot write checkpoint/);
    expect(run.stderr()).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack trace
    expect(endedBy(ended, 'SIGINT'), JSON.stringify(ended) + run.stderr()).toBe(true);
    expect(readJsonRun(path.join(logdir, 'r')).summary?.status).toBe('failed');
  });

  it('a signal while the exporters open still ends the run as interrupted, with a summary and a checkpoint; a second only waits', async () => {
    const logdir = path.join(dir, 'interrupted-at-open');
    const stall = stallingPlugin('stall-open', 'open');
    const run = startTraining(logdir, ['--plugin', stall.plugin, '--export', 'stall']);
    await waitFor(() => existsSync(stall.reached));
    run.child.kill('SIGINT');
    await waitFor(() => /stopping after this batch/.test(run.stderr()) || run.ended() !== undefined);
    run.child.kill('SIGINT');
    await waitFor(() => /already stopping/.test(run.stderr()) || run.ended() !== undefined);
    writeFileSync(stall.release, '');
    const ended = await run.exited;
    expect(endedBy(ended, 'SIGINT'), JSON.stringify(ended) + run.stderr()).toBe(true);
    const read = readJsonRun(path.join(logdir, 'r'));
    expect(read.summary?.status).toBe('interrupted');
    expect(read.summary?.batches).toBe(0);
    const checkpoint = JSON.parse(readFileSync(path.join(logdir, 'r', 'checkpoint.json'), 'utf8'));
    expect(checkpoint.training.batch).toBe(0);
    // No batch, no loss: the result line says 0 batches rather than "loss NaN".
    expect(run.stdout()).toMatch(/stopped by signal .*; 0 batches in [\d.]+ s \([\d,]+ chars\/s\), 0 records/);
    expect(run.stdout()).not.toMatch(/NaN/);
  });

  it('a signal while the run closes is acknowledged; one more quits at once, with the records flushed', async () => {
    const logdir = path.join(dir, 'interrupted-at-close');
    const stall = stallingPlugin('stall-close', 'close');
    // The JSON exporter closes first, then the stalling one holds the run in its close.
    const run = startTraining(logdir, ['--plugin', stall.plugin, '--export', 'stall', '--steps', '30', '--max-seconds', '60']);
    await waitFor(() => existsSync(stall.reached));
    run.child.kill('SIGINT');
    await waitFor(() => /already stopping/.test(run.stderr()) || run.ended() !== undefined);
    expect(run.ended()).toBeUndefined();
    run.child.kill('SIGINT');
    const ended = await run.exited;
    rmSync(stall.reached);
    expect(endedBy(ended, 'SIGINT'), JSON.stringify(ended) + run.stderr()).toBe(true);
    expect(run.stderr()).toMatch(/quitting at once;.*resumes from batch 30/);
    const read = readJsonRun(path.join(logdir, 'r'));
    expect(read.records.map((r) => r.batch)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(read.summary?.status).toBe('completed');
  });

  it('a run folder removed while training stops the run with one line, not a stack trace', async () => {
    const logdir = path.join(dir, 'removed');
    // No checkpoint before the end: only noticing the folder is gone stops the run early.
    const run = startTraining(logdir, ['--checkpoint-every', '0', '--max-seconds', '30', '--sample-every', '0']);
    await waitFor(() => recordLines(path.join(logdir, 'r', 'records.jsonl')) >= 3);
    rmSync(path.join(logdir, 'r'), { recursive: true, force: true });
    const ended = await run.exited;
    expect(ended.code).toBe(1);
    expect(run.stderr()).toMatch(/^rnnbow: run folder .*r was removed while training \(at batch \d+\)/m);
    expect(run.stderr()).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
    expect(existsSync(path.join(logdir, 'r'))).toBe(false);
  });
});
