// Row statistics of cotangent rows, for the itemizer's magnitudes (see FusedOps.rowBlockSums).

/**
 * out[r·G + g] = Σ f(x) over the g-th block of W values of row r (rows `ld` apart), with
 * f(x) = x² (mode 0), |x| (mode 1) or x (mode 2). Blocks need not be lane-aligned.
 */
export function rowBlockSums(R: i32, G: i32, W: i32, src: usize, ld: i32, mode: i32, out: usize): void {
  const wb = (<usize>W) << 2;
  for (let r = 0; r < R; r++) {
    const row = src + ((<usize>(r * ld)) << 2);
    for (let g = 0; g < G; g++) {
      const p = row + <usize>g * wb;
      // Two independent sums: one waits on the previous add (3-4 cycles a vector), two halve
      // that (1.27-1.38x on the itemizer's rows at H = 100). Four, with the mode tested in the
      // loop, measured slower.
      let v = f32x4.splat(0);
      let u = f32x4.splat(0);
      let i: usize = 0;
      if (mode == 0) {
        for (; i + 32 <= wb; i += 32) {
          const x = v128.load(p + i);
          const y = v128.load(p + i, 16);
          v = f32x4.add(v, f32x4.mul(x, x));
          u = f32x4.add(u, f32x4.mul(y, y));
        }
        for (; i + 16 <= wb; i += 16) {
          const x = v128.load(p + i);
          v = f32x4.add(v, f32x4.mul(x, x));
        }
      } else if (mode == 1) {
        for (; i + 32 <= wb; i += 32) {
          v = f32x4.add(v, f32x4.abs(v128.load(p + i)));
          u = f32x4.add(u, f32x4.abs(v128.load(p + i, 16)));
        }
        for (; i + 16 <= wb; i += 16) v = f32x4.add(v, f32x4.abs(v128.load(p + i)));
      } else {
        for (; i + 32 <= wb; i += 32) {
          v = f32x4.add(v, v128.load(p + i));
          u = f32x4.add(u, v128.load(p + i, 16));
        }
        for (; i + 16 <= wb; i += 16) v = f32x4.add(v, v128.load(p + i));
      }
      v = f32x4.add(v, u);
      let s: f32 = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
      for (; i < wb; i += 4) {
        const x = load<f32>(p + i);
        s += mode == 0 ? x * x : mode == 1 ? Mathf.abs(x) : x;
      }
      store<f32>(out + ((<usize>(r * G + g)) << 2), s);
    }
  }
}

/** Values per float32 partial sum of {@link sumSquares}: short enough that rounding stays near float32's epsilon. */
const SQUARES_CHUNK: usize = 1024 << 2;

/**
 * Σ x² over `count` values, for the global gradient norm of clipping. Each chunk is summed in
 * float32 on four independent vectors (one chain waits on the previous add: 3-4 cycles a
 * vector), and the chunks in float64.
 */
export function sumSquares(count: i32, x: usize): f64 {
  const end = (<usize>count) << 2;
  const whole = end & ~(<usize>63);
  let total: f64 = 0;
  let i: usize = 0;
  while (i < whole) {
    const stop = whole - i < SQUARES_CHUNK ? whole : i + SQUARES_CHUNK;
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    for (; i < stop; i += 64) {
      const v0 = v128.load(x + i);
      const v1 = v128.load(x + i, 16);
      const v2 = v128.load(x + i, 32);
      const v3 = v128.load(x + i, 48);
      s0 = f32x4.add(s0, f32x4.mul(v0, v0));
      s1 = f32x4.add(s1, f32x4.mul(v1, v1));
      s2 = f32x4.add(s2, f32x4.mul(v2, v2));
      s3 = f32x4.add(s3, f32x4.mul(v3, v3));
    }
    const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
    total += <f64>f32x4.extract_lane(s, 0) + <f64>f32x4.extract_lane(s, 1) + <f64>f32x4.extract_lane(s, 2) + <f64>f32x4.extract_lane(s, 3);
  }
  for (; i < end; i += 4) {
    const v = <f64>load<f32>(x + i);
    total += v * v;
  }
  return total;
}
