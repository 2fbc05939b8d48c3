import type { CellDefinition, CellDims } from '../cell.js';
import type { GradientEngine } from '../engine.js';
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
 * Whether {@link createEngine} gives this cell the reference engine: only then does a run need a
 * tfjs backend set up (`setupBackend`), and tfjs loaded at all.
 */
export function usesReferenceEngine(cell: CellDefinition, preference: EnginePreference = 'auto'): boolean {
  return preference === 'tfjs' || !cell.kernel;
}
