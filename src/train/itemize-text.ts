import { createRegistry } from '../builtins.js';
import { BACKENDS, type BackendName } from '../core/backend.js';
import type { CellDefinition } from '../core/cell.js';
import { loadCheckpoint } from '../core/checkpoint.js';
import { ENGINE_PREFERENCES, REDUCTIONS, type EnginePreference, type Reduction } from '../core/engine.js';
import { knownOptions } from '../core/options.js';
import { createEngineWithBackend, engineSlots } from '../core/engine/create-engine.js';
import type { ItemizedSlot } from '../core/engine/itemization-builder.js';
import { ConfigError, RnnbowError } from '../core/errors.js';
import { zeroState } from '../core/model.js';
import { sizeOf, zerosLike, type ParamStore, type ParamTensor } from '../core/params.js';
import type { PartRegistry } from '../core/registry.js';
import { Vocabulary } from '../data/vocabulary.js';

/**
 * How {@link itemizeText} summarises each G_{t,j}: `none` returns the full matrices (in each
 * parameter's shape, O(n² · parameters) numbers); a {@link Reduction} returns one number per (t, j).
 *
 * @category Checkpoints and itemizing
 */
export type ItemizeReduction = Reduction | 'none';

/**
 * Options of {@link itemizeText}.
 *
 * @category Checkpoints and itemizing
 */
export interface ItemizeTextOptions {
  /** How each G_{t,j} is summarised (default `l2`). */
  reduction?: ItemizeReduction;
  /** Registry to resolve the checkpoint's cell (default: built-ins). */
  registry?: PartRegistry;
  /** Engine preference (default `auto`). */
  engine?: EnginePreference;
  /** tfjs backend (default `auto`). */
  backend?: BackendName;
  /**
   * Called once the checkpoint and text are checked, before the O(n²) pass, with what the output
   * will hold; it may throw to refuse (the CLI refuses an output too large for one JSON file
   * there, before minutes of work and gigabytes of memory).
   */
  onPlan?: (plan: ItemizePlan) => void;
}

/**
 * What an itemization is about to compute, passed to {@link ItemizeTextOptions.onPlan}.
 *
 * @category Checkpoints and itemizing
 */
export interface ItemizePlan {
  /** Steps n = text length - 1. */
  n: number;
  /** Step pairs (t, j) with j <= t: n(n+1)/2. */
  pairs: number;
  /** Numbers the output will hold: every itemized value, gradient entry, loss and prediction. */
  numbers: number;
}

/**
 * A nested array in a parameter's own shape.
 *
 * @category Checkpoints and itemizing
 */
export type Nested = number[] | number[][];

/**
 * The JSON `rnnbow itemize` writes.
 *
 * @category Checkpoints and itemizing
 */
export interface ItemizeOutput {
  /** Format tag. */
  format: 'rnnbow-itemize';
  /** Format version. */
  version: 1;
  /** Cell of the checkpoint (its {@link CellDefinition.name}). */
  cell: string;
  /** The text itemized. */
  text: string;
  /** Steps n = text length - 1. */
  n: number;
  /** Reduction used. */
  reduction: ItemizeReduction;
  /** Sum of the per-step losses, in nats: the L whose gradient `gradients` holds. */
  loss: number;
  /** Per-step cross-entropy `[n]`, in nats; `losses[t]` is the loss of predicting text[t + 1]. */
  losses: number[];
  /** Argmax prediction ids `[n]`. */
  predictions: number[];
  /**
   * Full BPTT gradient dL/dθ per parameter (every parameter, itemized or not, including the
   * output head), in the parameter's shape. For each itemized parameter it equals the sum of its
   * full `itemized` matrices over t and j: the invariant `rnnbow itemize` lets you check.
   */
  gradients: Record<string, Nested>;
  /**
   * `itemized[p][t][j]` for 0 <= j <= t: a matrix of the parameter's shape (`none`) or a number.
   * Indexed by the step j the gradient reaches, not by the distance d = t - j that
   * {@link RecordedParam.byDistance} and {@link ItemizedParam.byDistance} use: row t has t + 1
   * entries, `itemized[p][t][t]` is the local term.
   */
  itemized: Record<string, (Nested | number)[][]>;
  /**
   * Per-gate split of `itemized` for gated parameters, `gates[p][gate][t][j]` (reductions other
   * than `none`; absent for cells without gated parameters).
   */
  gates?: Record<string, Record<string, number[][]>>;
}

const REDUCTION_NAMES: readonly ItemizeReduction[] = ['none', ...REDUCTIONS];
const OPTION_KEYS = ['reduction', 'registry', 'engine', 'backend', 'onPlan'];

