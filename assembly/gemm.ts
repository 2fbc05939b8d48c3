// Matrix products on f32x4 lanes. Pointers are byte addresses; leading dimensions and sizes are
// counted in f32 elements. See src/core/engine/fused/ops.ts for the contract (padding included).

/** [Σx0, Σx1, Σx2, Σx3]: four horizontal sums in one vector (two shuffle rounds). */
// @ts-ignore: decorator
@inline
function sums4(x0: v128, x1: v128, x2: v128, x3: v128): v128 {
  const s01 = f32x4.add(v128.shuffle<f32>(x0, x1, 0, 4, 1, 5), v128.shuffle<f32>(x0, x1, 2, 6, 3, 7));
  const s23 = f32x4.add(v128.shuffle<f32>(x2, x3, 0, 4, 1, 5), v128.shuffle<f32>(x2, x3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(s01, s23, 0, 1, 4, 5), v128.shuffle<f32>(s01, s23, 2, 3, 6, 7));
}

// @ts-ignore: decorator
@inline
function sum1(x: v128): f32 {
  return f32x4.extract_lane(x, 0) + f32x4.extract_lane(x, 1) + f32x4.extract_lane(x, 2) + f32x4.extract_lane(x, 3);
}

// @ts-ignore: decorator
@inline
function put4(p: usize, v: v128, acc: i32): void {
  v128.store(p, acc ? f32x4.add(v128.load(p), v) : v);
}

// @ts-ignore: decorator
@inline
function put1(p: usize, v: f32, acc: i32): void {
  store<f32>(p, acc ? load<f32>(p) + v : v);
}

// The FMA build (scripts/build-wasm.mjs, `--enable relaxed-simd`) fuses the multiply-add: one
// instruction instead of two, and one rounding instead of two.
// @ts-ignore: decorator
@inline
function mac(s: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, s);
  return f32x4.add(s, f32x4.mul(a, b));
}

/**
 * C[m,n] (+)= Σ_k A[m,k]·B[n,k]; K is read in groups of four (pads zero). Blocks of 2 rows of A
 * by 4 rows of B; the B block is the outer loop so it stays in L1 while every A row passes by.
 */
export function gemmNT(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: i32): void {
  const kb = (<usize>((K + 3) & ~3)) << 2;
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  const sc = (<usize>ldc) << 2;
  let n = 0;
  for (; n + 4 <= N; n += 4) {
    const b0 = b + <usize>n * sb;
    const b1 = b0 + sb;
    const b2 = b1 + sb;
    const b3 = b2 + sb;
    const cn = c + (<usize>n << 2);
    let m = 0;
    for (; m + 2 <= M; m += 2) {
      const a0 = a + <usize>m * sa;
      const a1 = a0 + sa;
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0), x02 = f32x4.splat(0), x03 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0), x12 = f32x4.splat(0), x13 = f32x4.splat(0);
      for (let k: usize = 0; k < kb; k += 16) {
        const va0 = v128.load(a0 + k);
        const va1 = v128.load(a1 + k);
        const vb0 = v128.load(b0 + k);
        const vb1 = v128.load(b1 + k);
        const vb2 = v128.load(b2 + k);
        const vb3 = v128.load(b3 + k);
        x00 = mac(x00, va0, vb0);
        x01 = mac(x01, va0, vb1);
        x02 = mac(x02, va0, vb2);
        x03 = mac(x03, va0, vb3);
        x10 = mac(x10, va1, vb0);
        x11 = mac(x11, va1, vb1);
        x12 = mac(x12, va1, vb2);
        x13 = mac(x13, va1, vb3);
      }
      const c0 = cn + <usize>m * sc;
      put4(c0, sums4(x00, x01, x02, x03), acc);
      put4(c0 + sc, sums4(x10, x11, x12, x13), acc);
    }
    if (m < M) {
      const a0 = a + <usize>m * sa;
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
      for (let k: usize = 0; k < kb; k += 16) {
        const va = v128.load(a0 + k);
        x0 = mac(x0, va, v128.load(b0 + k));
        x1 = mac(x1, va, v128.load(b1 + k));
        x2 = mac(x2, va, v128.load(b2 + k));
        x3 = mac(x3, va, v128.load(b3 + k));
      }
      put4(cn + <usize>m * sc, sums4(x0, x1, x2, x3), acc);
    }
  }
  for (; n < N; n++) {
    const b0 = b + <usize>n * sb;
    const cn = c + (<usize>n << 2);
    for (let m = 0; m < M; m++) {
      const a0 = a + <usize>m * sa;
      let x0 = f32x4.splat(0);
      for (let k: usize = 0; k < kb; k += 16) x0 = mac(x0, v128.load(a0 + k), v128.load(b0 + k));
      put1(cn + <usize>m * sc, sum1(x0), acc);
    }
  }
}

