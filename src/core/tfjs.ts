import { createRequire } from 'node:module';
import type * as Tfjs from '@tensorflow/tfjs';

const require = createRequire(import.meta.url);
let loaded: typeof Tfjs | undefined;

/**
 * Loads `@tensorflow/tfjs` (once) and returns it. Loading takes about half a second, and only the
 * reference engine runs tfjs ops (plugin cells, `--engine tfjs`, the load-time probe of a plugin
 * cell): the built-in cells train on the fused kernels, and `--help`, `serve` or `inspect` never
 * need it. A plugin that imports `@tensorflow/tfjs` itself gets this same instance: the package's
 * entry point is CommonJS, so both go through one module cache.
 */
export function loadTfjs(): typeof Tfjs {
  if (!loaded) {
    loaded = require('@tensorflow/tfjs') as typeof Tfjs;
    // Production mode silences tfjs's console banner ("install the node backend"), which would
    // garble the CLI's one-line errors and progress bar, and skips debug-only checks.
    loaded.enableProdMode();
  }
  return loaded;
}

/** `@tensorflow/tfjs` as a namespace that {@link loadTfjs loads} it when a member is first used. */
export const tfjs: typeof Tfjs = new Proxy({} as typeof Tfjs, {
  get: (_target, key) => loadTfjs()[key as keyof typeof Tfjs],
});
