import { exitBySignal, receivedStopSignal } from '../train/stop-signals.js';

/**
 * Ends the process by the signal that stopped this process's run, if one did, once what was
 * printed has reached the terminal or pipe: exit status 130 after Ctrl-C, so a shell script that
 * loops over runs stops there instead of starting the next run. Called after a run's result and
 * after a run's error alike (a run stopped by Ctrl-C whose final checkpoint then found the disk
 * full is still a run the user stopped).
 */
export async function exitIfStoppedBySignal(): Promise<void> {
  const signal = receivedStopSignal();
  if (!signal) return;
  const written = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
  // A stream that never calls back (a stalled pipe) must not keep the process from exiting.
  await Promise.race([Promise.all([written(process.stdout), written(process.stderr)]), new Promise((r) => setTimeout(r, 2000))]);
  exitBySignal(signal);
}