/** Rows of B per panel of {@link gemmNN}. */
const NN_PANEL = 128;

/**
 * C[m,n] (+)= Σ_k A[m,k]·B[k,n]; writes roundUp4(N) columns. K is taken in panels of
 * {@link NN_PANEL}: a 16-column strip of B over all of K = 4H (the LSTM's W_hh) is 25 KB and
 * crowds L1 out; per panel it is 8 KB (8-18% faster at K = 400, the same below 128). Each C
 * value still adds its k terms in order, so the result is unchanged.
 */
export function gemmNN(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: i32): void {
  const sb = (<usize>ldb) << 2;
  for (let k0 = 0; k0 < K; k0 += NN_PANEL) {
    const kc = K - k0 < NN_PANEL ? K - k0 : NN_PANEL;
    gemmNNPanel(M, N, kc, a + (<usize>k0 << 2), lda, b + <usize>k0 * sb, ldb, c, ldc, acc | (k0 > 0 ? 1 : 0));
  }
}

/**
 * {@link gemmNN} over one panel of K. Every block keeps at least eight independent
 * accumulators: a multiply-add has a latency of four cycles and two of them issue per cycle, so
 * fewer chains leave the units idle (a one-accumulator loop over the last columns of H = 100
 * cost a quarter of the product). Whole strips of 16 columns go two rows at a time with the
 * strip as the outer loop, so it stays in L1 while every A row passes by; the last one to three
 * vectors of columns go four or eight rows at a time.
 * Each C value adds its k terms in order in every block, so the blocking never changes a result.
 */
function gemmNNPanel(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: i32): void {
  const nb = (<usize>((N + 3) & ~3)) << 2;
  const strips = nb & ~(<usize>63);
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  const sc = (<usize>ldc) << 2;
  const kEnd = <usize>K << 2;
  const pairs = M & ~1;
  for (let n: usize = 0; n < strips; n += 64) {
    for (let m = 0; m < pairs; m += 2) {
      const a0 = a + <usize>m * sa;
      const a1 = a0 + sa;
      const c0 = c + <usize>m * sc + n;
      const c1 = c0 + sc;
      let x00 = acc ? v128.load(c0) : f32x4.splat(0);
      let x01 = acc ? v128.load(c0, 16) : f32x4.splat(0);
      let x02 = acc ? v128.load(c0, 32) : f32x4.splat(0);
      let x03 = acc ? v128.load(c0, 48) : f32x4.splat(0);
      let x10 = acc ? v128.load(c1) : f32x4.splat(0);
      let x11 = acc ? v128.load(c1, 16) : f32x4.splat(0);
      let x12 = acc ? v128.load(c1, 32) : f32x4.splat(0);
      let x13 = acc ? v128.load(c1, 48) : f32x4.splat(0);
      let bp = b + n;
      for (let k: usize = 0; k < kEnd; k += 4) {
        const s0 = v128.load32_splat(a0 + k);
        const s1 = v128.load32_splat(a1 + k);
        const vb0 = v128.load(bp);
        const vb1 = v128.load(bp, 16);
        const vb2 = v128.load(bp, 32);
        const vb3 = v128.load(bp, 48);
        x00 = mac(x00, s0, vb0);
        x01 = mac(x01, s0, vb1);
        x02 = mac(x02, s0, vb2);
        x03 = mac(x03, s0, vb3);
        x10 = mac(x10, s1, vb0);
        x11 = mac(x11, s1, vb1);
        x12 = mac(x12, s1, vb2);
        x13 = mac(x13, s1, vb3);
        bp += sb;
      }
      v128.store(c0, x00);
      v128.store(c0, x01, 16);
      v128.store(c0, x02, 32);
      v128.store(c0, x03, 48);
      v128.store(c1, x10);
      v128.store(c1, x11, 16);
      v128.store(c1, x12, 32);
      v128.store(c1, x13, 48);
    }
  }
  if (pairs < M) nnLastRow(strips, K, a + <usize>pairs * sa, b, sb, c + <usize>pairs * sc, acc);
  let n = strips;
  if (nb - n >= 32) {
    nnTwoVectors(M, kEnd, a, sa, b + n, sb, c + n, sc, acc);
    n += 32;
  }
  if (n < nb) nnOneVector(M, kEnd, a, sa, b + n, sb, c + n, sc, acc);
}

