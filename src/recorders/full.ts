import type { RecorderDefinition } from '../core/recorder.js';

/** Itemizes every batch completely: all distances, O(n² H²) per sequence. */
export const fullRecorder: RecorderDefinition = {
  name: 'full',
  description: 'itemize every distance of every batch (O(n^2 H^2) per sequence)',
  create: () => ({
    description: 'full',
    plan: () => ({ k: null, residual: false }),
  }),
};
