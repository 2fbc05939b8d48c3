/**
 * What this machine's cores do apart from rnnbow's own work, so that the table's thread and batch
 * ratios can be read against it: the multiply-add peak of one core on f32x4 lanes, what a second
 * thread adds to it, and how much the speed of work that reads memory moves from one tenth of a
 * second to the next while both cores are busy. On a shared virtual machine the last one is what
 * a batch split across two threads loses: each thread waits for the slower half.
 */
import { readFileSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { compiledKernels, loadWasmOps } from '../src/core/engine/fused/wasm-ops.js';
import type { FusedOps } from '../src/core/engine/fused/ops.js';
import type { BenchRow } from './table.js';

/** What {@link probeMachine} measured. */
export interface MachineProbe {
  /** GFLOP/s of register-only f32x4 multiply-adds on one thread, the other core idle. */
  readonly peakGflops: number;
  /** Both threads running the same loop at once: their summed speed over one thread's. */
  readonly twoThreadScaling: number;
  /** Register-only loop, both threads busy: fastest over slowest block of {@link BLOCK_MS}. */
  readonly peakSpread: number;
  /** The kernels' matrix product at {@link PRODUCT_SHAPE}, both threads busy: GFLOP/s per block. */
  readonly product: { readonly min: number; readonly median: number; readonly max: number };
}

/** Length of the blocks whose speeds are compared. */
export const BLOCK_MS = 100;

/** `gemmNN` M×N×K: one step of the itemizer's recursion at n = 25, H = 100 (W_hh is 40 KB). */
export const PRODUCT_SHAPE = [25, 100, 100] as const;

/** What a probe thread is asked to run. */
type ProbeJob = { kind: 'peak' | 'product'; ms: number; startAt: number };

const PROBE_WASM = new URL('./machine-probe.wasm', import.meta.url);
const PEAK_ITERS = 200_000;

interface ProbeExports {
  multiplyAdds(iters: number, seed: number): number;
}

/** The probe module; compiling the kernels' FMA build first turns relaxed SIMD on where Node needs a flag. */
function loadProbe(): ProbeExports {
  compiledKernels('fma');
  return new WebAssembly.Instance(new WebAssembly.Module(readFileSync(PROBE_WASM)), {}).exports as unknown as ProbeExports;
}

/** GFLOP/s of each {@link BLOCK_MS} block of `job`, starting at `job.startAt` (a `Date.now()` time, shared by both threads). */
function runBlocks(job: ProbeJob, probe: ProbeExports, ops: FusedOps | null): number[] {
  const [M, N, K] = PRODUCT_SHAPE;
  let step: () => number;
  if (job.kind === 'peak') {
    step = () => {
      probe.multiplyAdds(PEAK_ITERS, 1);
      return PEAK_ITERS * 80;
    };
  } else {
    const kernels = ops!;
    const a = kernels.memory.base, b = a + M * K, c = b + K * N;
    kernels.memory.ensure(c + M * N);
    const f = kernels.memory.f32;
    for (let i = a; i < c; i++) f[i] = ((i * 37) % 101) / 101 - 0.5;
    step = () => {
      for (let r = 0; r < 10; r++) kernels.gemmNN(M, N, K, a, K, b, N, c, N, false);
      return 10 * 2 * M * N * K;
    };
  }
  step();
  while (Date.now() < job.startAt);
  const blocks: number[] = [];
  const end = performance.now() + job.ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    let flops = 0;
    while (performance.now() - t0 < BLOCK_MS) flops += step();
    blocks.push(flops / ((performance.now() - t0) * 1e6));
  }
  return blocks;
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const mean = (xs: number[]) => sum(xs) / xs.length;

/**
 * Runs the probe: about 3 × `seconds` of wall time, the last two thirds on both cores. Returns
 * the reason instead when the probe module or relaxed SIMD is missing.
 */
export async function probeMachine(seconds = 1): Promise<MachineProbe | string> {
  let probe: ProbeExports;
  const ops = loadWasmOps('fma');
  try {
    probe = loadProbe();
  } catch (err) {
    return `machine probe unavailable: ${(err as Error).message}`;
  }
  if (!ops) return 'machine probe unavailable: the FMA kernels do not load here';
  const worker = new Worker(new URL(import.meta.url), { workerData: { machineProbe: true } });
  const ask = (job: ProbeJob) => new Promise<number[]>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(job);
  });
  try {
    const ms = seconds * 1000;
    const alone = mean(runBlocks({ kind: 'peak', ms, startAt: 0 }, probe, ops));
    const both = async (kind: ProbeJob['kind']) => {
      const job: ProbeJob = { kind, ms, startAt: Date.now() + 100 };
      const theirs = ask(job);
      const mine = runBlocks(job, probe, ops);
      return [mine, await theirs];
    };
    const [peakMine, peakTheirs] = await both('peak');
    const [prodMine, prodTheirs] = await both('product');
    const peakBlocks = [...peakMine, ...peakTheirs];
    const products = [...prodMine, ...prodTheirs].sort((x, y) => x - y);
    return {
      peakGflops: alone,
      twoThreadScaling: (mean(peakMine) + mean(peakTheirs)) / alone,
      peakSpread: Math.max(...peakBlocks) / Math.min(...peakBlocks),
      product: { min: products[0], median: products[products.length >> 1], max: products[products.length - 1] },
    };
  } finally {
    await worker.terminate();
  }
}

/** The probe's lines of the table (one line saying why, when it could not run). */
export function machineRows(p: MachineProbe | string): BenchRow[] {
  if (typeof p === 'string') return [{ measure: 'machine probe', engine: '-', value: 'skipped', compare: p }];
  const [M, N, K] = PRODUCT_SHAPE;
  const gf = (x: number) => `${x.toFixed(1)} GFLOP/s`;
  return [
    {
      measure: 'machine: f32x4 multiply-adds in registers, 1 thread',
      engine: 'wasm-fma',
      value: gf(p.peakGflops),
      compare: `2 threads at once ${p.twoThreadScaling.toFixed(2)}x one; their ${BLOCK_MS} ms blocks within ${p.peakSpread.toFixed(2)}x`,
    },
    {
      measure: `machine: gemmNN ${M}x${N}x${K} on both threads, per ${BLOCK_MS} ms block`,
      engine: 'wasm-fma',
      value: `${gf(p.product.median)} median`,
      compare: `slowest ${p.product.min.toFixed(1)}, fastest ${p.product.max.toFixed(1)} (${(p.product.max / p.product.min).toFixed(2)}x apart)`,
    },
  ];
}

if (!isMainThread && (workerData as { machineProbe?: boolean } | null)?.machineProbe) {
  const probe = loadProbe();
  const ops = loadWasmOps('fma');
  parentPort!.on('message', (job: ProbeJob) => parentPort!.postMessage(runBlocks(job, probe, ops)));
}
