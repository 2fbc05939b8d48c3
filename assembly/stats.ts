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
      let v = f32x4.splat(0);
      let i: usize = 0;
      if (mode == 0) {
        for (; i + 16 <= wb; i += 16) {
          const x = v128.load(p + i);
          v = f32x4.add(v, f32x4.mul(x, x));
        }
      } else if (mode == 1) {
        for (; i + 16 <= wb; i += 16) v = f32x4.add(v, f32x4.abs(v128.load(p + i)));
      } else {
        for (; i + 16 <= wb; i += 16) v = f32x4.add(v, v128.load(p + i));
      }
      let s: f32 = f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
      for (; i < wb; i += 4) {
        const x = load<f32>(p + i);
        s += mode == 0 ? x * x : mode == 1 ? Mathf.abs(x) : x;
      }
      store<f32>(out + ((<usize>(r * G + g)) << 2), s);
    }
  }
}
