import { DEFAULT_RECORDER, type PartConfig } from '../core/config.js';
import { parsePairs } from './parse.js';

/** The recorder flags of `rnnbow train` (each optional). */
export interface RecorderFlags {
  /** `--recorder NAME`: the recorder that itemizes (wrapped in `periodic` unless `--every 1`). */
  recorder?: string;
  /** `--k N`: the recorder's truncation. */
  k?: number;
  /** `--every N`: itemize every N-th batch. */
  every?: number;
  /** false for `--no-residual`. */
  residual?: boolean;
  /** `--recorder-opt key=value`, repeatable. */
  recorderOpt?: string[];
}

/** What `periodic` itemizes when a config leaves `every` out (the recorder's own default). */
const PERIODIC_DEFAULT_EVERY = 100;

/**
 * The run's recorder: `base` (the config file's, else the default) with the flags laid over it.
 * A flag changes only what it names, as flags do for every other config value: `--k 3` over a
 * config's `periodic(every=50, truncated(k=10))` gives `periodic(every=50, truncated(k=3))`.
 * `--recorder NAME` naming another recorder than the base's starts from that recorder's own
 * defaults (options of one recorder mean nothing to another).
 */
export function recorderFromFlags(flags: RecorderFlags, base: PartConfig = DEFAULT_RECORDER): PartConfig {
  const touched = flags.recorder !== undefined || flags.k !== undefined || flags.every !== undefined || flags.residual === false || flags.recorderOpt?.length;
  if (!touched) return base;
  const pairs = parsePairs(flags.recorderOpt ?? []);
  const given = { ...pairs, ...(flags.k !== undefined ? { k: flags.k } : {}), ...(flags.residual === false ? { residual: false } : {}) };
  if (flags.recorder === 'periodic') {
    // The schedule itself, configured through --recorder-opt (every, offset).
    const own = base.name === 'periodic' ? base.options : {};
    return { name: 'periodic', options: { ...own, ...given, ...(flags.every !== undefined ? { every: flags.every } : {}) } };
  }
  const { every: baseEvery, inner: baseInner, schedule } = unwrap(base);
  const inner = flags.recorder === undefined || flags.recorder === baseInner.name ? baseInner : { name: flags.recorder };
  const options = { ...(inner.options ?? {}), ...given };
  const every = flags.every ?? baseEvery;
  const recorder: PartConfig = { name: inner.name, options };
  if (every === 1) return recorder;
  return { name: 'periodic', options: { ...schedule, every, inner: recorder } };
}

/** A recorder as (how often, what, the rest of the schedule's options): a bare recorder runs every batch. */
function unwrap(base: PartConfig): { every: number; inner: PartConfig; schedule: Record<string, unknown> } {
  if (base.name !== 'periodic') return { every: 1, inner: base, schedule: {} };
  const { every, inner, ...schedule } = base.options ?? {};
  return {
    every: typeof every === 'number' ? every : PERIODIC_DEFAULT_EVERY,
    inner: isPart(inner) ? inner : { name: 'truncated' },
    schedule,
  };
}

function isPart(v: unknown): v is PartConfig {
  return typeof v === 'object' && v !== null && typeof (v as PartConfig).name === 'string';
}
