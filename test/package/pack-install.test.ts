import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

/**
 * The distribution test of issue 7: `npm pack` the package, install the tarball into an empty
 * folder outside the repository, and run `npx rnnbow demo` and `npx rnnbow serve` there. Only the
 * package registry is needed (for the dependencies); rnnbow itself fetches nothing at run time.
 */
const work = tempDir('rnnbow-pack-');
const app = path.join(work, 'app');
const npm = (args: string[], cwd: string, timeout = 600_000) => {
  const res = spawnSync('npm', args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  if (res.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${res.status}):\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

describe('the npm package installs and runs without the repository', () => {
  it('packs (dist, WebAssembly kernels, protos, viewer assets, docs)', () => {
    // `npm test` has just built dist/; pack it as is.
    npm(['pack', '--ignore-scripts', '--pack-destination', work], process.cwd());
    expect(readdirSync(work).filter((f) => f.endsWith('.tgz'))).toHaveLength(1);
  });

  it('installs into an empty folder', () => {
    spawnSync('mkdir', ['-p', app]);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'))!;
    npm(['install', '--no-save', path.join(work, tgz)], app);
    expect(existsSync(path.join(app, 'node_modules', 'rnnbow', 'dist', 'wasm', 'rnnbow-kernels.wasm'))).toBe(true);
  });

  it('runs `npx rnnbow demo`', () => {
    const res = spawnSync('npx', ['rnnbow', 'demo', '--seconds', '8'], { cwd: app, encoding: 'utf8', timeout: 300_000 });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/tensorboard --logdir runs\/demo/);
    const runs = readdirSync(path.join(app, 'runs', 'demo'));
    expect(runs).toHaveLength(1);
    const files = readdirSync(path.join(app, 'runs', 'demo', runs[0]));
    expect(files).toEqual(expect.arrayContaining(['records.jsonl', 'run.json', 'checkpoint.json']));
    expect(files.some((f) => f.startsWith('events.out.tfevents.'))).toBe(true);
  });

  it('runs `npx rnnbow serve` and serves the page and the API', async () => {
    const port = await freePort();
    // Its own process group: `npx` starts the server as a child of its own and does not pass
    // SIGTERM on, so killing npx alone left the server running after the tests.
    const child = spawn('npx', ['rnnbow', 'serve', '--logdir', 'runs/demo', '--port', String(port)], { cwd: app, stdio: 'pipe', detached: true });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      let page: Response | undefined;
      for (let i = 0; i < 200 && !page; i++) {
        page = await fetch(base + '/').catch(() => undefined);
        if (!page) await new Promise((r) => setTimeout(r, 150));
      }
      expect(page?.status).toBe(200);
      expect(await page!.text()).toMatch(/<html/i);
      const runs = await (await fetch(base + '/api/runs')).json();
      expect(JSON.stringify(runs)).toMatch(/rnn/);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    // Nothing of the group is left listening (the server may take a moment after npx is gone).
    let open = true;
    for (let i = 0; i < 50 && open; i++) {
      open = await fetch(`http://127.0.0.1:${port}/`).then(() => true, () => false);
      if (open) await new Promise((r) => setTimeout(r, 100));
    }
    expect(open).toBe(false);
  });
});
