/**
 * Ctrl-C and SIGTERM during training: the first asks the loop to stop after the current batch
 * (everything recorded is flushed and a checkpoint saved); a second one means "now", and the
 * caller's `onSecond` flushes synchronously before the process exits.
 */
export function installStopSignals(onFirst: () => void, onSecond: () => void): () => void {
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) onFirst();
    else onSecond();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
