import { type BackendName, setupBackend } from '../backend.js';
import type { CellDefinition, CellDims } from '../cell.js';
import { ConfigError } from '../errors.js';
import type { EnginePreference, GradientEngine } from '../engine.js';
import { FusedEngine } from './fused/fused-engine.js';
import type { ItemizedSlot } from './itemization-builder.js';
import { cellSlots } from './probe-cell.js';
import { TfjsEngine } from './tfjs-engine.js';

export type { EnginePreference } from '../engine.js';

/**
 * The engine for a cell: its fused kernel (the built-in cells have one; WebAssembly SIMD when
 * available, else JavaScript loops) unless `preference` is `tfjs` or the cell has none, in which
 * case the reference {@link TfjsEngine} (any cell, tfjs autodiff). The returned engine's `name`
 * says which it is. `fused` insists on the kernel: a cell without one is refused rather than run
 * one to two hundred times slower than asked. For the reference engine, call
 * {@link setupBackend} first; the caller owns the engine and frees it with
 * {@link GradientEngine.dispose}.
 *
 * @throws {@link ConfigError} for `fused` and a cell without a `kernel`.
 *
 * @category Gradient engine
 */
export function createEngine(cell: CellDefinition, dims: CellDims, preference: EnginePreference = 'auto'): GradientEngine {
  refuseMissingKernel(cell, preference);
  if (!usesReferenceEngine(cell, preference)) return cell.kernel!(dims);
  return new TfjsEngine(cell, dims);
}

/**
 * Which kind of engine {@link createEngine} made: rnnbow's fused kernels, the reference
 * {@link TfjsEngine}, or a plugin cell's own kernel. The trainer names it to explain the speed a
 * user sees.
 */
export type EngineKind = 'fused' | 'reference' | 'cell-kernel';

/** What {@link createEngineWithBackend} made. */
export interface CreatedEngine {
  /** The engine. */
  engine: GradientEngine;
  /** Which kind of engine it is. */
  kind: EngineKind;
  /** The tfjs backend set up for it, null when none was (the fused engine needs none). */
  backend: string | null;
}

/**
 * {@link createEngine} with the tfjs backend `choice` set up wherever the engine may run tfjs
 * ops: before the reference engine is made (it probes the cell as it is built), after a plugin
 * cell's own kernel is. rnnbow's fused engine needs none, and tfjs then stays unloaded (half a
 * second of start-up).
 */
export async function createEngineWithBackend(
  cell: CellDefinition,
  dims: CellDims,
  preference: EnginePreference = 'auto',
  choice: BackendName = 'auto',
): Promise<CreatedEngine> {
  refuseMissingKernel(cell, preference);
  if (usesReferenceEngine(cell, preference)) {
    const backend = await setupBackend(choice);
    return { engine: createEngine(cell, dims, preference), kind: 'reference', backend };
  }
  const engine = createEngine(cell, dims, preference);
  if (engine instanceof FusedEngine) return { engine, kind: 'fused', backend: null };
  return { engine, kind: 'cell-kernel', backend: await setupBackend(choice) };
}

/** `fused` asked for a cell that has no fused kernel: a mistake to report, not to slow down for. */
function refuseMissingKernel(cell: CellDefinition, preference: EnginePreference): void {
  if (preference === 'fused' && !cell.kernel) {
    throw new ConfigError(
      `engine "fused": the ${cell.name} cell has no fused kernel (only rnnbow's rnn, lstm and gru cells and plugin cells that bring one have)`,
      'use engine auto (--engine auto, the default) to train it on the tfjs reference engine',
    );
  }
}

/** Whether {@link createEngine} gives this cell the reference engine. */
function usesReferenceEngine(cell: CellDefinition, preference: EnginePreference): boolean {
  return preference === 'tfjs' || !cell.kernel;
}

/**
 * The slots an engine itemizes (the parameters entering through the cell's helpers, with their
 * gates): both built-in engines know theirs; a plugin cell's own kernel need not, so the cell is
 * stepped once to find them.
 */
export function engineSlots(engine: GradientEngine, cell: CellDefinition, dims: CellDims): readonly ItemizedSlot[] {
  return engine instanceof FusedEngine || engine instanceof TfjsEngine ? engine.slots : cellSlots(cell, dims).slots;
}
