import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import type { FusedCell } from '../../src/core/engine/fused/fused-cell.js';
import { fusedGru } from '../../src/core/engine/fused/gru-cell.js';
import { fusedLstm } from '../../src/core/engine/fused/lstm-cell.js';
import { fusedRnn } from '../../src/core/engine/fused/rnn-cell.js';

/**
 * The sizes the numerics tests share: small enough for float64 finite differences of every
 * parameter at every step (a few seconds per file), large enough for gates, a vocabulary the
 * kernels pad (V = 5) and six-step horizons.
 */
export const SMALL_DIMS = { inputSize: 5, hiddenSize: 4 } as const;
/** Steps per sequence. */
export const SHORT_N = 6;

/**
 * float32 engine against float64 reference: relative error 2e-4 for every entry above 1e-3 of the
 * largest entry of its kind, and that absolute level below (see compare.ts). The measured worst
 * case on these sizes is 4e-5 (vanilla, whose scaled-up weights give the largest cotangents), so
 * the limit leaves a factor 5 for other platforms' rounding; a bookkeeping error is off by O(1).
 */
export const ENGINE_REL = 2e-4;
/** The floor of {@link ENGINE_REL}, as a fraction of the largest entry. */
export const ENGINE_FLOOR = 1e-3;

/** Every built-in cell with its fused kernel. */
export const BUILTIN_CELLS: readonly [CellDefinition, FusedCell][] = [
  [vanillaCell, fusedRnn],
  [lstmCell, fusedLstm],
  [gruCell, fusedGru],
];
