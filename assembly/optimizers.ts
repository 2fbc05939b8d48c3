// Parameter updates on f32x4 lanes (the optimizer runs once per batch over every parameter).
// Clipping is a factor on the gradient applied as it is read: a separate scaling pass over all
// gradients cost a third of the update.

/**
 * Adagrad on the gradient times `gs` (the clipping factor; 1 leaves it as it is):
 * mem += g², p -= lr·g/√(mem + eps).
 */
export function adagrad(count: i32, p: usize, g: usize, mem: usize, lr: f32, eps: f32, gs: f32): void {
  const end = (<usize>count) << 2;
  const vlr = f32x4.splat(lr);
  const veps = f32x4.splat(eps);
  const vgs = f32x4.splat(gs);
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    const gv = f32x4.mul(v128.load(g + i), vgs);
    const m = f32x4.add(v128.load(mem + i), f32x4.mul(gv, gv));
    v128.store(mem + i, m);
    v128.store(p + i, f32x4.sub(v128.load(p + i), f32x4.div(f32x4.mul(vlr, gv), f32x4.sqrt(f32x4.add(m, veps)))));
  }
  for (; i < end; i += 4) {
    const gv = load<f32>(g + i) * gs;
    const m = load<f32>(mem + i) + gv * gv;
    store<f32>(mem + i, m);
    store<f32>(p + i, load<f32>(p + i) - (lr * gv) / Mathf.sqrt(m + eps));
  }
}

/**
 * Adam on the gradient times `gs` (as {@link adagrad}):
 * m = b1·m + (1-b1)·g, v = b2·v + (1-b2)·g², p -= lr·(m/c1)/(√(v/c2) + eps).
 * The hyperparameters arrive as f64 and their combinations are rounded once: 1 - f32(0.999) is
 * 1.3e-5 short of 0.001, which skewed v against the bias correction c2 (computed in f64).
 */
export function adam(count: i32, p: usize, g: usize, m: usize, v: usize, lr: f64, b1: f64, b2: f64, c1: f64, c2: f64, eps: f32, gs: f32): void {
  const end = (<usize>count) << 2;
  const fb1 = <f32>b1;
  const fb2 = <f32>b2;
  const fa1 = <f32>(1 - b1);
  const fa2 = <f32>(1 - b2);
  const fstep = <f32>(lr / c1);
  const finv2 = <f32>(1 / c2);
  const vb1 = f32x4.splat(fb1);
  const vb2 = f32x4.splat(fb2);
  const va1 = f32x4.splat(fa1);
  const va2 = f32x4.splat(fa2);
  const vlr = f32x4.splat(fstep);
  const vc2 = f32x4.splat(finv2);
  const veps = f32x4.splat(eps);
  const vgs = f32x4.splat(gs);
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    const gv = f32x4.mul(v128.load(g + i), vgs);
    const mv = f32x4.add(f32x4.mul(vb1, v128.load(m + i)), f32x4.mul(va1, gv));
    const vv = f32x4.add(f32x4.mul(vb2, v128.load(v + i)), f32x4.mul(va2, f32x4.mul(gv, gv)));
    v128.store(m + i, mv);
    v128.store(v + i, vv);
    const step = f32x4.div(f32x4.mul(vlr, mv), f32x4.add(f32x4.sqrt(f32x4.mul(vv, vc2)), veps));
    v128.store(p + i, f32x4.sub(v128.load(p + i), step));
  }
  for (; i < end; i += 4) {
    const gv = load<f32>(g + i) * gs;
    const mv = fb1 * load<f32>(m + i) + fa1 * gv;
    const vv = fb2 * load<f32>(v + i) + fa2 * gv * gv;
    store<f32>(m + i, mv);
    store<f32>(v + i, vv);
    store<f32>(p + i, load<f32>(p + i) - (fstep * mv) / (Mathf.sqrt(vv * finv2) + eps));
  }
}
