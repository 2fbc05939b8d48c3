import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../../src/core/package-root.js';

/** Where .ci/run (and developers) install TensorBoard: a Python venv at the package root. */
export function tensorboardBinary(): string {
  return join(packageRoot(), '.venv', 'tensorboard', 'bin', 'tensorboard');
}

/** True when the TensorBoard venv exists. */
export function tensorboardInstalled(): boolean {
  return existsSync(tensorboardBinary());
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A running TensorBoard server. */
export interface TensorBoardServer {
  /** Base URL, e.g. http://127.0.0.1:6123. */
  readonly url: string;
  /** GET a JSON endpoint. */
  getJson<T = unknown>(path: string): Promise<T>;
  /** POST JSON to an endpoint and parse the JSON answer. */
  postJson<T = unknown>(path: string, body: unknown): Promise<T>;
  /** GET raw bytes. */
  getBytes(path: string): Promise<Buffer>;
  /** Stops the server and waits for the process to end. */
  stop(): Promise<void>;
  /** Its output so far (for failure messages). */
  output(): string;
}

/**
 * Which of TensorBoard's loaders reads the event files: `fast` is its Rust data server, the
 * default wherever it is installed (pip installs it with tensorboard), `python` the older reader
 * (`--load_fast=false`). They accept different things: the fast one drops a DT_DOUBLE scalar.
 */
export type TensorBoardLoader = 'fast' | 'python';

/**
 * Starts the real TensorBoard on `logdir` (127.0.0.1, a free port) and waits until it answers.
 * `fast` insists on the data server (`--load_fast=true` fails when it is missing rather than
 * falling back). Sample limits are large rather than 0: TensorBoard 2.21 also uses them to
 * downsample HTTP answers, and 0 there means "return nothing".
 */
export async function startTensorBoard(logdir: string, loader: TensorBoardLoader, timeoutMs = 90_000): Promise<TensorBoardServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    tensorboardBinary(),
    [
      '--logdir', logdir,
      '--host', '127.0.0.1',
      '--port', String(port),
      '--samples_per_plugin=scalars=100000,histograms=100000,images=100000,text=100000',
      `--load_fast=${loader === 'fast'}`,
      '--reload_interval=1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } },
  );
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };
  const check = async (res: Response, path: string) => {
    if (!res.ok) throw new Error(`TensorBoard ${path}: HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`);
    return res;
  };
  const server: TensorBoardServer = {
    url,
    getJson: async <T>(path: string) => (await (await check(await fetch(url + path), path)).json()) as T,
    postJson: async <T>(path: string, body: unknown) =>
      (await (await check(await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }), path)).json()) as T,
    getBytes: async (path: string) => Buffer.from(await (await check(await fetch(url + path), path)).arrayBuffer()),
    stop,
    output: () => log,
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`TensorBoard exited before answering:\n${log}`);
    try {
      const res = await fetch(`${url}/data/runs`);
      if (res.ok) return server;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`TensorBoard did not answer within ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
