import { ConfigError } from '../core/errors.js';
import { intOption, knownOptions } from '../core/options.js';
import type { RecorderDefinition, RecorderSpec } from '../core/recorder.js';

/**
 * Records every P-th batch (batches `offset`, `offset` + P, `offset` + 2P, ...) with an inner recorder;
 * the others run plain BPTT, dividing the recording cost by P.
 *
 * Options: `every` (P, an integer >= 1, default 100), `offset` (integer >= 0, default 0) and
 * `inner`, a {@link RecorderSpec} (default `{name: 'truncated'}`, i.e. k = 5); the inner
 * recorder's `finalize` is kept. Bad or unknown options throw a {@link ConfigError}.
 * {@link DEFAULT_RECORDER} is this recorder.
 *
 * @category Recorder plugins
 */
export const periodicRecorder: RecorderDefinition = {
  name: 'periodic',
  description: 'record every P-th batch with an inner recorder (options every, offset, inner)',
  create: (options, ctx) => {
    // The inner recorder checks its own options when ctx.create builds it.
    knownOptions('recorder "periodic"', options, ['every', 'offset', 'inner']);
    const every = intOption('recorder "periodic"', options, 'every', 100, 1)!;
    const offset = intOption('recorder "periodic"', options, 'offset', 0, 0)!;
    const innerSpec = (options.inner ?? { name: 'truncated' }) as RecorderSpec;
    if (typeof innerSpec !== 'object' || typeof innerSpec.name !== 'string') {
      throw new ConfigError('recorder "periodic": option "inner" must be a recorder spec like {"name": "truncated", "options": {"k": 5}}');
    }
    const inner = ctx.create(innerSpec);
    return {
      description: `periodic(every=${every}${offset ? `, offset=${offset}` : ''}, ${inner.description})`,
      plan: (batch) => (batch >= offset && (batch - offset) % every === 0 ? inner.plan(batch) : null),
      finalize: inner.finalize?.bind(inner),
    };
  },
};
