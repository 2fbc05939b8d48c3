import type { FusedCell } from './fused-cell.js';

/** The LSTM's pointwise part (gates i, f, g, o; state h, c). */
export const fusedLstm: FusedCell = {
  name: 'lstm',
  gates: ['i', 'f', 'g', 'o'],
  states: 2,
  separateHidden: false,
  directHidden: false,
  forward: (ops, s) => ops.lstmForward(s.R, s.H, s.z, s.ldg, s.cPrev, s.c, s.tc, s.h, s.ld),
  backward: (ops, s) =>
    ops.lstmBackward(s.R, s.H, s.act, s.gs, s.cPrev, s.tc, s.ss, s.dh, s.dc, s.ldd, s.dz, s.ldz, s.dcPrev),
};
