import type { FusedCell } from './fused-cell.js';

/** The vanilla cell's pointwise part: h = tanh(z), dz = dh ⊙ (1 - h²). */
export const fusedRnn: FusedCell = {
  name: 'rnn',
  states: 1,
  separateHidden: false,
  directHidden: false,
  forward: (ops, s) => ops.rnnForward(s.R, s.H, s.z, s.ldg, s.h, s.ld),
  backward: (ops, s) => ops.rnnBackward(s.R, s.H, s.h, s.ss, s.dh, s.ldd, s.dz, s.ldz),
};
