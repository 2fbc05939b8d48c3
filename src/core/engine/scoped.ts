import * as tf from '@tensorflow/tfjs';

/**
 * Like `tf.tidy` for functions that return plain data: every tensor created inside is disposed
 * when `fn` returns or throws, so memory stays flat however long a run is.
 */
export function scoped<T>(fn: () => T): T {
  tf.engine().startScope();
  try {
    return fn();
  } finally {
    tf.engine().endScope();
  }
}
