// GRU cell, pointwise part (gate blocks r, z, n of width H; PyTorch's b_hn inside r ⊙ (…)).
import { sigmoid, sigmoid4, tanh, tanh4 } from './activations';

/** gh += b_hh; r, z, n over gi; h = (1-z)⊙n + z⊙hPrev. */
export function gruForward(R: i32, H: i32, gi: usize, gh: usize, ldg: i32, bhh: usize, hPrev: usize, h: usize, ld: i32): void {
  const hb = (<usize>H) << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < R; r++) {
    const ir = gi + ((<usize>(r * ldg)) << 2);
    const hr = gh + ((<usize>(r * ldg)) << 2);
    const so = (<usize>(r * ld)) << 2;
    let x: usize = 0;
    for (; x + 16 <= 3 * hb; x += 16) v128.store(hr + x, f32x4.add(v128.load(hr + x), v128.load(bhh + x)));
    for (; x < 3 * hb; x += 4) store<f32>(hr + x, load<f32>(hr + x) + load<f32>(bhh + x));
    x = 0;
    for (; x + 16 <= hb; x += 16) {
      const rg = sigmoid4(f32x4.add(v128.load(ir + x), v128.load(hr + x)));
      const zg = sigmoid4(f32x4.add(v128.load(ir + hb + x), v128.load(hr + hb + x)));
      const ng = tanh4(f32x4.add(v128.load(ir + 2 * hb + x), f32x4.mul(rg, v128.load(hr + 2 * hb + x))));
      v128.store(ir + x, rg);
      v128.store(ir + hb + x, zg);
      v128.store(ir + 2 * hb + x, ng);
      v128.store(h + so + x, f32x4.add(f32x4.mul(f32x4.sub(one, zg), ng), f32x4.mul(zg, v128.load(hPrev + so + x))));
    }
    for (; x < hb; x += 4) {
      const rg = sigmoid(load<f32>(ir + x) + load<f32>(hr + x));
      const zg = sigmoid(load<f32>(ir + hb + x) + load<f32>(hr + hb + x));
      const ng = tanh(load<f32>(ir + 2 * hb + x) + rg * load<f32>(hr + 2 * hb + x));
      store<f32>(ir + x, rg);
      store<f32>(ir + hb + x, zg);
      store<f32>(ir + 2 * hb + x, ng);
      store<f32>(h + so + x, (1 - zg) * ng + zg * load<f32>(hPrev + so + x));
    }
  }
}

/** dgi, dgh and dhPrev += dh⊙z; saved act/gh with stride gs, hPrev with stride ss. */
export function gruBackward(
  R: i32, H: i32, act: usize, gh: usize, gs: i32, hPrev: usize, ss: i32,
  dh: usize, ldd: i32, dgi: usize, dgh: usize, ldz: i32, dhPrev: usize,
): void {
  const hb = (<usize>H) << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < R; r++) {
    const ar = act + ((<usize>(r * gs)) << 2);
    const hr = gh + ((<usize>(r * gs)) << 2);
    const sr = (<usize>(r * ss)) << 2;
    const dr = (<usize>(r * ldd)) << 2;
    const ir = dgi + ((<usize>(r * ldz)) << 2);
    const zr = dgh + ((<usize>(r * ldz)) << 2);
    let x: usize = 0;
    for (; x + 16 <= hb; x += 16) {
      const rg = v128.load(ar + x);
      const zg = v128.load(ar + hb + x);
      const ng = v128.load(ar + 2 * hb + x);
      const hp = v128.load(hPrev + sr + x);
      const d = v128.load(dh + dr + x);
      const dn = f32x4.mul(f32x4.mul(d, f32x4.sub(one, zg)), f32x4.sub(one, f32x4.mul(ng, ng)));
      const dr0 = f32x4.mul(f32x4.mul(dn, v128.load(hr + 2 * hb + x)), f32x4.mul(rg, f32x4.sub(one, rg)));
      const dz0 = f32x4.mul(f32x4.mul(d, f32x4.sub(hp, ng)), f32x4.mul(zg, f32x4.sub(one, zg)));
      v128.store(ir + x, dr0);
      v128.store(ir + hb + x, dz0);
      v128.store(ir + 2 * hb + x, dn);
      v128.store(zr + x, dr0);
      v128.store(zr + hb + x, dz0);
      v128.store(zr + 2 * hb + x, f32x4.mul(dn, rg));
      v128.store(dhPrev + dr + x, f32x4.add(v128.load(dhPrev + dr + x), f32x4.mul(d, zg)));
    }
    for (; x < hb; x += 4) {
      const rg = load<f32>(ar + x);
      const zg = load<f32>(ar + hb + x);
      const ng = load<f32>(ar + 2 * hb + x);
      const hp = load<f32>(hPrev + sr + x);
      const d = load<f32>(dh + dr + x);
      const dn = d * (1 - zg) * (1 - ng * ng);
      const dr0 = dn * load<f32>(hr + 2 * hb + x) * (rg * (1 - rg));
      const dz0 = d * (hp - ng) * (zg * (1 - zg));
      store<f32>(ir + x, dr0);
      store<f32>(ir + hb + x, dz0);
      store<f32>(ir + 2 * hb + x, dn);
      store<f32>(zr + x, dr0);
      store<f32>(zr + hb + x, dz0);
      store<f32>(zr + 2 * hb + x, dn * rg);
      store<f32>(dhPrev + dr + x, load<f32>(dhPrev + dr + x) + d * zg);
    }
  }
}