/**
 * One row of A times the first `width` bytes (a multiple of 64) of B's columns, 16 at a time.
 * Four accumulators are enough here: one row reads each B value once, so the product waits on
 * L2 (W_hh at H = 100 is 41 KB, past L1) rather than on the multiply-adds, and wider blocks
 * measured slower (0.6-0.75x).
 */
function nnLastRow(width: usize, K: i32, a: usize, b: usize, sb: usize, c: usize, acc: i32): void {
  const kEnd = <usize>K << 2;
  for (let n: usize = 0; n < width; n += 64) {
    const c0 = c + n;
    let x0 = acc ? v128.load(c0) : f32x4.splat(0);
    let x1 = acc ? v128.load(c0, 16) : f32x4.splat(0);
    let x2 = acc ? v128.load(c0, 32) : f32x4.splat(0);
    let x3 = acc ? v128.load(c0, 48) : f32x4.splat(0);
    let bp = b + n;
    for (let k: usize = 0; k < kEnd; k += 4) {
      const s = v128.load32_splat(a + k);
      x0 = mac(x0, s, v128.load(bp));
      x1 = mac(x1, s, v128.load(bp, 16));
      x2 = mac(x2, s, v128.load(bp, 32));
      x3 = mac(x3, s, v128.load(bp, 48));
      bp += sb;
    }
    v128.store(c0, x0);
    v128.store(c0, x1, 16);
    v128.store(c0, x2, 32);
    v128.store(c0, x3, 48);
  }
}

