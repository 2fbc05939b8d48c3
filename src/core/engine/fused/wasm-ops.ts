import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { packageRoot } from '../../package-root.js';
import { RnnbowError } from '../../errors.js';
import type { FusedOps, KernelMemory } from './ops.js';

/** File name of the compiled kernels (scripts/build-wasm.mjs writes it to dist/wasm/). */
export const WASM_FILE = 'rnnbow-kernels.wasm';

/** The same kernels built with fused multiply-add (WebAssembly relaxed SIMD). */
export const WASM_FMA_FILE = 'rnnbow-kernels-fma.wasm';

/**
 * Which build of the kernels: `simd` (WebAssembly SIMD, runs on every current runtime) or
 * `fma` (the same source with its multiply-adds fused through relaxed SIMD: the matrix products
 * run up to a third faster, and round once per multiply-add instead of twice).
 */
export type WasmVariant = 'simd' | 'fma';

/** Set to `0` to keep the engine on the plain SIMD build even where the FMA build runs. */
export const FMA_ENV = 'RNNBOW_FMA';

const FILES: Record<WasmVariant, string> = { simd: WASM_FILE, fma: WASM_FMA_FILE };

/** The raw exports of the module: the same kernels as {@link FusedOps}, with byte pointers. */
interface KernelExports {
  memory: WebAssembly.Memory;
  heapStart(): number;
  gemmNT(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;
  gemmNN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;
  gemmTN(M: number, N: number, K: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, acc: number): void;
  colSum(M: number, N: number, a: number, lda: number, out: number, acc: number): void;
  gatherColumns(R: number, tok: number, ts: number, w: number, ldw: number, G: number, bias: number, out: number, ldo: number): void;
  scatterColumns(R: number, tok: number, ts: number, dz: number, ldz: number, G: number, w: number, ldw: number): void;
  softmax(R: number, V: number, logits: number, ld: number, bias: number, targets: number, loss: number, pred: number, mode: number): void;
  scale(count: number, x: number, y: number, s: number): void;
  adagrad(count: number, p: number, g: number, mem: number, lr: number, eps: number, gs: number): void;
  adam(count: number, p: number, g: number, m: number, v: number, lr: number, b1: number, b2: number, c1: number, c2: number, eps: number, gs: number): void;
  sumSquares(count: number, x: number): number;
  rnnForward(R: number, H: number, z: number, ldz: number, h: number, ldh: number): void;
  rnnBackward(R: number, H: number, h: number, hs: number, dh: number, ldd: number, dz: number, ldz: number): void;
  lstmForward(R: number, H: number, z: number, ldz: number, cPrev: number, c: number, tc: number, h: number, ld: number): void;
  lstmBackward(R: number, H: number, gates: number, gs: number, cPrev: number, tc: number, ss: number, dh: number, dc: number, ldd: number, dz: number, ldz: number, dcPrev: number): void;
  gruForward(R: number, H: number, gi: number, gh: number, ldg: number, bhh: number, hPrev: number, h: number, ld: number): void;
  gruBackward(R: number, H: number, act: number, gh: number, gs: number, hPrev: number, ss: number, dh: number, ldd: number, dgi: number, dgh: number, ldz: number, dhPrev: number): void;
  rowBlockSums(R: number, G: number, W: number, src: number, ld: number, mode: number, out: number): void;
}

const compiled = new Map<WasmVariant, WebAssembly.Module | null>();
const failures = new Map<WasmVariant, string>();

/**
 * Node 20's V8 (11.3) implements relaxed SIMD completely but still behind a flag; the next V8
 * turned it on by default (Node 22 and later accept it as is). V8 reads wasm feature flags
 * when it validates a module, so turning the flag on here, before compiling, is enough.
 * It only adds instructions that old modules never use.
 */
function enableRelaxedSimd(bytes: Uint8Array<ArrayBuffer>): boolean {
  if (WebAssembly.validate(bytes)) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return WebAssembly.validate(bytes);
}

/**
 * One build, compiled once per process; `null` (with {@link wasmUnavailableReason}) when it
 * cannot be. Worker threads are handed this module ({@link adoptCompiledKernels}) so that they
 * run the code V8 has already optimised instead of compiling their own.
 */
export function compiledKernels(variant: WasmVariant): WebAssembly.Module | null {
  const cached = compiled.get(variant);
  if (cached !== undefined) return cached;
  const fail = (reason: string): null => {
    compiled.set(variant, null);
    failures.set(variant, reason);
    return null;
  };
  if (typeof WebAssembly !== 'object') return fail('this runtime has no WebAssembly');
  if (variant === 'fma' && process.env[FMA_ENV] === '0') return fail(`${FMA_ENV}=0 turns the FMA kernels off`);
  let path: string;
  try {
    path = join(packageRoot(), 'dist', 'wasm', FILES[variant]);
  } catch (err) {
    return fail((err as Error).message);
  }
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch {
    return fail(`${path} not found`);
  }
  if (variant === 'fma' && !enableRelaxedSimd(bytes)) return fail('this runtime does not accept WebAssembly relaxed SIMD');
  try {
    const module = new WebAssembly.Module(bytes);
    compiled.set(variant, module);
    return module;
  } catch (err) {
    return fail(`${path} does not compile here (does this runtime support WebAssembly SIMD?): ${(err as Error).message}`);
  }
}

/** Uses a module compiled elsewhere ({@link compiledKernels}) for this build from now on. */
export function adoptCompiledKernels(variant: WasmVariant, module: WebAssembly.Module): void {
  compiled.set(variant, module);
  failures.delete(variant);
}

/** Why {@link loadWasmOps} returned null for this build (empty when it did not). */
export function wasmUnavailableReason(variant: WasmVariant = 'simd'): string {
  compiledKernels(variant);
  return failures.get(variant) ?? '';
}

/** The instance's memory, grown in 64 KiB pages. */
class WasmMemory implements KernelMemory {
  f32: Float32Array;
  i32: Int32Array;
  readonly base: number;

