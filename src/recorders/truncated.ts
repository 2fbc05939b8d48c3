import { boolOption, intOption, knownOptions } from '../core/options.js';
import type { RecorderDefinition } from '../core/recorder.js';

/**
 * Keeps distances d = t - j <= k (the paper's truncated itemization, O(n k H²)); k = 0 keeps only
 * the local term, k >= n - 1 is full. With `residual` (default on) it also measures what the
 * truncation dropped at each step, the paper's S_k error.
 *
 * Options: `k` (integer >= 0, default 5) and `residual` (boolean, default true). Bad or unknown
 * options throw a {@link ConfigError}. It itemizes every batch it is asked about; wrap it in
 * {@link periodicRecorder} to record only some.
 *
 * @category Recorder plugins
 */
export const truncatedRecorder: RecorderDefinition = {
  name: 'truncated',
  description: 'itemize distances d <= k (option k, default 5; residual=true measures what is dropped)',
  create: (options, ctx) => {
    knownOptions('recorder "truncated"', options, ['k', 'residual']);
    const k = intOption('recorder "truncated"', options, 'k', 5, 0)!;
    const residual = boolOption('recorder "truncated"', options, 'residual', true);
    const full = k >= ctx.seqLength - 1;
    return {
      description: full ? `truncated(k=${k}, = full)` : `truncated(k=${k})`,
      plan: () => ({ k: full ? null : k, residual: residual && !full }),
    };
  },
};
