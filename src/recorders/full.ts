import { ConfigError } from '../core/errors.js';
import { knownOptions } from '../core/options.js';
import type { RecorderDefinition } from '../core/recorder.js';

/** Options that belong to `truncated`; given to `full` they are a mistake worth its own message. */
const TRUNCATION_OPTIONS = ['k', 'residual'];

/**
 * Itemizes every batch completely: all distances, O(n² H²) per sequence. It takes no options
 * (`k` or `residual` throw a {@link ConfigError} pointing to {@link truncatedRecorder}). Wrap
 * it in {@link periodicRecorder} to record only some batches.
 *
 * @category Recorder plugins
 */
export const fullRecorder: RecorderDefinition = {
  name: 'full',
  description: 'itemize every distance of every batch (O(n^2 H^2) per sequence)',
  create: (options) => {
    // `--recorder full --k 3` puts k here: say why it is refused rather than just "unknown".
    const truncation = TRUNCATION_OPTIONS.find((key) => key in options);
    if (truncation) {
      throw new ConfigError(
        `recorder "full": option "${truncation}" does not apply to full, which keeps every distance`,
        'use --recorder truncated (or {"name": "truncated"}) to keep distances d <= k',
      );
    }
    knownOptions('recorder "full"', options, []);
    return {
      description: 'full',
      plan: () => ({ k: null, residual: false }),
    };
  },
};