  constructor(private readonly memory: WebAssembly.Memory, heapStart: number) {
    this.base = heapStart >>> 2;
    this.f32 = new Float32Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  ensure(elements: number): void {
    const bytes = elements * 4;
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      try {
        this.memory.grow(Math.ceil((bytes - have) / 65536));
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        throw new RnnbowError(
          'INPUT',
          `the fused kernels need ${Math.ceil(bytes / 2 ** 20).toLocaleString('en-US')} MiB of WebAssembly memory for this model and batch, more than this runtime gives (at most 4 GiB)`,
          'use a smaller --hidden or --batch-size',
        );
      }
    }
    if (this.f32.buffer !== this.memory.buffer) {
      this.f32 = new Float32Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
  }
}

/**
 * A fresh instance of one build of the WebAssembly kernels with its own memory (one per
 * engine), or `null` when the module is missing or this runtime rejects it.
 */
export function loadWasmOps(variant: WasmVariant = 'simd'): FusedOps | null {
  const module = compiledKernels(variant);
  if (!module) return null;
  const e = new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
  const memory = new WasmMemory(e.memory, e.heapStart());
  // Offsets are in elements on the JS side and in bytes inside the module.
  return {
    kind: variant === 'fma' ? 'wasm-fma' : 'wasm-simd',
    memory,
    gemmNT: (M, N, K, a, lda, b, ldb, c, ldc, acc) => e.gemmNT(M, N, K, a << 2, lda, b << 2, ldb, c << 2, ldc, acc ? 1 : 0),
    gemmNN: (M, N, K, a, lda, b, ldb, c, ldc, acc) => e.gemmNN(M, N, K, a << 2, lda, b << 2, ldb, c << 2, ldc, acc ? 1 : 0),
    gemmTN: (M, N, K, a, lda, b, ldb, c, ldc, acc) => e.gemmTN(M, N, K, a << 2, lda, b << 2, ldb, c << 2, ldc, acc ? 1 : 0),
    colSum: (M, N, a, lda, out, acc) => e.colSum(M, N, a << 2, lda, out << 2, acc ? 1 : 0),
    gatherColumns: (R, tok, ts, w, ldw, G, bias, out, ldo) => e.gatherColumns(R, tok << 2, ts, w << 2, ldw, G, bias << 2, out << 2, ldo),
    scatterColumns: (R, tok, ts, dz, ldz, G, w, ldw) => e.scatterColumns(R, tok << 2, ts, dz << 2, ldz, G, w << 2, ldw),
    softmax: (R, V, logits, ld, bias, targets, loss, pred, mode) =>
      e.softmax(R, V, logits << 2, ld, bias << 2, targets << 2, loss << 2, pred << 2, mode),
    scale: (count, x, y, s) => e.scale(count, x << 2, y << 2, s),
    adagrad: (count, p, g, mem, lr, eps, gs) => e.adagrad(count, p << 2, g << 2, mem << 2, lr, eps, gs),
    adam: (count, p, g, m, v, lr, b1, b2, c1, c2, eps, gs) => e.adam(count, p << 2, g << 2, m << 2, v << 2, lr, b1, b2, c1, c2, eps, gs),
    sumSquares: (count, x) => e.sumSquares(count, x << 2),
    rnnForward: (R, H, z, ldz, h, ldh) => e.rnnForward(R, H, z << 2, ldz, h << 2, ldh),
    rnnBackward: (R, H, h, hs, dh, ldd, dz, ldz) => e.rnnBackward(R, H, h << 2, hs, dh << 2, ldd, dz << 2, ldz),
    lstmForward: (R, H, z, ldz, cPrev, c, tc, h, ld) => e.lstmForward(R, H, z << 2, ldz, cPrev << 2, c << 2, tc << 2, h << 2, ld),
    lstmBackward: (R, H, gates, gs, cPrev, tc, ss, dh, dc, ldd, dz, ldz, dcPrev) =>
      e.lstmBackward(R, H, gates << 2, gs, cPrev << 2, tc << 2, ss, dh << 2, dc << 2, ldd, dz << 2, ldz, dcPrev << 2),
    gruForward: (R, H, gi, gh, ldg, bhh, hPrev, h, ld) => e.gruForward(R, H, gi << 2, gh << 2, ldg, bhh << 2, hPrev << 2, h << 2, ld),
    gruBackward: (R, H, act, gh, gs, hPrev, ss, dh, ldd, dgi, dgh, ldz, dhPrev) =>
      e.gruBackward(R, H, act << 2, gh << 2, gs, hPrev << 2, ss, dh << 2, ldd, dgi << 2, dgh << 2, ldz, dhPrev << 2),
    rowBlockSums: (R, G, W, src, ld, mode, out) => e.rowBlockSums(R, G, W, src << 2, ld, mode, out << 2),
  };
}
