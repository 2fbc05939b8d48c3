// LSTM cell, pointwise part (gate blocks i, f, g, o of width H).
import { sigmoid, sigmoid4, tanh, tanh4 } from './activations';

/** Gates in place, c = f⊙cPrev + i⊙g, tc = tanh(c), h = o⊙tc. */
export function lstmForward(R: i32, H: i32, z: usize, ldz: i32, cPrev: usize, c: usize, tc: usize, h: usize, ld: i32): void {
  const hb = (<usize>H) << 2;
  for (let r = 0; r < R; r++) {
    const zr = z + ((<usize>(r * ldz)) << 2);
    const so = (<usize>(r * ld)) << 2;
    let x: usize = 0;
    for (; x + 16 <= hb; x += 16) {
      const i = sigmoid4(v128.load(zr + x));
      const f = sigmoid4(v128.load(zr + hb + x));
      const g = tanh4(v128.load(zr + 2 * hb + x));
      const o = sigmoid4(v128.load(zr + 3 * hb + x));
      v128.store(zr + x, i);
      v128.store(zr + hb + x, f);
      v128.store(zr + 2 * hb + x, g);
      v128.store(zr + 3 * hb + x, o);
      const cv = f32x4.add(f32x4.mul(f, v128.load(cPrev + so + x)), f32x4.mul(i, g));
      const t = tanh4(cv);
      v128.store(c + so + x, cv);
      v128.store(tc + so + x, t);
      v128.store(h + so + x, f32x4.mul(o, t));
    }
    for (; x < hb; x += 4) {
      const i = sigmoid(load<f32>(zr + x));
      const f = sigmoid(load<f32>(zr + hb + x));
      const g = tanh(load<f32>(zr + 2 * hb + x));
      const o = sigmoid(load<f32>(zr + 3 * hb + x));
      store<f32>(zr + x, i);
      store<f32>(zr + hb + x, f);
      store<f32>(zr + 2 * hb + x, g);
      store<f32>(zr + 3 * hb + x, o);
      const cv = f * load<f32>(cPrev + so + x) + i * g;
      const t = tanh(cv);
      store<f32>(c + so + x, cv);
      store<f32>(tc + so + x, t);
      store<f32>(h + so + x, o * t);
    }
  }
}

/** dz and dcPrev (may alias dc) from dh, dc; saved gates with stride gs, cPrev/tc with stride ss. */
export function lstmBackward(
  R: i32, H: i32, gates: usize, gs: i32, cPrev: usize, tc: usize, ss: i32,
  dh: usize, dc: usize, ldd: i32, dz: usize, ldz: i32, dcPrev: usize,
): void {
  const hb = (<usize>H) << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < R; r++) {
    const gr = gates + ((<usize>(r * gs)) << 2);
    const sr = (<usize>(r * ss)) << 2;
    const dr = (<usize>(r * ldd)) << 2;
    const zr = dz + ((<usize>(r * ldz)) << 2);
    let x: usize = 0;
    for (; x + 16 <= hb; x += 16) {
      const i = v128.load(gr + x);
      const f = v128.load(gr + hb + x);
      const g = v128.load(gr + 2 * hb + x);
      const o = v128.load(gr + 3 * hb + x);
      const t = v128.load(tc + sr + x);
      const d = v128.load(dh + dr + x);
      const dct = f32x4.add(v128.load(dc + dr + x), f32x4.mul(f32x4.mul(d, o), f32x4.sub(one, f32x4.mul(t, t))));
      v128.store(zr + x, f32x4.mul(f32x4.mul(dct, g), f32x4.mul(i, f32x4.sub(one, i))));
      v128.store(zr + hb + x, f32x4.mul(f32x4.mul(dct, v128.load(cPrev + sr + x)), f32x4.mul(f, f32x4.sub(one, f))));
      v128.store(zr + 2 * hb + x, f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g))));
      v128.store(zr + 3 * hb + x, f32x4.mul(f32x4.mul(d, t), f32x4.mul(o, f32x4.sub(one, o))));
      v128.store(dcPrev + dr + x, f32x4.mul(dct, f));
    }
    for (; x < hb; x += 4) {
      const i = load<f32>(gr + x);
      const f = load<f32>(gr + hb + x);
      const g = load<f32>(gr + 2 * hb + x);
      const o = load<f32>(gr + 3 * hb + x);
      const t = load<f32>(tc + sr + x);
      const d = load<f32>(dh + dr + x);
      const dct = load<f32>(dc + dr + x) + d * o * (1 - t * t);
      store<f32>(zr + x, dct * g * (i * (1 - i)));
      store<f32>(zr + hb + x, dct * load<f32>(cPrev + sr + x) * (f * (1 - f)));
      store<f32>(zr + 2 * hb + x, dct * i * (1 - g * g));
      store<f32>(zr + 3 * hb + x, d * t * (o * (1 - o)));
      store<f32>(dcPrev + dr + x, dct * f);
    }
  }
}
