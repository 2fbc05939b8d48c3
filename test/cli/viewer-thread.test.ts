import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
// Compiled (`npm test` builds first): the thread runs the compiled viewer, as the CLI does.
import { startViewerThread } from '../../dist/src/cli/viewer-thread.js';
import { ViewerError } from '../../dist/src/viewer/errors.js';
import { tempDir } from '../helpers/temp.js';

const logdir = tempDir('rnnbow-viewer-thread-');

describe('the viewer beside a training run (its own thread)', () => {
  it('answers while the thread that started it is busy, and stops on close', async () => {
    const viewer = await startViewerThread({ logdir, port: 0, host: '127.0.0.1' });
    let closed = false;
    try {
      expect(viewer.url).toBe(`http://127.0.0.1:${viewer.port}/`);
      // spawnSync holds this thread until the child ends, as a training loop holds it between
      // yields: a server on this thread could not answer the child's request.
      const script = `fetch(${JSON.stringify(`${viewer.url}api/runs`)}).then((r) => r.json()).then((b) => console.log(JSON.stringify(b.runs)))`;
      const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      expect(child.stdout.trim()).toBe('[]');
      await viewer.close();
      closed = true;
      await expect(fetch(`${viewer.url}api/runs`)).rejects.toThrow();
    } finally {
      if (!closed) await viewer.close();
    }
  });

  it('fails as the viewer does when the port is taken: one line and a hint', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const failure = await startViewerThread({ logdir, port, host: '127.0.0.1' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(ViewerError);
      expect((failure as ViewerError).message).toBe(`port ${port} on 127.0.0.1 is already in use`);
      expect((failure as ViewerError).hint).toBe('pass another --port (0 picks a free one)');
    } finally {
      taken.close();
    }
  });
});
