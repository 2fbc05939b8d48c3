import { type BackendName, setupBackend } from '../backend.js';
import type { CellDefinition, CellDims } from '../cell.js';
import type { GradientEngine } from '../engine.js';
import { FusedEngine } from './fused/fused-engine.js';
import { TfjsEngine } from './tfjs-engine.js';

/** Which engine to run: `auto` and `fused` take a cell's fused kernel when it has one, `tfjs` never does. */
export type EnginePreference = 'auto' | 'fused' | 'tfjs';

/**
 * The engine for a cell: its fused kernel (the built-in cells have one; WebAssembly SIMD when
 * available, else JavaScript loops) unless `preference` is `tfjs` or the cell has none, in which
 * case the reference {@link TfjsEngine} (any cell, tfjs autodiff). The returned engine's `name`
 * says which it is.
 */
export function createEngine(cell: CellDefinition, dims: CellDims, preference: EnginePreference = 'auto'): GradientEngine {
  if (!usesReferenceEngine(cell, preference)) return cell.kernel!(dims);
  return new TfjsEngine(cell, dims);
}

/**
 * {@link createEngine} with the tfjs backend `choice` set up wherever the engine may run tfjs
 * ops: before the reference engine is made (it probes the cell as it is built), after a plugin
 * cell's own kernel is. rnnbow's fused engine needs none, and tfjs then stays unloaded (half a
 * second of start-up). `backend` is the backend set up, null when none was.
 */
export async function createEngineWithBackend(
  cell: CellDefinition,
  dims: CellDims,
  preference: EnginePreference = 'auto',
  choice: BackendName = 'auto',
): Promise<{ engine: GradientEngine; backend: string | null }> {
  let backend = usesReferenceEngine(cell, preference) ? await setupBackend(choice) : null;
  const engine = createEngine(cell, dims, preference);
  if (!backend && !(engine instanceof FusedEngine)) backend = await setupBackend(choice);
  return { engine, backend };
}

/** Whether {@link createEngine} gives this cell the reference engine. */
function usesReferenceEngine(cell: CellDefinition, preference: EnginePreference): boolean {
  return preference === 'tfjs' || !cell.kernel;
}
