import type { Command } from 'commander';
import { ConfigError, formatError } from '../core/errors.js';
import { DEFAULT_HOST, DEFAULT_PORT } from '../viewer/defaults.js';
import type { ViewerServer } from '../viewer/index.js';
import { parsePort, viewerBanner } from './commands/serve.js';

/** Flags of `rnnbow train` and `rnnbow demo` that start the viewer beside the run. */
export interface ServeBesideFlags {
  /** Start the viewer on the logdir while training. */
  serve?: boolean;
  /** Viewer port. */
  port?: number;
  /** Viewer interface. */
  host?: string;
}

/** Adds `--serve`, `--port` and `--host`; `serve` says what `--serve` does for this command. */
export function addServeBesideOptions(command: Command, serve: string): Command {
  return command
    .option('--serve', serve)
    .option('--port <n>', `viewer port with --serve (default ${DEFAULT_PORT}; 0 = any free port)`, parsePort)
    .option('--host <address>', `viewer interface with --serve (default ${DEFAULT_HOST})`);
}

/** The viewer a command starts beside its run, once the run folder exists. */
export interface ViewerBeside {
  /** The trainer's `onStart` hook (undefined without `--serve`). */
  readonly onStart?: (run: { logdir: string; runId: string }) => Promise<void>;
  /** The viewer, once it started (it may not: a taken port leaves the run without one). */
  readonly server: () => ViewerServer | undefined;
  /** Stops the viewer, if it started. */
  close(): Promise<void>;
}

/**
 * The viewer for `--serve`. Checked before anything starts: `--port` or `--host` alone would
 * change nothing, and the user would look for a viewer that never starts. A viewer that cannot
 * start is reported and the run goes on without it, since the run is set up by then and the
 * training matters more than watching it.
 */
export function viewerBeside(flags: ServeBesideFlags): ViewerBeside {
  if (!flags.serve && (flags.port !== undefined || flags.host !== undefined)) {
    throw new ConfigError(`${flags.port !== undefined ? '--port' : '--host'} sets the viewer that --serve starts`, 'add --serve, or run rnnbow serve beside the run');
  }
  let server: ViewerServer | undefined;
  const onStart = flags.serve
    ? async ({ logdir, runId }: { logdir: string; runId: string }) => {
        try {
          // On a thread of its own, which loads express and the API (a third of a second) there.
          const { startViewerThread } = await import('./viewer-thread.js');
          server = await startViewerThread({ logdir, port: flags.port ?? DEFAULT_PORT, host: flags.host ?? DEFAULT_HOST });
          process.stdout.write(viewerBanner(server, logdir, runId));
        } catch (err) {
          process.stderr.write(`${formatError(err)}\n  training continues without the viewer\n`);
        }
      }
    : undefined;
  return {
    onStart,
    server: () => server,
    async close() {
      await server?.close();
      server = undefined;
    },
  };
}
