import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
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
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startTraining(logdir: string) {
  const args = ['train', '--corpus', corpus, '--hidden', '8', '-n', '10', '--every', '1', '--k', '3', '--export', 'json', '--logdir', logdir, '--max-seconds', '120', '--run-name', 'r'];
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout };
}

const recordLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);

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
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s: training stops cleanly, flushes everything, writes the summary and a checkpoint', async (signal) => {
    const logdir = path.join(dir, `interrupted-${signal}`);
    const run = startTraining(logdir);
    const records = path.join(logdir, 'r', 'records.jsonl');
    await waitFor(() => recordLines(records) >= 3);
    run.child.kill(signal);
    const code = await run.exited;
    expect(code).toBe(0);
    const read = readJsonRun(path.join(logdir, 'r'));
    expect(read.summary?.status).toBe('interrupted');
    expect(read.records.length).toBe(read.summary?.records);
    expect(readdirSync(path.join(logdir, 'r'))).toContain('checkpoint.json');
    expect(run.stdout()).toMatch(/stopped by signal/);
  });
});
