/**
 * The viewer's thread (see {@link startViewerThread}): starts the viewer with the options it was
 * given, says where it listens (or why it cannot), and closes it when asked, then ends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RnnbowError } from '../core/errors.js';
import { startViewer } from '../viewer/index.js';
import type { ViewerThreadMessage, ViewerThreadOptions } from './viewer-thread.js';

const port = parentPort!;
const say = (m: ViewerThreadMessage) => port.postMessage(m);
try {
  const server = await startViewer(workerData as ViewerThreadOptions);
  port.on('message', (m) => {
    if (m !== 'close') return;
    void server.close().finally(() => {
      say({ kind: 'closed' });
      port.close();
    });
  });
  say({ kind: 'listening', url: server.url, port: server.port, host: server.host });
} catch (err) {
  const e = err as Error;
  say(err instanceof RnnbowError ? { kind: 'failed', rnnbow: true, code: err.code, message: err.message, hint: err.hint } : { kind: 'failed', rnnbow: false, code: '', message: e?.stack ?? e?.message ?? String(err) });
  // The thread waits to be ended: ending now, its exit could reach the training thread before
  // this message, and the user would read "exited" instead of why.
  port.on('message', () => {});
}
