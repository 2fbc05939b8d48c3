import type { FusedCell } from './fused-cell.js';
import { fusedGru } from './gru-cell.js';
import { fusedLstm } from './lstm-cell.js';
import { fusedRnn } from './rnn-cell.js';

/**
 * The built-in fused cells by name. A worker thread rebuilds its engine's cell from the name
 * (functions do not cross threads); an engine whose cell is not listed here runs on one thread.
 */
export const FUSED_CELLS: Readonly<Record<string, FusedCell>> = { rnn: fusedRnn, lstm: fusedLstm, gru: fusedGru };

/** The name under which `cell` is listed in {@link FUSED_CELLS}, or `null` when it is not the listed object. */
export function fusedCellName(cell: FusedCell): string | null {
  return FUSED_CELLS[cell.name] === cell ? cell.name : null;
}