/** Every row of A times two vectors (8 columns) of B: four rows (eight accumulators) at a time. */
function nnTwoVectors(M: i32, kEnd: usize, a: usize, sa: usize, b: usize, sb: usize, c: usize, sc: usize, acc: i32): void {
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const a0 = a + <usize>m * sa;
    const a1 = a0 + sa;
    const a2 = a1 + sa;
    const a3 = a2 + sa;
    const c0 = c + <usize>m * sc;
    const c1 = c0 + sc;
    const c2 = c1 + sc;
    const c3 = c2 + sc;
    let x00 = acc ? v128.load(c0) : f32x4.splat(0);
    let x01 = acc ? v128.load(c0, 16) : f32x4.splat(0);
    let x10 = acc ? v128.load(c1) : f32x4.splat(0);
    let x11 = acc ? v128.load(c1, 16) : f32x4.splat(0);
    let x20 = acc ? v128.load(c2) : f32x4.splat(0);
    let x21 = acc ? v128.load(c2, 16) : f32x4.splat(0);
    let x30 = acc ? v128.load(c3) : f32x4.splat(0);
    let x31 = acc ? v128.load(c3, 16) : f32x4.splat(0);
    let bp = b;
    for (let k: usize = 0; k < kEnd; k += 4) {
      const vb0 = v128.load(bp);
      const vb1 = v128.load(bp, 16);
      const s0 = v128.load32_splat(a0 + k);
      const s1 = v128.load32_splat(a1 + k);
      const s2 = v128.load32_splat(a2 + k);
      const s3 = v128.load32_splat(a3 + k);
      x00 = mac(x00, s0, vb0);
      x01 = mac(x01, s0, vb1);
      x10 = mac(x10, s1, vb0);
      x11 = mac(x11, s1, vb1);
      x20 = mac(x20, s2, vb0);
      x21 = mac(x21, s2, vb1);
      x30 = mac(x30, s3, vb0);
      x31 = mac(x31, s3, vb1);
      bp += sb;
    }
    v128.store(c0, x00);
    v128.store(c0, x01, 16);
    v128.store(c1, x10);
    v128.store(c1, x11, 16);
    v128.store(c2, x20);
    v128.store(c2, x21, 16);
    v128.store(c3, x30);
    v128.store(c3, x31, 16);
  }
  for (; m < M; m++) {
    const a0 = a + <usize>m * sa;
    const c0 = c + <usize>m * sc;
    let x0 = acc ? v128.load(c0) : f32x4.splat(0);
    let x1 = acc ? v128.load(c0, 16) : f32x4.splat(0);
    let bp = b;
    for (let k: usize = 0; k < kEnd; k += 4) {
      const s0 = v128.load32_splat(a0 + k);
      x0 = mac(x0, s0, v128.load(bp));
      x1 = mac(x1, s0, v128.load(bp, 16));
      bp += sb;
    }
    v128.store(c0, x0);
    v128.store(c0, x1, 16);
  }
}

/** Every row of A times one vector (4 columns) of B: eight rows (eight accumulators) at a time, then four. */
function nnOneVector(M: i32, kEnd: usize, a: usize, sa: usize, b: usize, sb: usize, c: usize, sc: usize, acc: i32): void {
  let m = 0;
  for (; m + 8 <= M; m += 8) {
    const a0 = a + <usize>m * sa;
    const c0 = c + <usize>m * sc;
    let x0 = acc ? v128.load(c0) : f32x4.splat(0);
    let x1 = acc ? v128.load(c0 + sc) : f32x4.splat(0);
    let x2 = acc ? v128.load(c0 + 2 * sc) : f32x4.splat(0);
    let x3 = acc ? v128.load(c0 + 3 * sc) : f32x4.splat(0);
    let x4 = acc ? v128.load(c0 + 4 * sc) : f32x4.splat(0);
    let x5 = acc ? v128.load(c0 + 5 * sc) : f32x4.splat(0);
    let x6 = acc ? v128.load(c0 + 6 * sc) : f32x4.splat(0);
    let x7 = acc ? v128.load(c0 + 7 * sc) : f32x4.splat(0);
    let bp = b;
    let ap = a0;
    const aEnd = a0 + kEnd;
    for (; ap < aEnd; ap += 4) {
      const vb = v128.load(bp);
      x0 = mac(x0, v128.load32_splat(ap), vb);
      x1 = mac(x1, v128.load32_splat(ap + sa), vb);
      x2 = mac(x2, v128.load32_splat(ap + 2 * sa), vb);
      x3 = mac(x3, v128.load32_splat(ap + 3 * sa), vb);
      x4 = mac(x4, v128.load32_splat(ap + 4 * sa), vb);
      x5 = mac(x5, v128.load32_splat(ap + 5 * sa), vb);
      x6 = mac(x6, v128.load32_splat(ap + 6 * sa), vb);
      x7 = mac(x7, v128.load32_splat(ap + 7 * sa), vb);
      bp += sb;
    }
    v128.store(c0, x0);
    v128.store(c0 + sc, x1);
    v128.store(c0 + 2 * sc, x2);
    v128.store(c0 + 3 * sc, x3);
    v128.store(c0 + 4 * sc, x4);
    v128.store(c0 + 5 * sc, x5);
    v128.store(c0 + 6 * sc, x6);
    v128.store(c0 + 7 * sc, x7);
  }
  // The itemizer's row counts leave any remainder: four rows keep four chains going.
  for (; m + 4 <= M; m += 4) {
    const a0 = a + <usize>m * sa;
    const c0 = c + <usize>m * sc;
    let x0 = acc ? v128.load(c0) : f32x4.splat(0);
    let x1 = acc ? v128.load(c0 + sc) : f32x4.splat(0);
    let x2 = acc ? v128.load(c0 + 2 * sc) : f32x4.splat(0);
    let x3 = acc ? v128.load(c0 + 3 * sc) : f32x4.splat(0);
    let bp = b;
    for (let ap = a0, aEnd = a0 + kEnd; ap < aEnd; ap += 4) {
      const vb = v128.load(bp);
      x0 = mac(x0, v128.load32_splat(ap), vb);
      x1 = mac(x1, v128.load32_splat(ap + sa), vb);
      x2 = mac(x2, v128.load32_splat(ap + 2 * sa), vb);
      x3 = mac(x3, v128.load32_splat(ap + 3 * sa), vb);
      bp += sb;
    }
    v128.store(c0, x0);
    v128.store(c0 + sc, x1);
    v128.store(c0 + 2 * sc, x2);
    v128.store(c0 + 3 * sc, x3);
  }
  for (; m < M; m++) {
    const a0 = a + <usize>m * sa;
    const c0 = c + <usize>m * sc;
    let x0 = acc ? v128.load(c0) : f32x4.splat(0);
    let bp = b;
    for (let k: usize = 0; k < kEnd; k += 4) {
      x0 = mac(x0, v128.load32_splat(a0 + k), v128.load(bp));
      bp += sb;
    }
    v128.store(c0, x0);
  }
}

