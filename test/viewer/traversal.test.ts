/**
 * Only files inside the logdir can ever be read: run ids come from the server's own listing and
 * page assets from a fixed table, so no request path reaches the file system. These tests try the
 * usual ways out: `..`, encoded `%2e%2e`, absolute paths, and symbolic links out of the logdir.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViewer, type ViewerServer } from '../../src/viewer/index.js';
import { OUTSIDE_SECRET, makeViewerFixture, type ViewerFixture } from './fixture.js';
import { getJson, rawGet } from './http.js';

let fx: ViewerFixture;
let server: ViewerServer;

beforeAll(async () => {
  fx = await makeViewerFixture();
  server = await startViewer({ logdir: fx.logdir, port: 0, refresh: { listMs: 0, runMs: 0 } });
});

afterAll(async () => {
  await server?.close();
  fx?.cleanup();
});

const packageJson = () => readFileSync(path.resolve('package.json'), 'utf8');
const runJson = () => readFileSync(path.join(fx.logdir, 'rnn-json', 'run.json'), 'utf8');

/** True when a body leaks any file it must not: outside secrets, package.json, /etc/passwd, a raw run.json. */
function leaks(body: string): boolean {
  return body.includes(OUTSIDE_SECRET) || body.includes('root:x:0:0') || body.includes(packageJson().slice(0, 60)) || body.includes(runJson().slice(0, 60));
}

describe('path traversal', () => {
  const staticAttempts = [
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/assets/../../package.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
    '/assets/%252e%252e%252fpackage.json',
    '/assets/....//....//package.json',
    '/vendor/../package.json',
    '/vendor/..%2f..%2f..%2fpackage.json',
    '//etc/passwd',
    '/etc/passwd',
    `/${fx?.logdir ?? '/tmp'}/rnn-json/run.json`,
    '/rnn-json/run.json',
    '/escape/records.jsonl',
    '/secret-link.txt',
    '/assets/%00../../package.json',
    '/assets/..\\..\\package.json',
  ];

  it('never serves a file outside the page assets', async () => {
    const attempts = [...staticAttempts, `${fx.logdir}/rnn-json/run.json`, `/${path.join(fx.outside, 'secret.txt')}`];
    for (const p of attempts) {
      const res = await rawGet(server.port, p).catch(() => ({ status: 400, body: '', headers: {} }));
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(leaks(res.body), p).toBe(false);
    }
  });

  it('treats run ids as names from its own listing, never as paths', async () => {
    const ids = [
      '..', '../..', '../../etc', '../outside/run', '%2e%2e', '%2e%2e%2f%2e%2e', '..%2foutside%2frun', '/etc', '/', '.',
      fx.logdir, path.join(fx.outside, 'run'), 'escape', 'rnn-json/..', 'rnn-json/../escape', './rnn-json', 'rnn-json/', 'RNN-JSON', 'sneaky/records.jsonl',
    ];
    for (const id of ids) {
      for (const endpoint of ['batch', 'overview', 'horizon', 'interesting']) {
        for (const encoded of [encodeURIComponent(id), id]) {
          const res = await rawGet(server.port, `/api/${endpoint}?run=${encoded}&batch=0`).catch(() => ({ status: 400, body: '', headers: {} }));
          expect(res.status, `${endpoint} ${id}`).toBeGreaterThanOrEqual(400);
          expect(leaks(res.body), `${endpoint} ${id}`).toBe(false);
        }
      }
    }
  });

  it('does not follow a symbolic link from the logdir to a run folder outside it', async () => {
    const { body } = await getJson(server.port, '/api/runs');
    expect(body.runs.map((r: { id: string }) => r.id)).not.toContain('escape');
    expect(JSON.stringify(body)).not.toContain(OUTSIDE_SECRET);
    expect(body.problems.find((p: { file: string }) => p.file === 'escape').message).toMatch(/outside the logdir/);
  });

  it('does not read a run file that is a symbolic link out of the logdir', async () => {
    const { body } = await getJson(server.port, '/api/runs');
    const sneaky = body.runs.find((r: { id: string }) => r.id === 'sneaky');
    expect(sneaky.records).toBe(0);
    expect(sneaky.problems.map((p: { message: string }) => p.message).join(' ')).toMatch(/points outside the logdir/);
    for (const endpoint of ['overview', 'interesting', 'horizon']) {
      const res = await rawGet(server.port, `/api/${endpoint}?run=sneaky`);
      expect(leaks(res.body)).toBe(false);
    }
    const batch = await rawGet(server.port, '/api/batch?run=sneaky&batch=0');
    expect(batch.status).toBe(404);
    expect(leaks(batch.body)).toBe(false);
  });

  it('follows a symbolic link that stays inside the logdir', async () => {
    const { symlinkSync } = await import('node:fs');
    symlinkSync(path.join(fx.logdir, 'rnn-json'), path.join(fx.logdir, 'alias'));
    const { body } = await getJson(server.port, '/api/runs');
    const alias = body.runs.find((r: { id: string }) => r.id === 'alias');
    const original = body.runs.find((r: { id: string }) => r.id === 'rnn-json');
    expect(alias.records).toBe(original.records);
  });

  it('does not loop on a symbolic link back to the logdir', async () => {
    const { symlinkSync } = await import('node:fs');
    symlinkSync(fx.logdir, path.join(fx.logdir, 'loop'));
    const { status, body } = await getJson(server.port, '/api/runs');
    expect(status).toBe(200);
    expect(body.runs.some((r: { id: string }) => r.id.startsWith('loop'))).toBe(false);
  });
});
