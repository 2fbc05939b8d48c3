// Products with one-hot inputs, as column gathers and scatters (no multiplications by 0/1).

/** out[r,g] = W[g·ldw + tok[r·ts]] + bias[g]. */
export function gatherColumns(R: i32, tok: usize, ts: i32, w: usize, ldw: i32, G: i32, bias: usize, out: usize, ldo: i32): void {
  const sw = (<usize>ldw) << 2;
  for (let r = 0; r < R; r++) {
    let wp = w + ((<usize>load<i32>(tok + ((<usize>(r * ts)) << 2))) << 2);
    const o = out + ((<usize>(r * ldo)) << 2);
    for (let g = 0; g < G; g++) {
      const at = <usize>g << 2;
      store<f32>(o + at, load<f32>(wp) + load<f32>(bias + at));
      wp += sw;
    }
  }
}

/** W[g·ldw + tok[r·ts]] += dz[r,g]. */
export function scatterColumns(R: i32, tok: usize, ts: i32, dz: usize, ldz: i32, G: i32, w: usize, ldw: i32): void {
  const sw = (<usize>ldw) << 2;
  for (let r = 0; r < R; r++) {
    let wp = w + ((<usize>load<i32>(tok + ((<usize>(r * ts)) << 2))) << 2);
    const d = dz + ((<usize>(r * ldz)) << 2);
    for (let g = 0; g < G; g++) {
      store<f32>(wp, load<f32>(wp) + load<f32>(d + (<usize>g << 2)));
      wp += sw;
    }
  }
}
