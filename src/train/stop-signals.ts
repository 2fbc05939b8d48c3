/** The signals that stop a run: Ctrl-C, `kill`, and the terminal closing. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ctrl-C, SIGTERM and SIGHUP during training: the first asks the loop to stop after the current
 * batch (everything recorded is flushed and a checkpoint saved); a second one means "now", and
 * the caller's `onSecond` flushes synchronously before the process exits.
 */
export function installStopSignals(onFirst: () => void, onSecond: () => void): () => void {
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) onFirst();
    else onSecond();
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}
