import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_HOST, DEFAULT_PORT } from '../../viewer/defaults.js';
import type { ViewerServer } from '../../viewer/index.js';
import { collect, parseInteger } from '../parse.js';
import { untilSignal } from '../until-signal.js';

/** Flags of `rnnbow serve`. */
export interface ServeFlags {
  /** Folder of run folders. */
  logdir: string;
  /** Port (0 = any free one). */
  port: number;
  /** Interface to listen on. */
  host: string;
  /** Plugins to load first (checked like `train`/`itemize` do, so one command line works everywhere). */
  plugin?: string[];
}

/** Commander parser for a port (0 = any free port). */
export function parsePort(value: string): number {
  const n = parseInteger(value);
  if (n < 0 || n > 65535) throw new InvalidArgumentError('expected a port between 0 and 65535');
  return n;
}

/** True for addresses only this machine can reach. */
export function isLocalHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** The viewer's address, opening `runId` when given. */
export function viewerUrl(server: Pick<ViewerServer, 'url'>, runId?: string): string {
  return runId ? `${server.url}?run=${encodeURIComponent(runId)}` : server.url;
}

/** The lines printed when a viewer starts (the URL opens `runId` when given). */
export function viewerBanner(server: Pick<ViewerServer, 'url' | 'host'>, logdir: string, runId?: string): string {
  const lines = [`rnnbow viewer: ${viewerUrl(server, runId)}  (logdir ${logdir})`];
  if (!isLocalHost(server.host)) {
    lines.push(`  warning: listening on ${server.host}: other machines can read every run under ${logdir}`);
  }
  return lines.join('\n') + '\n';
}

/** `rnnbow serve`: the RNNbow viewer over a logdir, until Ctrl-C. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the RNNbow viewer (a web page) for the runs under a logdir; new batches appear live')
    .option('--logdir <dir>', 'folder of run folders (JSON or TensorBoard exports)', 'runs')
    .option('--port <n>', `port (0 = any free port)`, parsePort, DEFAULT_PORT)
    .option('--host <address>', 'interface to listen on; 0.0.0.0 exposes the viewer to your network', DEFAULT_HOST)
    .option('--plugin <path|package>', 'load a plugin (repeatable), as train and itemize do', collect)
    .action(async (flags: ServeFlags) => {
      if (flags.plugin?.length) await (await import('../../builtins.js')).createRegistry(flags.plugin);
      // Imported here: express and the API take a third of a second to load, which `--help` need not pay.
      const { startViewer } = await import('../../viewer/index.js');
      const server = await startViewer({ logdir: flags.logdir, port: flags.port, host: flags.host });
      process.stdout.write(viewerBanner(server, flags.logdir) + '  press Ctrl-C to stop\n');
      await untilSignal();
      await server.close();
    });
}
