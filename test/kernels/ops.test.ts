import { describe, expect, it } from 'vitest';
import { createJsOps } from '../../src/core/engine/fused/js-ops.js';
import { type FusedOps, roundUp4, SOFTMAX_GRADIENT, SOFTMAX_PROBS } from '../../src/core/engine/fused/ops.js';
import { loadWasmOps, type WasmVariant, wasmUnavailableReason } from '../../src/core/engine/fused/wasm-ops.js';
import { SeededRandom } from '../../src/core/random.js';
import { relativeError } from '../helpers/random-model.js';

/**
 * Each WebAssembly kernel against the JavaScript kernel and against a direct evaluation of its
 * formula, on random data with sizes that are not multiples of the lane count.
 */

function wasmOps(variant: WasmVariant): FusedOps {
  const ops = loadWasmOps(variant);
  if (!ops) throw new Error(`WebAssembly ${variant} kernels missing (${wasmUnavailableReason(variant)}); run npm run build`);
  return ops;
}

/** Both implementations over identical memory contents. */
function pair(size: number, seed: number, variant: WasmVariant): { js: FusedOps; wasm: FusedOps; base: number } {
  const js = createJsOps(1 << 10);
  const wasm = wasmOps(variant);
  const base = roundUp4(Math.max(js.memory.base, wasm.memory.base));
  js.memory.ensure(base + size);
  wasm.memory.ensure(base + size);
  refill({ js, wasm }, base, size, seed);
  return { js, wasm, base };
}

/** Fresh random values in both memories. */
function refill(p: { js: FusedOps; wasm: FusedOps }, at: number, count: number, seed: number): void {
  const rng = new SeededRandom(seed);
  for (let i = 0; i < count; i++) {
    const v = rng.uniform(-1, 1);
    p.js.memory.f32[at + i] = v;
    p.wasm.memory.f32[at + i] = v;
  }
}

const read = (ops: FusedOps, at: number, count: number): Float32Array => ops.memory.f32.slice(at, at + count);

/** Zeroes the pad columns of a [rows, cols] matrix stored with leading dimension ld, in both memories. */
function zeroPads(p: { js: FusedOps; wasm: FusedOps }, at: number, rows: number, cols: number, ld: number): void {
  for (const ops of [p.js, p.wasm]) for (let r = 0; r < rows; r++) ops.memory.f32.fill(0, at + r * ld + cols, at + (r + 1) * ld);
}

