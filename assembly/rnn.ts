// Vanilla tanh cell, pointwise part.
import { tanh, tanh4 } from './activations';

/** h[r,i] = tanh(z[r,i]). */
export function rnnForward(R: i32, H: i32, z: usize, ldz: i32, h: usize, ldh: i32): void {
  const hb = (<usize>H) << 2;
  for (let r = 0; r < R; r++) {
    const zr = z + ((<usize>(r * ldz)) << 2);
    const hr = h + ((<usize>(r * ldh)) << 2);
    let i: usize = 0;
    for (; i + 16 <= hb; i += 16) v128.store(hr + i, tanh4(v128.load(zr + i)));
    for (; i < hb; i += 4) store<f32>(hr + i, tanh(load<f32>(zr + i)));
  }
}

/** dz = dh ⊙ (1 - h²), h with row stride hs (0 broadcasts). */
export function rnnBackward(R: i32, H: i32, h: usize, hs: i32, dh: usize, ldd: i32, dz: usize, ldz: i32): void {
  const hb = (<usize>H) << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < R; r++) {
    const hr = h + ((<usize>(r * hs)) << 2);
    const dr = dh + ((<usize>(r * ldd)) << 2);
    const zr = dz + ((<usize>(r * ldz)) << 2);
    let i: usize = 0;
    for (; i + 16 <= hb; i += 16) {
      const y = v128.load(hr + i);
      v128.store(zr + i, f32x4.mul(v128.load(dr + i), f32x4.sub(one, f32x4.mul(y, y))));
    }
    for (; i < hb; i += 4) {
      const y = load<f32>(hr + i);
      store<f32>(zr + i, load<f32>(dr + i) * (1 - y * y));
    }
  }
}