/** Rows of A and B per panel of {@link gemmTN}. */
const TN_PANEL = 64;

/**
 * C[m,n] (+)= Σ_k A[k,m]·B[k,n]; writes roundUp4(N) columns. K is taken in panels of
 * {@link TN_PANEL} rows: the weight-gradient products run over all n·B steps (K = 800 at B = 32),
 * and a whole column block of A with a whole strip of B no longer fit in L1, so every block of
 * C streamed them from L2 (22-30 GFLOP/s); a panel keeps them in L1 (40-45 GFLOP/s). Each C
 * value still adds its k terms in order, so the result is unchanged.
 */
export function gemmTN(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: i32): void {
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  for (let k0 = 0; k0 < K; k0 += TN_PANEL) {
    const kc = K - k0 < TN_PANEL ? K - k0 : TN_PANEL;
    gemmTNPanel(M, N, kc, a + <usize>k0 * sa, lda, b + <usize>k0 * sb, ldb, c, ldc, acc | (k0 > 0 ? 1 : 0));
  }
}

/** {@link gemmTN} over one panel of K. */
function gemmTNPanel(M: i32, N: i32, K: i32, a: usize, lda: i32, b: usize, ldb: i32, c: usize, ldc: i32, acc: i32): void {
  const nb = (<usize>((N + 3) & ~3)) << 2;
  const sa = (<usize>lda) << 2;
  const sb = (<usize>ldb) << 2;
  const sc = (<usize>ldc) << 2;
  let m = 0;
  for (; m + 4 <= M; m += 4) {
    const am = a + (<usize>m << 2);
    const c0 = c + <usize>m * sc;
    const c1 = c0 + sc;
    const c2 = c1 + sc;
    const c3 = c2 + sc;
    let n: usize = 0;
    for (; n + 32 <= nb; n += 32) {
      // One test of `acc` for the block rather than one per accumulator: with the weight
      // gradients' short K (n·B = 25 at B = 1) the block's set-up shows (7-9% of the call).
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0), x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0), x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      if (acc) {
        x00 = v128.load(c0 + n);
        x01 = v128.load(c0 + n + 16);
        x10 = v128.load(c1 + n);
        x11 = v128.load(c1 + n + 16);
        x20 = v128.load(c2 + n);
        x21 = v128.load(c2 + n + 16);
        x30 = v128.load(c3 + n);
        x31 = v128.load(c3 + n + 16);
      }
      let ap = am;
      let bp = b + n;
      for (let k = 0; k < K; k++) {
        const vb0 = v128.load(bp);
        const vb1 = v128.load(bp, 16);
        const s0 = v128.load32_splat(ap);
        const s1 = v128.load32_splat(ap, 4);
        const s2 = v128.load32_splat(ap, 8);
        const s3 = v128.load32_splat(ap, 12);
        x00 = mac(x00, s0, vb0);
        x01 = mac(x01, s0, vb1);
        x10 = mac(x10, s1, vb0);
        x11 = mac(x11, s1, vb1);
        x20 = mac(x20, s2, vb0);
        x21 = mac(x21, s2, vb1);
        x30 = mac(x30, s3, vb0);
        x31 = mac(x31, s3, vb1);
        ap += sa;
        bp += sb;
      }
      v128.store(c0 + n, x00);
      v128.store(c0 + n, x01, 16);
      v128.store(c1 + n, x10);
      v128.store(c1 + n, x11, 16);
      v128.store(c2 + n, x20);
      v128.store(c2 + n, x21, 16);
      v128.store(c3 + n, x30);
      v128.store(c3 + n, x31, 16);
    }
    for (; n < nb; n += 16) {
      let x0 = acc ? v128.load(c0 + n) : f32x4.splat(0);
      let x1 = acc ? v128.load(c1 + n) : f32x4.splat(0);
      let x2 = acc ? v128.load(c2 + n) : f32x4.splat(0);
      let x3 = acc ? v128.load(c3 + n) : f32x4.splat(0);
      let ap = am;
      let bp = b + n;
      for (let k = 0; k < K; k++) {
        const vb = v128.load(bp);
        x0 = mac(x0, v128.load32_splat(ap), vb);
        x1 = mac(x1, v128.load32_splat(ap, 4), vb);
        x2 = mac(x2, v128.load32_splat(ap, 8), vb);
        x3 = mac(x3, v128.load32_splat(ap, 12), vb);
        ap += sa;
        bp += sb;
      }
      v128.store(c0 + n, x0);
      v128.store(c1 + n, x1);
      v128.store(c2 + n, x2);
      v128.store(c3 + n, x3);
    }
  }
  for (; m < M; m++) {
    const am = a + (<usize>m << 2);
    const c0 = c + <usize>m * sc;
    for (let n: usize = 0; n < nb; n += 16) {
      let x0 = acc ? v128.load(c0 + n) : f32x4.splat(0);
      let ap = am;
      let bp = b + n;
      for (let k = 0; k < K; k++) {
        x0 = mac(x0, v128.load32_splat(ap), v128.load(bp));
        ap += sa;
        bp += sb;
      }
      v128.store(c0 + n, x0);
    }
  }
}

/** out[n] (+)= Σ_m A[m,n] for roundUp4(N) columns. */
export function colSum(M: i32, N: i32, a: usize, lda: i32, out: usize, acc: i32): void {
  const nb = (<usize>((N + 3) & ~3)) << 2;
  const sa = (<usize>lda) << 2;
  for (let n: usize = 0; n < nb; n += 16) {
    let x = acc ? v128.load(out + n) : f32x4.splat(0);
    let ap = a + n;
    for (let m = 0; m < M; m++) {
      x = f32x4.add(x, v128.load(ap));
      ap += sa;
    }
    v128.store(out + n, x);
  }
}

/** y[i] = s·x[i]. */
export function scale(count: i32, x: usize, y: usize, s: f32): void {
  const vs = f32x4.splat(s);
  const end = <usize>count << 2;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) v128.store(y + i, f32x4.mul(v128.load(x + i), vs));
  for (; i < end; i += 4) store<f32>(y + i, load<f32>(x + i) * s);
}
