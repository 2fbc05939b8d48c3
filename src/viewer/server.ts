import { createServer, type Server } from 'node:http';
import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { apiRouter } from './api.js';
import { loadAssets } from './assets.js';
import { ViewerError } from './errors.js';
import { LogdirIndex, type RefreshIntervals } from './logdir-index.js';
import { isLoopbackAddress, isLoopbackHostHeader } from './loopback-host.js';
import { SafeRoot } from './safe-root.js';
import { DEFAULT_HOST, DEFAULT_PORT } from './defaults.js';

/**
 * Options of {@link startViewer}.
 *
 * @category Viewer
 */
export interface ViewerOptions {
  /** Folder holding run folders (or one run folder). */
  logdir: string;
  /** Port (default {@link DEFAULT_PORT}, 6007; 0 picks a free one, see {@link ViewerServer.port}). */
  port?: number;
  /**
   * Interface to bind (default {@link DEFAULT_HOST}, 127.0.0.1: only this machine can connect).
   * On a loopback host, requests whose `Host` header is not a loopback name are refused, which
   * keeps web pages from reaching the viewer through DNS rebinding.
   */
  host?: string;
  /** How often the logdir and runs are rescanned, at most (ms). */
  refresh?: Partial<RefreshIntervals>;
}

/**
 * A running viewer.
 *
 * @category Viewer
 */
export interface ViewerServer {
  /** Address to open, e.g. `http://127.0.0.1:6007/`. */
  url: string;
  /** Port bound (the one chosen when `port` was 0). */
  port: number;
  /** Interface bound. */
  host: string;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

export { DEFAULT_HOST, DEFAULT_PORT };

/** `text` as one shell word, so a hint's command can be pasted as it is (`'my runs'`). */
function shellWord(text: string): string {
  return /^[\w./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The express app of the viewer: the page, d3, and the JSON API under `/api`, with security headers.
 * Exported for tests; {@link startViewer} is what programs call.
 */
export async function createViewerApp(options: Pick<ViewerOptions, 'logdir' | 'refresh' | 'host'>): Promise<Express> {
  let root: SafeRoot;
  try {
    root = await SafeRoot.open(options.logdir);
  } catch {
    const dir = shellWord(options.logdir);
    throw new ViewerError('LOGDIR', `logdir ${options.logdir} does not exist`, `pass --logdir DIR, the folder runs are trained into; to watch a run before it starts: rnnbow train --logdir ${dir} --serve, or mkdir ${dir} first`);
  }
  // Refused here, as `inspect` refuses it: served, a file would only say `cannot list: ENOTDIR` on the page.
  if (!(await stat(root.real)).isDirectory()) {
    throw new ViewerError('LOGDIR', `logdir ${options.logdir} is a file, not a folder`, 'pass the folder given to --logdir when training (e.g. runs)');
  }
  const index = new LogdirIndex(root, { listMs: 2000, runMs: 1000, ...options.refresh });
  const assets = loadAssets();
  const loopbackOnly = isLoopbackAddress(options.host ?? DEFAULT_HOST);
  const app = express();
  app.disable('x-powered-by');
  // API answers are never cached (no-store), so hashing every body for an ETag is wasted work;
  // only the run lists, polled every 2 s, tag themselves (api.ts) so an unchanged list is a 304.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Plain http on the local machine: nothing to upgrade, and upgrading would break it.
          'upgrade-insecure-requests': null,
          'img-src': ["'self'", 'data:', 'blob:'],
        },
      },
      strictTransportSecurity: false,
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.status(405).set('Allow', 'GET, HEAD').json({ error: 'the viewer is read-only' });
      return;
    }
    // A page on another site that rebinds its DNS name to 127.0.0.1 must not read the API.
    if (loopbackOnly && !isLoopbackHostHeader(req.headers.host)) {
      res.status(403).json({ error: 'unexpected Host header; open the viewer at 127.0.0.1 or localhost' });
      return;
    }
    next();
  });
  app.use('/api', (_req: Request, res: Response, next: NextFunction) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use('/api', apiRouter(index));
  app.get(/.*/, (req: Request, res: Response) => {
    const asset = assets.get(req.path);
    if (!asset) {
      res.status(404).type('text/plain').send('not found');
      return;
    }
    res.set('Cache-Control', 'no-cache').type(asset.type).send(asset.body);
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    // Details stay in the server's log; the page gets one line.
    process.stderr.write(`rnnbow viewer: ${(err as Error)?.stack ?? String(err)}\n`);
    if (!res.headersSent) res.status(500).json({ error: `internal error: ${(err as Error)?.message ?? String(err)}` });
  });
  return app;
}

/**
 * Starts the viewer on `host:port` and resolves once it listens: what `rnnbow serve` runs. It
 * reads the JSON and TensorBoard runs under `logdir` and picks up runs and records as training
 * writes them. Call {@link ViewerServer.close} to stop it.
 *
 * @example
 * ```ts
 * import { startViewer } from 'rnnbow';
 *
 * const viewer = await startViewer({ logdir: 'runs', port: 0 });
 * console.log(`open ${viewer.url}`);
 * // ... later
 * await viewer.close();
 * ```
 *
 * @throws {@link ViewerError} (code `LOGDIR`) when `logdir` is missing or a file, and (code
 * `INPUT`) when the port is taken or the host cannot be bound; other listen errors as Node
 * raises them.
 *
 * @category Viewer
 */
export async function startViewer(options: ViewerOptions): Promise<ViewerServer> {
  const host = options.host ?? DEFAULT_HOST;
  const app = await createViewerApp({ ...options, host });
  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new ViewerError('INPUT', `port ${options.port ?? DEFAULT_PORT} on ${host} is already in use`, 'pass another --port (0 picks a free one)'));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new ViewerError('INPUT', `cannot listen on ${host}: ${err.code}`, 'pass --host 127.0.0.1'));
      else reject(err);
    });
    server.listen(options.port ?? DEFAULT_PORT, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${port}/`,
    port,
    host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
