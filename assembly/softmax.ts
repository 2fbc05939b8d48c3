// Softmax cross-entropy of the output layer, one row per step.
import { exp1, exp4 } from './activations';

/**
 * logits += bias, then mode 0: p - onehot(target) in place, loss[r] = -log p_target and
 * pred[r] = argmax (first index of the maximum); mode 1: p in place.
 */
export function softmax(R: i32, V: i32, logits: usize, ld: i32, bias: usize, targets: usize, loss: usize, pred: usize, mode: i32): void {
  const vb = (<usize>V) << 2;
  for (let r = 0; r < R; r++) {
    const row = logits + ((<usize>(r * ld)) << 2);
    let vmax = f32x4.splat(-Infinity);
    let v: usize = 0;
    for (; v + 16 <= vb; v += 16) {
      const x = f32x4.add(v128.load(row + v), v128.load(bias + v));
      v128.store(row + v, x);
      vmax = f32x4.max(vmax, x);
    }
    let top: f32 = Mathf.max(Mathf.max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), Mathf.max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
    for (; v < vb; v += 4) {
      const x = load<f32>(row + v) + load<f32>(bias + v);
      store<f32>(row + v, x);
      top = Mathf.max(top, x);
    }
    let arg = 0;
    while (arg < V - 1 && load<f32>(row + (<usize>arg << 2)) != top) arg++;
    const y = mode == 0 ? load<i32>(targets + (<usize>r << 2)) : 0;
    const shifted = load<f32>(row + (<usize>y << 2)) - top;
    const vm = f32x4.splat(top);
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
