import type { FusedCell } from './fused-cell.js';

/** The GRU's pointwise part (gates r, z, n; b_hh stays inside r ⊙ (W_hn h + b_hn) as in PyTorch). */
export const fusedGru: FusedCell = {
  name: 'gru',
  gates: ['r', 'z', 'n'],
  states: 1,
  separateHidden: true,
  directHidden: true,
  forward: (ops, s) => ops.gruForward(s.R, s.H, s.z, s.gh, s.ldg, s.bhh, s.hPrev, s.h, s.ld),
  backward: (ops, s) =>
    ops.gruBackward(s.R, s.H, s.act, s.gh, s.gs, s.hPrev, s.ss, s.dh, s.ldd, s.dgi, s.dz, s.ldz, s.dhPrev),
};
