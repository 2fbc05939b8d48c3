// Softmax cross-entropy of the output layer, one row per step.
import { exp1, exp4 } from './activations';

/** max(a, b) as f32x4.pmax takes it: b only when a < b, so a NaN b is passed over. */
// @ts-ignore: decorator
@inline
function pmax1(a: f32, b: f32): f32 {
  return a < b ? b : a;
}

/**
 * logits += bias, then mode 0: p - onehot(target) in place, loss[r] = -log p_target and
 * pred[r] = argmax (first index of the maximum); mode 1: p in place.
 */
export function softmax(R: i32, V: i32, logits: usize, ld: i32, bias: usize, targets: usize, loss: usize, pred: usize, mode: i32): void {
  const vb = (<usize>V) << 2;
  for (let r = 0; r < R; r++) {
    const row = logits + ((<usize>(r * ld)) << 2);
    // pmax (one instruction; max's NaN and signed-zero rules cost about seven) in two chains.
    // A NaN logit is passed over, as the JavaScript kernels' `x > max` does; the row's sum, loss
    // and probabilities are NaN either way.
    let m0 = f32x4.splat(-Infinity);
    let m1 = m0;
    let v: usize = 0;
    for (; v + 32 <= vb; v += 32) {
      const x0 = f32x4.add(v128.load(row + v), v128.load(bias + v));
      const x1 = f32x4.add(v128.load(row + v, 16), v128.load(bias + v, 16));
      v128.store(row + v, x0);
      v128.store(row + v, x1, 16);
      m0 = f32x4.pmax(m0, x0);
      m1 = f32x4.pmax(m1, x1);
    }
    for (; v + 16 <= vb; v += 16) {
      const x = f32x4.add(v128.load(row + v), v128.load(bias + v));
      v128.store(row + v, x);
      m0 = f32x4.pmax(m0, x);
    }
    m0 = f32x4.pmax(m0, m1);
    let top: f32 = pmax1(pmax1(f32x4.extract_lane(m0, 0), f32x4.extract_lane(m0, 1)), pmax1(f32x4.extract_lane(m0, 2), f32x4.extract_lane(m0, 3)));
    for (; v < vb; v += 4) {
      const x = load<f32>(row + v) + load<f32>(bias + v);
      store<f32>(row + v, x);
      top = pmax1(top, x);
    }
    // The first index holding the maximum: whole vectors compared at once.
    let arg = -1;
    const vt = f32x4.splat(top);
    for (let u: usize = 0; u + 16 <= vb; u += 16) {
      const hit = i32x4.bitmask(f32x4.eq(v128.load(row + u), vt));
      if (hit) {
        arg = <i32>(u >> 2) + ctz(hit);
        break;
      }
    }
    if (arg < 0) {
      arg = <i32>(vb & ~(<usize>15)) >> 2;
      while (arg < V - 1 && load<f32>(row + (<usize>arg << 2)) != top) arg++;
    }
    const y = mode == 0 ? load<i32>(targets + (<usize>r << 2)) : 0;
    const shifted = load<f32>(row + (<usize>y << 2)) - top;
    const vm = vt;
    let vsum = f32x4.splat(0);
    v = 0;
    for (; v + 16 <= vb; v += 16) {
      const e = exp4(f32x4.sub(v128.load(row + v), vm));
      v128.store(row + v, e);
      vsum = f32x4.add(vsum, e);
    }
    let sum: f32 = f32x4.extract_lane(vsum, 0) + f32x4.extract_lane(vsum, 1) + f32x4.extract_lane(vsum, 2) + f32x4.extract_lane(vsum, 3);
    for (; v < vb; v += 4) {
      const e = exp1(load<f32>(row + v) - top);
      store<f32>(row + v, e);
      sum += e;
    }
    const inv = f32x4.splat(<f32>1 / sum);
    v = 0;
    for (; v + 16 <= vb; v += 16) v128.store(row + v, f32x4.mul(v128.load(row + v), inv));
    for (; v < vb; v += 4) store<f32>(row + v, load<f32>(row + v) * f32x4.extract_lane(inv, 0));
    if (mode == 0) {
      store<f32>(loss + (<usize>r << 2), <f32>(Math.log(<f64>sum) - <f64>shifted));
      store<i32>(pred + (<usize>r << 2), arg);
      const at = row + (<usize>y << 2);
      store<f32>(at, load<f32>(at) - 1);
    }
  }
}