/** Refuses what the library call would otherwise take silently (a typo'd option, `reduction: 'L2'`). */
function checkOptions(text: unknown, options: ItemizeTextOptions): void {
  if (typeof text !== 'string') throw new ConfigError(`itemizeText: the text must be a string, got ${typeof text}`);
  knownOptions('itemizeText', options as Record<string, unknown>, OPTION_KEYS);
  const oneOf = (name: string, value: unknown, allowed: readonly string[]) => {
    if (value !== undefined && !allowed.includes(value as string)) throw new ConfigError(`itemizeText: ${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  };
  oneOf('reduction', options.reduction, REDUCTION_NAMES);
  oneOf('engine', options.engine, ENGINE_PREFERENCES);
  oneOf('backend', options.backend, BACKENDS);
  if (options.onPlan !== undefined && typeof options.onPlan !== 'function') throw new ConfigError('itemizeText: onPlan must be a function');
}

/**
 * Numbers an {@link ItemizeOutput} holds for these slots, parameters, n and reduction: the size
 * {@link ItemizePlan.numbers} reports, computed without running anything, to bound memory or
 * file size up front.
 *
 * @category Checkpoints and itemizing
 */
export function itemizeOutputNumbers(slots: readonly ItemizedSlot[], params: ParamStore, n: number, reduction: ItemizeReduction): number {
  const pairs = (n * (n + 1)) / 2;
  let numbers = 2 * n;
  for (const p of Object.values(params)) numbers += sizeOf(p.shape);
  for (const slot of slots) {
    for (const name of slot.bias ? [slot.param, slot.bias] : [slot.param]) {
      const perPair = reduction === 'none' ? sizeOf(params[name].shape) : 1 + (slot.gates?.length ?? 0);
      numbers += pairs * perPair;
    }
  }
  return numbers;
}

function nest(data: ArrayLike<number>, shape: readonly number[]): Nested {
  if (shape.length === 1) return Array.from(data);
  const [rows, cols] = shape;
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => data[r * cols + c]));
}

/**
 * Runs `text` through a checkpoint without training (inputs text[0..n-1], targets text[1..n],
 * h0 = 0) and returns the full itemization of the sequence: `rnnbow itemize` in library form.
 * The cost is O(n² H²) time and, with `reduction: 'none'`, O(n²) full matrices of memory: use
 * {@link ItemizeTextOptions.onPlan} to refuse a text too long before the work starts.
 *
 * @example
 * ```ts
 * import { itemizeText } from 'rnnbow';
 *
 * const out = await itemizeText('runs/my-run/checkpoint.json', 'int main(void) {');
 * const horizon = out.itemized.weight_hh[out.n - 1];   // [j]: the last loss's gradient at each step j
 * ```
 *
 * @throws {@link ConfigError} for an unknown option or value (a typo'd `reduction`, say),
 * {@link CheckpointError} for a bad checkpoint, {@link UnknownPartError} when the checkpoint's cell
 * is not registered (pass a `registry` with its plugin), an {@link RnnbowError} with code `INPUT`
 * when the text has fewer than 2 characters, a {@link CorpusError} for a character outside the
 * checkpoint's vocabulary, and whatever `onPlan` throws.
 *
 * @category Checkpoints and itemizing
 */
export async function itemizeText(checkpointFile: string, text: string, options: ItemizeTextOptions = {}): Promise<ItemizeOutput> {
  checkOptions(text, options);
  const registry = options.registry ?? (await createRegistry());
  const ckpt = loadCheckpoint(checkpointFile, (name) => registry.cell(name));
  const vocab = Vocabulary.fromChars(ckpt.vocab);
  const chars = [...text];
  if (chars.length < 2) {
    throw new RnnbowError(
      'INPUT',
      `the text must have at least 2 characters (inputs and a target), got ${chars.length}`,
      'step t reads text[t] and predicts text[t+1], so a text of n+1 characters gives n steps',
    );
  }
  const ids = vocab.encode(text);
  const n = ids.length - 1;
  const reduction = options.reduction ?? 'l2';
  const dims = { inputSize: vocab.size, hiddenSize: ckpt.hiddenSize };
  const { engine } = await createEngineWithBackend(ckpt.cell, dims, options.engine, options.backend);
  const batch = { batchSize: 1, length: n, inputs: ids.slice(0, n), targets: ids.slice(1) };
  const grads = zerosLike(ckpt.params);
  let result: ReturnType<typeof engine.train>;
  try {
    if (options.onPlan) {
      const numbers = itemizeOutputNumbers(engineSlots(engine, ckpt.cell, dims), ckpt.params, n, reduction);
      options.onPlan({ n, pairs: (n * (n + 1)) / 2, numbers });
    }
    result = engine.train(ckpt.params, batch, zeroState(ckpt.cell, dims, 1), grads, {
      sequence: 0,
      k: null,
      reduction: reduction === 'none' ? 'l2' : reduction,
      residual: false,
      full: reduction === 'none',
    });
  } finally {
    engine.dispose();
  }
  const itemized: ItemizeOutput['itemized'] = {};
  const gates: NonNullable<ItemizeOutput['gates']> = {};
  for (const [name, p] of Object.entries(result.itemized!.params)) {
    const shape = (ckpt.params[name] as ParamTensor).shape;
    // Engines index by distance d = t - j; the output is indexed by j.
    itemized[name] = Array.from({ length: n }, (_, t) =>
      Array.from({ length: t + 1 }, (_, j) => (reduction === 'none' ? nest(p.full![t][t - j], shape) : p.byDistance[t][t - j])),
    );
    if (p.gates && reduction !== 'none') {
      gates[name] = Object.fromEntries(
        Object.entries(p.gates).map(([g, m]) => [g, Array.from({ length: n }, (_, t) => Array.from({ length: t + 1 }, (_, j) => m[t][t - j]))]),
      );
    }
  }
  const losses = Array.from(result.losses);
  return {
    format: 'rnnbow-itemize',
    version: 1,
    cell: ckpt.cell.name,
    text,
    n,
    reduction,
    loss: losses.reduce((a, b) => a + b, 0),
    losses,
    predictions: Array.from(result.predictions),
    gradients: Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, nest(g.data, g.shape)])),
    itemized,
    ...(Object.keys(gates).length ? { gates } : {}),
  };
}
