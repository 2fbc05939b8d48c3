import { ConfigError, definePlugin } from 'rnnbow';
import { chooseK, cutRecord } from './adaptive-k.js';

/**
 * @param {Record<string, unknown>} options
 * @param {string} key
 * @param {number} fallback
 * @returns {number}
 */
function numberOption(options, key, fallback) {
  const value = options[key];
  if (value === undefined || value === null) return fallback;
  const num = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof num !== 'number' || !Number.isFinite(num)) {
    throw new ConfigError(`recorder "adaptive-k": option "${key}" must be a number, got ${JSON.stringify(value)}`);
  }
  return num;
}

/**
 * Records every batch it is asked to up to distance `kMax` (with the residual beyond), then, in
 * `finalize`, cuts each record down to the smallest k at which what truncation drops is at most
 * `epsilon` times the batch's largest bar: the gradient horizon of that batch, as the paper's
 * section 4.2.2 proposes. Wrap it in `periodic` to record every P-th batch.
 *
 * Options: `epsilon` (default 0.05, in (0, 1)), `kMax` (default min(n - 1, 10)).
 *
 * @type {import('rnnbow').RecorderDefinition}
 */
export const adaptiveKRecorder = {
  name: 'adaptive-k',
  description: 'itemize up to kMax, then keep the smallest k whose dropped gradient is below epsilon (options epsilon, kMax)',
  create(options, ctx) {
    const epsilon = numberOption(options, 'epsilon', 0.05);
    if (!(epsilon > 0 && epsilon < 1)) throw new ConfigError(`recorder "adaptive-k": option "epsilon" must be in (0, 1), got ${epsilon}`);
    const kMax = numberOption(options, 'kMax', Math.min(ctx.seqLength - 1, 10));
    if (!Number.isInteger(kMax) || kMax < 0) throw new ConfigError(`recorder "adaptive-k": option "kMax" must be an integer >= 0, got ${kMax}`);
    const full = kMax >= ctx.seqLength - 1;
    return {
      description: `adaptive-k(epsilon=${epsilon}, kMax=${full ? ctx.seqLength - 1 : kMax})`,
      plan: () => ({ k: full ? null : kMax, residual: !full }),
      finalize: (record) => cutRecord(record, chooseK(record.params[record.primary], epsilon, record.k ?? record.n - 1)),
    };
  },
};

/** The plugin: one recorder, `adaptive-k`. Load it with `--plugin ./plugins/adaptive-k-recorder`. */
export default definePlugin({ name: 'adaptive-k-recorder', recorders: [adaptiveKRecorder] });
