import { tfjs } from '../tfjs.js';

/**
 * Like `tf.tidy` for functions that return plain data: every tensor created inside is disposed
 * when `fn` returns or throws, so memory stays flat however long a run is.
 */
export function scoped<T>(fn: () => T): T {
  tfjs.engine().startScope();
  try {
    return fn();
  } finally {
    tfjs.engine().endScope();
  }
}
