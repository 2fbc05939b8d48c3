/**
 * The viewer server alone in a child process, for {@link benchViewerLoad}: the load generator runs
 * in the parent so both do not share one event loop, and the memory reported is the server's own.
 * Messages: it sends `{ url }` once listening; it answers `'memory'` with `{ memory }` (after a GC
 * when --expose-gc is on) and exits on `'stop'`.
 */
import { startViewer } from '../src/viewer/index.js';

const logdir = process.argv[2];
const server = await startViewer({ logdir, port: 0 });
process.send!({ url: server.url });
process.on('message', async (message) => {
  if (message === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({ memory: process.memoryUsage() });
  } else if (message === 'stop') {
    await server.close();
    process.exit(0);
  }
});
