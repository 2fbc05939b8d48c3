import { constants } from 'node:os';

/** The signals that stop a run: Ctrl-C, `kill`, and the terminal closing. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** One of {@link STOP_SIGNALS}. */
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** What {@link installStopSignals} calls as signals arrive. */
export interface StopSignalHandlers {
  /** The first signal while training: stop after the current batch, then save and close. */
  onStop(signal: StopSignal): void;
  /**
   * A second signal, or the first once the run is saving its checkpoint and closing its files:
   * the run is stopping already, so the user is told to wait (or to signal once more).
   */
  onWait(signal: StopSignal): void;
  /** A signal after that: quit now. Must not return (it flushes synchronously, then exits). */
  onForce(signal: StopSignal): void;
}

/** The handlers {@link installStopSignals} installed. */
export interface StopSignals {
  /** The first signal received, if any: the one the process exits by once the run is closed. */
  readonly received: StopSignal | undefined;
  /** The run is now saving and closing: a first signal from now on is told to wait ({@link StopSignalHandlers.onWait}). */
  closing(): void;
  /** Removes the handlers. */
  uninstall(): void;
}

/**
 * Ctrl-C, SIGTERM and SIGHUP during a run: the first asks the loop to stop after the current
 * batch (everything recorded is flushed and a checkpoint saved); the second is acknowledged; a
 * third means "now". The second only waits because signals are handled between pieces of
 * synchronous work: two presses during a large checkpoint's write (seconds) arrive together, and
 * quitting at the second would drop the run's final checkpoint and summary, the very work the
 * user is waiting for. A first signal while the run is already closing is acknowledged likewise.
 *
 * The handlers stay installed until the run is closed: without them a signal during the final
 * save would end the process on the spot, with the newest records still in the exporters' buffers.
 */
export function installStopSignals(handlers: StopSignalHandlers): StopSignals {
  let received: StopSignal | undefined;
  firstReceived = undefined;
  let phase: 'training' | 'closing' = 'training';
  let waited = false;
  const handler = (signal: StopSignal) => {
    if (received === undefined) {
      received = signal;
      firstReceived = signal;
      if (phase === 'training') return handlers.onStop(signal);
      waited = true;
      return handlers.onWait(signal);
    }
    if (!waited) {
      waited = true;
      return handlers.onWait(signal);
    }
    handlers.onForce(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    get received() {
      return received;
    },
    closing() {
      phase = 'closing';
    },
    uninstall() {
      for (const signal of STOP_SIGNALS) process.off(signal, handler);
    },
  };
}

/** The first stop signal of the newest {@link installStopSignals}, kept after its handlers are removed. */
let firstReceived: StopSignal | undefined;

/**
 * The signal that stopped the newest run that handled signals, if one did: a run that then fails
 * (its final checkpoint cannot be written, say) ends in an error rather than a result, and the CLI
 * still exits by the signal after reporting it, as a run stopped by Ctrl-C should.
 */
export function receivedStopSignal(): StopSignal | undefined {
  return firstReceived;
}

/**
 * Ends the process the way `signal` would have, after its handlers did their work: the shell then
 * sees a process killed by Ctrl-C (`$?` 130), and a script looping over runs stops instead of
 * starting the next one, as it does when a child merely exits with a status. Where the signal
 * does not end the process, the exit status says it (128 + its number).
 */
export function exitBySignal(signal: StopSignal): never {
  // A progress bar may have hidden the terminal's cursor, and a process ended by a signal runs
  // no exit handlers that would show it again.
  if (process.stderr.isTTY) process.stderr.write('\x1b[?25h');
  for (const s of STOP_SIGNALS) process.removeAllListeners(s);
  // Windows has no signals to end by (process.kill there only kills, or throws for SIGHUP): the
  // status alone says it.
  if (process.platform !== 'win32') process.kill(process.pid, signal);
  process.exit(128 + constants.signals[signal]);
}
