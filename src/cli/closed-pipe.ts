/**
 * `rnnbow train … | head` closes the pipe while training goes on. Node then raises EPIPE on the
 * next write to stdout or stderr as an unhandled 'error' event, which killed the process before
 * the run flushed its records or saved a checkpoint. Output to a closed pipe or a closed terminal
 * is simply dropped: nobody is reading it, and the run's files are what matter.
 */
export function survivePipeClose(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      // EIO: the terminal is gone (SIGHUP), which stops the run like Ctrl-C.
      if (err.code === 'EPIPE' || err.code === 'EIO' || err.code === 'ERR_STREAM_DESTROYED') return;
      throw err;
    });
  }
}
