import { Worker } from 'node:worker_threads';
import { ViewerError } from '../viewer/errors.js';
import type { ViewerServer } from '../viewer/index.js';

/** Where the viewer listens, as `startViewer` takes it. */
export interface ViewerThreadOptions {
  /** Folder of run folders. */
  logdir: string;
  /** Port (0 = any free one). */
  port: number;
  /** Interface. */
  host: string;
}

/** What the viewer's thread says: where it listens, or why it could not. */
export type ViewerThreadMessage =
  | { kind: 'listening'; url: string; port: number; host: string }
  | { kind: 'failed'; rnnbow: boolean; code: string; message: string; hint?: string }
  | { kind: 'closed' };

/** Longest `close()` waits for the thread to close its server before it ends the thread. */
const CLOSE_WAIT_MS = 5000;

/**
 * Starts the viewer on a thread of its own, beside a training run (`train --serve`,
 * `demo --serve`). On the training thread the viewer answered only when training yielded (one
 * turn of the event loop per 50 ms of training), so a batch took 0.1-0.4 s to show and a gate's
 * chart up to a second; on its own thread it answers at once and never takes a turn from the
 * training loop. The thread keeps the process alive until {@link ViewerServer.close}.
 *
 * @throws the {@link ViewerError} that `startViewer` raised (port in use, missing logdir)
 */
export function startViewerThread(options: ViewerThreadOptions): Promise<ViewerServer> {
  const worker = new Worker(new URL('./viewer-thread-main.js', import.meta.url), { workerData: options });
  return new Promise<ViewerServer>((resolve, reject) => {
    const early = (err: Error) => reject(err);
    worker.once('error', early);
    worker.once('exit', (code) => reject(new Error(`the viewer thread exited (code ${code}) before it listened`)));
    worker.once('message', (m: ViewerThreadMessage) => {
      worker.off('error', early);
      worker.removeAllListeners('exit');
      if (m.kind === 'failed') {
        void worker.terminate();
        reject(m.rnnbow ? new ViewerError(m.code === 'LOGDIR' ? 'LOGDIR' : 'INPUT', m.message, m.hint) : new Error(m.message));
        return;
      }
      if (m.kind !== 'listening') return;
      // Later failures inside the thread are its express handler's to report; the run goes on.
      worker.on('error', (err) => process.stderr.write(`rnnbow viewer: ${err.message}\n`));
      let closing: Promise<void> | null = null;
      resolve({
        url: m.url,
        port: m.port,
        host: m.host,
        close: () =>
          (closing ??= new Promise<void>((done) => {
            const timer = setTimeout(() => void worker.terminate().then(() => done()), CLOSE_WAIT_MS);
            worker.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            worker.postMessage('close');
          })),
      });
    });
  });
}
