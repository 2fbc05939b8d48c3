import type { ParamStore } from '../core/params.js';

/** Global L2 norm of all gradients. */
export function globalNorm(grads: ParamStore): number {
  let sq = 0;
  for (const p of Object.values(grads)) for (let i = 0; i < p.data.length; i++) sq += p.data[i] * p.data[i];
  return Math.sqrt(sq);
}

/**
 * Scales gradients so their global norm is at most `maxNorm` (PyTorch's clip_grad_norm_).
 * Returns the norm before clipping. The trainer clips inside its optimizer's `clipAndUpdate`
 * (the fused engine's own, else `FusedOptimizer`); this scalar version is the reference the
 * tests hold them to.
 */
export function clipByGlobalNorm(grads: ParamStore, maxNorm: number): number {
  const norm = globalNorm(grads);
  if (norm > maxNorm && Number.isFinite(norm)) {
    const s = maxNorm / norm;
    for (const p of Object.values(grads)) for (let i = 0; i < p.data.length; i++) p.data[i] *= s;
  }
  return norm;
}