// Both builds: plain SIMD, and the FMA build (relaxed SIMD) the engine prefers where it runs.
for (const variant of ['simd', 'fma'] as const) describe(`fused kernels: WebAssembly ${variant} agrees with JavaScript and with the formulas`, () => {
  const shapes = [
    [1, 5, 7],
    [2, 9, 13],
    [3, 17, 6],
    [7, 33, 21],
    [26, 100, 100],
    // gemmNN's column tails (one, two and three vectors past the 16-column strips) with row
    // counts that leave every remainder of its 8-, 4-, 2- and 1-row blocks; the itemizer's
    // odd row counts at H = 100; one row (B = 1).
    [25, 100, 100],
    [9, 44, 19],
    [17, 24, 5],
    [15, 40, 11],
    [1, 100, 100],
    // K past the kernels' panels (gemmTN: 64 rows, gemmNN: 128) and not a multiple of them.
    [5, 37, 300],
    [3, 130, 129],
  ];

  for (const [M, N, K] of shapes) {
    for (const accumulate of [false, true]) {
      it(`gemmNT/NN/TN ${M}x${N}x${K} accumulate=${accumulate}`, () => {
        const lda = roundUp4(Math.max(K, M)) + 4;
        const ldb = roundUp4(Math.max(N, K)) + 4;
        const ldc = roundUp4(Math.max(N, M)) + 4;
        const region = Math.max(128 * 128, (Math.max(M, N, K) + 1) * Math.max(lda, ldb, ldc));
        const p = pair(3 * region + 64, M * 1000 + N * 10 + K, variant);
        const a = p.base;
        const b = a + region;
        const c = b + region;
        const rows = (region / Math.max(lda, ldb, ldc)) | 0;

        // gemmNT: A [M, K], B [N, K], K-pads zero.
        zeroPads(p, a, rows, K, lda);
        zeroPads(p, b, rows, K, ldb);
        const expectNT = read(p.js, c, M * ldc);
        const A = read(p.js, a, rows * lda);
        const B = read(p.js, b, rows * ldb);
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < N; n++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += A[m * lda + k] * B[n * ldb + k];
            expectNT[m * ldc + n] = (accumulate ? expectNT[m * ldc + n] : 0) + s;
          }
        }
        for (const ops of [p.js, p.wasm]) ops.gemmNT(M, N, K, a, lda, b, ldb, c, ldc, accumulate);
        expect(relativeError(read(p.wasm, c, M * ldc), expectNT)).toBeLessThan(1e-5);
        expect(relativeError(read(p.js, c, M * ldc), expectNT)).toBeLessThan(1e-5);

        // gemmNN: A [M, K], B [K, N] with zero pads, C gets roundUp4(N) columns. B gets fresh
        // values first: gemmNT zeroed its columns from K on, which would hide every column
        // block past K when K < N.
        refill(p, b, region, M * 7 + N * 3 + K);
        zeroPads(p, b, rows, N, ldb);
        const B2 = read(p.js, b, rows * ldb);
        const expectNN = read(p.js, c, M * ldc);
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < roundUp4(N); n++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += A[m * lda + k] * B2[k * ldb + n];
            expectNN[m * ldc + n] = (accumulate ? expectNN[m * ldc + n] : 0) + s;
          }
        }
        for (const ops of [p.js, p.wasm]) ops.gemmNN(M, N, K, a, lda, b, ldb, c, ldc, accumulate);
        expect(relativeError(read(p.wasm, c, M * ldc), expectNN)).toBeLessThan(1e-5);
        expect(relativeError(read(p.js, c, M * ldc), expectNN)).toBeLessThan(1e-5);

        // gemmTN: A [K, M], B [K, N]. A gets fresh values for the same reason as B above.
        refill(p, a, region, M * 5 + N * 11 + K);
        const At = read(p.js, a, rows * lda);
        const expectTN = read(p.js, c, M * ldc);
        for (let m = 0; m < M; m++) {
          for (let n = 0; n < roundUp4(N); n++) {
            let s = 0;
            for (let k = 0; k < K; k++) s += At[k * lda + m] * B2[k * ldb + n];
            expectTN[m * ldc + n] = (accumulate ? expectTN[m * ldc + n] : 0) + s;
          }
        }
        for (const ops of [p.js, p.wasm]) ops.gemmTN(M, N, K, a, lda, b, ldb, c, ldc, accumulate);
        expect(relativeError(read(p.wasm, c, M * ldc), expectTN)).toBeLessThan(1e-5);
        expect(relativeError(read(p.js, c, M * ldc), expectTN)).toBeLessThan(1e-5);

        // colSum over M rows of B.
        const out = c + (M + 1) * ldc;
        const expectSum = read(p.js, out, roundUp4(N));
        for (let n = 0; n < roundUp4(N); n++) {
          let s = 0;
          for (let m = 0; m < M; m++) s += B2[m * ldb + n];
          expectSum[n] = (accumulate ? expectSum[n] : 0) + s;
        }
        for (const ops of [p.js, p.wasm]) ops.colSum(M, N, b, ldb, out, accumulate);
        expect(relativeError(read(p.wasm, out, roundUp4(N)), expectSum)).toBeLessThan(1e-5);
        expect(relativeError(read(p.js, out, roundUp4(N)), expectSum)).toBeLessThan(1e-5);
      });
    }
  }

  it('gather and scatter columns of a one-hot product', () => {
    const R = 5, G = 11, V = 7, ldo = 12;
    const p = pair(4096, 3, variant);
    const w = p.base, bias = w + G * V, out = bias + 12, tok = out + R * ldo;
    const ids = [3, 0, 6, 3, 2];
    for (const ops of [p.js, p.wasm]) ids.forEach((id, r) => (ops.memory.i32[tok + 2 * r] = id));
    const W = read(p.js, w, G * V);
    const bv = read(p.js, bias, G);
    for (const ops of [p.js, p.wasm]) ops.gatherColumns(R, tok, 2, w, V, G, bias, out, ldo);
    for (let r = 0; r < R; r++) {
      for (let g = 0; g < G; g++) {
        for (const ops of [p.js, p.wasm]) expect(ops.memory.f32[out + r * ldo + g]).toBeCloseTo(W[g * V + ids[r]] + bv[g], 6);
      }
    }
    const dz = read(p.js, out, R * ldo);
    const expectW = W.slice();
    for (let r = 0; r < R; r++) for (let g = 0; g < G; g++) expectW[g * V + ids[r]] += dz[r * ldo + g];
    for (const ops of [p.js, p.wasm]) ops.scatterColumns(R, tok, 2, out, ldo, G, w, V);
    expect(relativeError(read(p.wasm, w, G * V), expectW)).toBeLessThan(1e-6);
    expect(relativeError(read(p.js, w, G * V), expectW)).toBeLessThan(1e-6);
  });

  it('softmax cross-entropy, argmax and p - onehot; probabilities mode', () => {
    const R = 4, V = 13, ld = 16;
    const p = pair(1024, 5, variant);
    const logits = p.base, bias = logits + R * ld, loss = bias + 16, pred = loss + 8, targets = pred + 8;
    const y = [0, 12, 5, 7];
    for (const ops of [p.js, p.wasm]) {
      y.forEach((t, r) => (ops.memory.i32[targets + r] = t));
      for (let i = 0; i < R * ld; i++) ops.memory.f32[logits + i] *= 30; // large logits: stability
    }
    const L = read(p.js, logits, R * ld);
    const bv = read(p.js, bias, V);
    const copy = read(p.js, logits, R * ld);
    for (const ops of [p.js, p.wasm]) ops.softmax(R, V, logits, ld, bias, targets, loss, pred, SOFTMAX_GRADIENT);
    for (let r = 0; r < R; r++) {
      const x = Array.from({ length: V }, (_, v) => L[r * ld + v] + bv[v]);
      const max = Math.max(...x);
      const sum = x.reduce((s, v) => s + Math.exp(v - max), 0);
      for (const ops of [p.js, p.wasm]) {
        expect(ops.memory.f32[loss + r]).toBeCloseTo(Math.log(sum) - (x[y[r]] - max), 4);
        expect(ops.memory.i32[pred + r]).toBe(x.indexOf(max));
        for (let v = 0; v < V; v++) {
          expect(ops.memory.f32[logits + r * ld + v]).toBeCloseTo(Math.exp(x[v] - max) / sum - (v === y[r] ? 1 : 0), 6);
        }
      }
    }
    for (const ops of [p.js, p.wasm]) {
      ops.memory.f32.set(copy, logits);
      ops.softmax(R, V, logits, ld, bias, targets, loss, pred, SOFTMAX_PROBS);
      for (let r = 0; r < R; r++) {
        let s = 0;
        for (let v = 0; v < V; v++) s += ops.memory.f32[logits + r * ld + v];
        expect(s).toBeCloseTo(1, 5);
      }
    }
  });

  it('softmax argmax: the first index of the maximum, in whole vectors and in the tail; a NaN logit is passed over', () => {
    const V = 13, ld = 16;
    // [positions of the maximum (value 5), position of a NaN or -1]; the rest of a row is 1.
    const rows: [number[], number][] = [[[2, 9], -1], [[12], -1], [[11], -1], [[5], 0], [[3, 12], -1], [[7], 7 + 1]];
    const expected = [2, 12, 11, 5, 3, 7];
    const R = rows.length;
    const p = pair(1024, 3, variant);
    const logits = p.base, bias = logits + R * ld, loss = bias + 16, pred = loss + 8, targets = pred + 8;
    for (const ops of [p.js, p.wasm]) {
      ops.memory.f32.fill(0, bias, bias + ld);
      rows.forEach(([maxAt, nanAt], r) => {
        ops.memory.f32.fill(1, logits + r * ld, logits + r * ld + ld);
        for (const v of maxAt) ops.memory.f32[logits + r * ld + v] = 5;
        if (nanAt >= 0) ops.memory.f32[logits + r * ld + nanAt] = NaN;
        ops.memory.i32[targets + r] = 1;
      });
      ops.softmax(R, V, logits, ld, bias, targets, loss, pred, SOFTMAX_GRADIENT);
      expect(Array.from(ops.memory.i32.subarray(pred, pred + R))).toEqual(expected);
      rows.forEach(([, nanAt], r) => expect(Number.isNaN(ops.memory.f32[loss + r]), `row ${r}`).toBe(nanAt >= 0));
    }
  });

  it('sumSquares: the same partial sums in both implementations, the float64 sum to float32 rounding', () => {
    // Empty, a tail only, one chunk less a value, chunks plus a vector and a tail.
    for (const count of [0, 3, 16, 1023, 1024 + 17, 5 * 1024 + 64 + 5]) {
      const p = pair(count + 8, 100 + count, variant);
      const x = read(p.js, p.base, count);
      let exact = 0;
      for (const v of x) exact += v * v;
      const js = p.js.sumSquares(count, p.base);
      const wasm = p.wasm.sumSquares(count, p.base);
      expect(wasm, `count ${count}`).toBe(js);
      if (count === 0) expect(js).toBe(0);
      else expect(Math.abs(js - exact) / exact, `count ${count}`).toBeLessThan(1e-6);
    }
  });

  it('adagrad and adam apply the clipping factor to the gradient as they read it, and leave the gradient alone', () => {
    const count = 203; // 50 vectors + 3 tail values
    for (const kind of ['adagrad', 'adam'] as const) {
      for (const gs of [1, 0.37]) {
        const p = pair(5 * 208, 11, variant);
        const [prm, g, m, v] = [0, 1, 2, 3].map((i) => p.base + i * 208);
        // Moments that already hold something: from zero, the first step is ±lr whatever the scale.
        for (const ops of [p.js, p.wasm]) {
          ops.memory.f32.fill(0.5, m, m + 208);
          ops.memory.f32.fill(0.3, v, v + 208);
        }
        const P = read(p.js, prm, count);
        const Gr = read(p.js, g, count);
        for (const ops of [p.js, p.wasm]) {
          if (kind === 'adagrad') ops.adagrad(count, prm, g, m, 0.1, 1e-8, gs);
          else ops.adam(count, prm, g, m, v, 0.01, 0.9, 0.999, 0.1, 0.001, 1e-8, gs);
        }
        const expected = P.map((pv, i) => {
          const gi = Gr[i] * gs;
          if (kind === 'adagrad') return pv - (0.1 * gi) / Math.sqrt(0.5 + gi * gi + 1e-8);
          const m1 = Math.fround(0.5) * 0.9 + 0.1 * gi;
          const v1 = Math.fround(0.3) * 0.999 + 0.001 * gi * gi;
          return pv - (0.01 * (m1 / 0.1)) / (Math.sqrt(v1 / 0.001) + 1e-8);
        });
        for (const ops of [p.js, p.wasm]) {
          expect(relativeError(read(ops, prm, count), expected), `${kind} gs=${gs}`).toBeLessThan(1e-6);
          expect(read(ops, g, count)).toEqual(Gr);
        }
      }
    }
  });

  it('activations: tanh, sigmoid and exp over a wide range, in the cell kernels', () => {
    const H = 203; // 50 vectors + 3 tail lanes
    const p = pair(8192, 9, variant);
    const z = p.base, h = z + 4 * 208, c = h + 208, tc = c + 208, cPrev = tc + 208;
    for (const ops of [p.js, p.wasm]) {
      for (let i = 0; i < 4 * 208; i++) ops.memory.f32[z + i] = -40 + (80 * i) / (4 * 208) + (i % 3) * 1e-3;
      ops.memory.f32.fill(0, cPrev, cPrev + 208);
    }
    const Z = read(p.js, z, 4 * 208);
    for (const ops of [p.js, p.wasm]) ops.rnnForward(1, 4 * 52, z, 0, h, 0);
    for (const ops of [p.js, p.wasm]) {
      for (let i = 0; i < 4 * 52; i++) expect(Math.abs(ops.memory.f32[h + i] - Math.tanh(Z[i]))).toBeLessThan(3e-7);
    }
    for (const ops of [p.js, p.wasm]) ops.lstmForward(1, H, z, 4 * 208, cPrev, c, tc, h, 208);
    for (const ops of [p.js, p.wasm]) {
      for (let x = 0; x < H; x++) {
        const sig = (v: number) => 1 / (1 + Math.exp(-v));
        const i = sig(Z[x]);
        const g = Math.tanh(Z[2 * H + x]);
        const o = sig(Z[3 * H + x]);
        expect(Math.abs(ops.memory.f32[z + x] - i)).toBeLessThan(3e-7);
        expect(Math.abs(ops.memory.f32[c + x] - i * g)).toBeLessThan(1e-6);
        expect(Math.abs(ops.memory.f32[h + x] - o * Math.tanh(i * g))).toBeLessThan(1e-6);
      }
    }
  });
});
