/** `rnnbow serve`, `rnnbow train --serve` and `rnnbow demo --serve`, through the compiled CLI (`npm test` builds first). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { train } from '../../src/train/trainer.js';
import { startViewer } from '../../src/viewer/index.js';
import { CLI, runCli } from '../helpers/cli.js';
import { smallCorpus, smallRunConfig, tempDir } from '../helpers/temp.js';

const dir = tempDir('rnnbow-viewer-cli-');
const corpus = smallCorpus(dir, 30_000);

/** Starts the CLI and resolves with the first viewer URL it prints. */
function startCli(args: string[]): { child: ChildProcess; url: Promise<string>; output: () => string; exit: Promise<number | NodeJS.Signals | null> } {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /rnnbow viewer: (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', () => reject(new Error(`exited before printing a URL:\n${out}\n${err}`)));
  });
  url.catch(() => {});
  // A run stopped by Ctrl-C ends by that signal once it is saved (the exit code is then null).
  const exit = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return { child, url, output: () => out + err, exit };
}

describe('rnnbow serve', () => {
  it('reports a missing logdir in one line', () => {
    const res = runCli(['serve', '--logdir', path.join(dir, 'nope'), '--port', '0']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/logdir .*nope does not exist/);
    // How to watch a run that has not started yet, as commands that paste as they are.
    expect(res.stderr).toContain(`rnnbow train --logdir ${path.join(dir, 'nope')} --serve, or mkdir ${path.join(dir, 'nope')} first`);
    const spaced = runCli(['serve', '--logdir', path.join(dir, "my 'runs'"), '--port', '0']);
    expect(spaced.stderr).toContain(`mkdir '${path.join(dir, "my '\\''runs'\\''")}' first`);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('serves an empty logdir, and lists a run that starts in it later', async () => {
    const empty = path.join(dir, 'empty-then-run');
    mkdirSync(empty);
    const viewer = await startViewer({ logdir: empty, port: 0, refresh: { listMs: 50, runMs: 50 } });
    try {
      const ids = async () => ((await (await fetch(`${viewer.url}api/runs`)).json()) as { runs: { id: string }[] }).runs.map((r) => r.id);
      expect(await ids()).toEqual([]);
      await train({ ...smallRunConfig(dir), logdir: empty, runName: 'late', steps: 2 });
      await expect.poll(ids, { timeout: 10_000 }).toEqual(['late']);
    } finally {
      await viewer.close();
    }
  });

  it('rejects a port out of range', () => {
    const res = runCli(['serve', '--logdir', dir, '--port', '70000']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/port between 0 and 65535/);
  });

  it('serves the logdir on 127.0.0.1 until interrupted', async () => {
    const logdir = path.join(dir, 'empty-logdir');
    mkdirSync(logdir);
    const cli = startCli(['serve', '--logdir', logdir, '--port', '0']);
    const url = await cli.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${url}api/runs`);
    expect(res.status).toBe(200);
    expect((await res.json()).runs).toEqual([]);
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
  });
});

describe('rnnbow train --serve', () => {
  it('starts the viewer beside the run; batches appear while it trains', async () => {
    const logdir = path.join(dir, 'live');
    const cli = startCli(['train', '--corpus', corpus, '--hidden', '4', '-n', '8', '--every', '1', '--export', 'json', '--logdir', logdir, '--run-name', 'live1', '--max-seconds', '20', '--backend', 'cpu', '--serve', '--port', '0']);
    const url = await cli.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?run=live1$/);
    const base = url.replace(/\?.*$/, '');
    let seen: { records: number; status: string } | undefined;
    const counts: number[] = [];
    for (let i = 0; i < 200 && counts.filter((c) => c > 0).length < 2; i++) {
      const res = await fetch(`${base}api/runs`);
      seen = (await res.json()).runs.find((r: { id: string }) => r.id === 'live1');
      if (seen) counts.push(seen.records);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen?.status).toBe('running');
    // Records arrive while training goes on.
    expect(counts.filter((c) => c > 0).length).toBeGreaterThanOrEqual(2);
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe('SIGINT');
    expect(cli.output()).toMatch(/viewer stopped with the run/);
    await expect(fetch(`${base}api/runs`)).rejects.toThrow();
  });
});

describe('rnnbow demo --serve', () => {
  it('keeps the viewer up once the demo has trained, until Ctrl-C', async () => {
    const logdir = path.join(dir, 'demo-live');
    const cli = startCli(['demo', '--seconds', '2', '--logdir', logdir, '--serve', '--port', '0']);
    const url = await cli.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?run=/);
    const base = url.replace(/\?.*$/, '');
    await expect.poll(() => cli.output(), { timeout: 60_000 }).toMatch(/The viewer keeps serving .* press Ctrl-C to stop it/);
    // The run is over and still served, records and all.
    const runs = (await (await fetch(`${base}api/runs`)).json()).runs as { status: string; records: number }[];
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe('completed');
    expect(runs[0].records).toBeGreaterThan(0);
    // The viewer's URL replaces the "rnnbow serve" hint.
    expect(cli.output()).not.toContain('npx rnnbow serve');
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe(0);
    await expect(fetch(`${base}api/runs`)).rejects.toThrow();
  });

  it('stops, viewer and all, when Ctrl-C stops the training', async () => {
    const cli = startCli(['demo', '--seconds', '60', '--logdir', path.join(dir, 'demo-stopped'), '--serve', '--port', '0']);
    const base = (await cli.url).replace(/\?.*$/, '');
    cli.child.kill('SIGINT');
    expect(await cli.exit).toBe('SIGINT');
    expect(cli.output()).toMatch(/stopped by signal/);
    expect(cli.output()).not.toMatch(/keeps serving/);
    await expect(fetch(`${base}api/runs`)).rejects.toThrow();
  });

  it('refuses --port without --serve in one line', () => {
    const res = runCli(['demo', '--port', '0', '--logdir', path.join(dir, 'demo-no-serve')]);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toContain('--port sets the viewer that --serve starts');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });
});
