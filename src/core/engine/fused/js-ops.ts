import { type FusedOps, type KernelMemory, roundUp4, SOFTMAX_GRADIENT } from './ops.js';

/** A growable memory backed by an ordinary ArrayBuffer. */
class ArrayMemory implements KernelMemory {
  f32: Float32Array;
  i32: Int32Array;
  readonly base = 0;

  constructor(elements: number) {
    this.f32 = new Float32Array(elements);
    this.i32 = new Int32Array(this.f32.buffer);
  }

  ensure(elements: number): void {
    if (elements <= this.f32.length) return;
    const next = new Float32Array(Math.max(elements, this.f32.length * 2));
    next.set(this.f32);
    this.f32 = next;
    this.i32 = new Int32Array(next.buffer);
  }
}

/**
 * C[m, :] (+)= Σ_k A(m, k)·B[k, :] over roundUp4(N) columns, with A(m, k) at a + m·am + k·ak:
 * `gemmNN` (am = lda, ak = 1) and `gemmTN` (am = 1, ak = lda) differ only in how they read A.
 */
function rowCombinations(
  f: Float32Array, M: number, N: number, K: number, a: number, am: number, ak: number, b: number, ldb: number, c: number, ldc: number, accumulate: boolean,
): void {
  const N4 = roundUp4(N);
  for (let m = 0; m < M; m++) {
    const cr = c + m * ldc;
    if (!accumulate) f.fill(0, cr, cr + N4);
    for (let k = 0; k < K; k++) {
      const s = f[a + m * am + k * ak];
      if (s === 0) continue;
      const br = b + k * ldb;
      for (let n = 0; n < N4; n++) f[cr + n] += s * f[br + n];
    }
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The fused kernels as plain JavaScript loops: the fallback where WebAssembly SIMD is missing,
 * and the readable statement of what each WebAssembly kernel computes (the kernel tests compare
 * the two on random data).
 */
export function createJsOps(initialElements = 1 << 16): FusedOps {
  const memory = new ArrayMemory(initialElements);
  return {
    kind: 'js',
    memory,

    gemmNT(M, N, K, a, lda, b, ldb, c, ldc, accumulate) {
      const f = memory.f32;
      for (let m = 0; m < M; m++) {
        const ar = a + m * lda;
        const cr = c + m * ldc;
        for (let n = 0; n < N; n++) {
          const br = b + n * ldb;
          let s = 0;
          for (let k = 0; k < K; k++) s += f[ar + k] * f[br + k];
          f[cr + n] = accumulate ? f[cr + n] + s : s;
        }
      }
    },

    gemmNN(M, N, K, a, lda, b, ldb, c, ldc, accumulate) {
      rowCombinations(memory.f32, M, N, K, a, lda, 1, b, ldb, c, ldc, accumulate);
    },

    gemmTN(M, N, K, a, lda, b, ldb, c, ldc, accumulate) {
      rowCombinations(memory.f32, M, N, K, a, 1, lda, b, ldb, c, ldc, accumulate);
    },

    colSum(M, N, a, lda, out, accumulate) {
      const f = memory.f32;
      const N4 = roundUp4(N);
      if (!accumulate) f.fill(0, out, out + N4);
      for (let m = 0; m < M; m++) {
        const ar = a + m * lda;
        for (let n = 0; n < N4; n++) f[out + n] += f[ar + n];
      }
    },

    gatherColumns(R, tok, tokStride, w, ldw, G, bias, out, ldo) {
      const f = memory.f32;
      const ids = memory.i32;
      for (let r = 0; r < R; r++) {
        const col = w + ids[tok + r * tokStride];
        const o = out + r * ldo;
        for (let g = 0; g < G; g++) f[o + g] = f[col + g * ldw] + f[bias + g];
      }
    },

    scatterColumns(R, tok, tokStride, dz, ldz, G, w, ldw) {
      const f = memory.f32;
      const ids = memory.i32;
      for (let r = 0; r < R; r++) {
        const col = w + ids[tok + r * tokStride];
        const d = dz + r * ldz;
        for (let g = 0; g < G; g++) f[col + g * ldw] += f[d + g];
      }
    },

    softmax(R, V, logits, ld, bias, targets, loss, pred, mode) {
      const f = memory.f32;
      const ids = memory.i32;
      for (let r = 0; r < R; r++) {
        const row = logits + r * ld;
        let max = -Infinity;
        let arg = 0;
        for (let v = 0; v < V; v++) {
          const x = f[row + v] + f[bias + v];
          f[row + v] = x;
          if (x > max) {
            max = x;
            arg = v;
          }
        }
        const y = mode === SOFTMAX_GRADIENT ? ids[targets + r] : 0;
        const shiftedTarget = f[row + y] - max;
        let sum = 0;
        for (let v = 0; v < V; v++) {
          const e = Math.exp(f[row + v] - max);
          f[row + v] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let v = 0; v < V; v++) f[row + v] *= inv;
        if (mode === SOFTMAX_GRADIENT) {
          // -log p_y from the shifted logit, so it stays finite when p_y underflows.
          f[loss + r] = Math.log(sum) - shiftedTarget;
          ids[pred + r] = arg;
          f[row + y] -= 1;
        }
      }
    },

    scale(count, x, y, s) {
      const f = memory.f32;
      for (let i = 0; i < count; i++) f[y + i] = f[x + i] * s;
    },

    adagrad(count, p, g, mem, lr, eps, gs) {
      const f = memory.f32;
      for (let i = 0; i < count; i++) {
        const gi = Math.fround(f[g + i] * gs);
        const m = f[mem + i] + gi * gi;
        f[mem + i] = m;
        f[p + i] -= (lr * gi) / Math.sqrt(m + eps);
      }
    },

    adam(count, p, g, m, v, lr, b1, b2, c1, c2, eps, gs) {
      const f = memory.f32;
      for (let i = 0; i < count; i++) {
        const gi = Math.fround(f[g + i] * gs);
        const mi = b1 * f[m + i] + (1 - b1) * gi;
        const vi = b2 * f[v + i] + (1 - b2) * gi * gi;
        f[m + i] = mi;
        f[v + i] = vi;
        f[p + i] -= (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
      }
    },

    sumSquares(count, x) {
      // The same partial sums as the kernel, so the clipping factor is the same on every backend.
      const f = memory.f32;
      const whole = count & ~15;
      let total = 0;
      let i = 0;
      const lanes = new Float32Array(16);
      while (i < whole) {
        const stop = Math.min(whole, i + 1024);
        lanes.fill(0);
        for (; i < stop; i += 16) for (let l = 0; l < 16; l++) lanes[l] = Math.fround(lanes[l] + Math.fround(f[x + i + l] * f[x + i + l]));
        const s: number[] = [];
        for (let l = 0; l < 4; l++) s.push(Math.fround(Math.fround(lanes[l] + lanes[4 + l]) + Math.fround(lanes[8 + l] + lanes[12 + l])));
        total += s[0] + s[1] + s[2] + s[3];
      }
      for (; i < count; i++) total += f[x + i] * f[x + i];
      return total;
    },

    rnnForward(R, H, z, ldz, h, ldh) {
      const f = memory.f32;
      for (let r = 0; r < R; r++) for (let i = 0; i < H; i++) f[h + r * ldh + i] = Math.tanh(f[z + r * ldz + i]);
    },

    rnnBackward(R, H, h, hs, dh, ldd, dz, ldz) {
      const f = memory.f32;
      for (let r = 0; r < R; r++) {
        for (let i = 0; i < H; i++) {
          const y = f[h + r * hs + i];
          f[dz + r * ldz + i] = f[dh + r * ldd + i] * (1 - y * y);
        }
      }
    },

    lstmForward(R, H, z, ldz, cPrev, c, tc, h, ld) {
      const f = memory.f32;
      for (let r = 0; r < R; r++) {
        const zr = z + r * ldz;
        const sr = r * ld;
        for (let x = 0; x < H; x++) {
          const i = sigmoid(f[zr + x]);
          const fg = sigmoid(f[zr + H + x]);
          const g = Math.tanh(f[zr + 2 * H + x]);
          const o = sigmoid(f[zr + 3 * H + x]);
          f[zr + x] = i;
          f[zr + H + x] = fg;
          f[zr + 2 * H + x] = g;
          f[zr + 3 * H + x] = o;
          const cv = fg * f[cPrev + sr + x] + i * g;
          const t = Math.tanh(cv);
          f[c + sr + x] = cv;
          f[tc + sr + x] = t;
          f[h + sr + x] = o * t;
        }
      }
    },

    lstmBackward(R, H, gates, gs, cPrev, tc, ss, dh, dc, ldd, dz, ldz, dcPrev) {
      const f = memory.f32;
      for (let r = 0; r < R; r++) {
        const gr = gates + r * gs;
        const sr = r * ss;
        const dr = r * ldd;
        const zr = dz + r * ldz;
        for (let x = 0; x < H; x++) {
          const i = f[gr + x];
          const fg = f[gr + H + x];
          const g = f[gr + 2 * H + x];
          const o = f[gr + 3 * H + x];
          const t = f[tc + sr + x];
          const dhx = f[dh + dr + x];
          const dct = f[dc + dr + x] + dhx * o * (1 - t * t);
          f[zr + x] = dct * g * i * (1 - i);
          f[zr + H + x] = dct * f[cPrev + sr + x] * fg * (1 - fg);
          f[zr + 2 * H + x] = dct * i * (1 - g * g);
          f[zr + 3 * H + x] = dhx * t * o * (1 - o);
          f[dcPrev + dr + x] = dct * fg;
        }
      }
    },

    gruForward(R, H, gi, gh, ldg, bhh, hPrev, h, ld) {
      const f = memory.f32;
      for (let r = 0; r < R; r++) {
        const ir = gi + r * ldg;
        const hr = gh + r * ldg;
        const sr = r * ld;
        for (let x = 0; x < 3 * H; x++) f[hr + x] += f[bhh + x];
        for (let x = 0; x < H; x++) {
          const rg = sigmoid(f[ir + x] + f[hr + x]);
          const zg = sigmoid(f[ir + H + x] + f[hr + H + x]);
          const ng = Math.tanh(f[ir + 2 * H + x] + rg * f[hr + 2 * H + x]);
          f[ir + x] = rg;
          f[ir + H + x] = zg;
          f[ir + 2 * H + x] = ng;
          f[h + sr + x] = (1 - zg) * ng + zg * f[hPrev + sr + x];
        }
      }
    },

    gruBackward(R, H, act, gh, gs, hPrev, ss, dh, ldd, dgi, dgh, ldz, dhPrev) {
      const f = memory.f32;
      for (let r = 0; r < R; r++) {
        const ar = act + r * gs;
        const hr = gh + r * gs;
        const sr = r * ss;
        const dr = r * ldd;
        const ir = dgi + r * ldz;
        const zr = dgh + r * ldz;
        for (let x = 0; x < H; x++) {
          const rg = f[ar + x];
          const zg = f[ar + H + x];
          const ng = f[ar + 2 * H + x];
          const hp = f[hPrev + sr + x];
          const d = f[dh + dr + x];
          const dn = d * (1 - zg) * (1 - ng * ng);
          const dr0 = dn * f[hr + 2 * H + x] * rg * (1 - rg);
          const dz0 = d * (hp - ng) * zg * (1 - zg);
          f[ir + x] = dr0;
          f[ir + H + x] = dz0;
          f[ir + 2 * H + x] = dn;
          f[zr + x] = dr0;
          f[zr + H + x] = dz0;
          f[zr + 2 * H + x] = dn * rg;
          f[dhPrev + dr + x] += d * zg;
        }
      }
    },

    rowBlockSums(R, G, W, src, ld, mode, out) {
      const f = memory.f32;
      for (let r = 0; r < R; r++) {
        for (let g = 0; g < G; g++) {
          const p = src + r * ld + g * W;
          let s = 0;
          for (let i = 0; i < W; i++) {
            const x = f[p + i];
            s += mode === 0 ? x * x : mode === 1 ? Math.abs(x) : x;
          }
          f[out + r * G + g] = s;
        }
      }
    },
  };
}
