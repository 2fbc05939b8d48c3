/**
 * What the main thread and a batch worker share (src/core/engine/fused/batch-worker.ts). Each
 * worker has a small control array of int32 words in a SharedArrayBuffer and an I/O buffer for
 * its part of the batch; all workers read the parameters from one shared buffer that the main
 * thread fills once per batch. Offsets are in 4-byte elements.
 */
import type { CellDims } from '../../cell.js';
import { HEAD_BIAS, HEAD_WEIGHT } from '../../model.js';
import type { ParamStore } from '../../params.js';
import type { FusedBackend } from './select-ops.js';

/** Control word: job counter, bumped by the main thread to start a job (or to stop). */
export const CTRL_JOB = 0;
/** Control word: the last job the worker finished (equal to `CTRL_JOB` when idle). */
export const CTRL_DONE = 1;
/** Control word: 0 while the worker starts, 1 when ready, -1 when it could not start. */
export const CTRL_READY = 2;
/** Control word: 0 when the last job succeeded, 1 when it failed (the error is on the port). */
export const CTRL_STATUS = 3;
/** Control word: 1 asks the worker to leave its loop. */
export const CTRL_STOP = 4;
/** Control word: sequences in the job's part. */
export const CTRL_B = 5;
/** Control word: steps per sequence. */
export const CTRL_N = 6;
/** Control words in all. */
export const CTRL_WORDS = 8;

/** What a batch worker is started with (`workerData`). */
export interface BatchWorkerData {
  /** Name of the fused cell in `FUSED_CELLS`. */
  readonly cell: string;
  /** Model sizes. */
  readonly dims: CellDims;
  /** Kernel implementation, as the main thread's engine got it. */
  readonly backend: FusedBackend;
  /** The worker's control words (`Int32Array` over it). */
  readonly control: SharedArrayBuffer;
  /** The parameters, flat in {@link paramOrder} order. */
  readonly params: SharedArrayBuffer;
  /** The main thread's compiled kernels (WebAssembly backends): see `compiledKernels`. */
  readonly kernels?: WebAssembly.Module;
}

/** A message on a worker's port from the main thread: a new (larger) I/O buffer. */
export interface IoBufferMessage {
  /** The buffer; see {@link ioLayout}. */
  readonly io: SharedArrayBuffer;
}

/** A message on a worker's port from the worker: why it failed to start or to run a job. */
export interface WorkerErrorMessage {
  /** RnnbowError code, when the error was one. */
  readonly code?: string;
  /** One-line message. */
  readonly message: string;
  /** The error's hint, when it had one. */
  readonly hint?: string;
}

/** One parameter's place in the flat parameter (and gradient) buffers. */
export interface FlatParam {
  /** Parameter name. */
  readonly name: string;
  /** Its shape. */
  readonly shape: readonly number[];
  /** Offset in the flat buffer. */
  readonly offset: number;
  /** Elements. */
  readonly size: number;
}

/** The parameters of a fused engine's model in a fixed order, and their total size. */
export function paramOrder(dims: CellDims, gateBlocks: number): { params: FlatParam[]; total: number } {
  const GH = gateBlocks * dims.hiddenSize;
  const H = dims.hiddenSize;
  const V = dims.inputSize;
  const shapes: [string, number[]][] = [
    ['weight_ih', [GH, V]],
    ['weight_hh', [GH, H]],
    ['bias_ih', [GH]],
    ['bias_hh', [GH]],
    [HEAD_WEIGHT, [V, H]],
    [HEAD_BIAS, [V]],
  ];
  let offset = 0;
  const params = shapes.map(([name, shape]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const p = { name, shape, offset, size };
    offset += size;
    return p;
  });
  return { params, total: offset };
}

/** A {@link ParamStore} whose arrays are views into `flat` (no copy). */
export function flatStore(flat: Float32Array, order: readonly FlatParam[]): ParamStore {
  const store: ParamStore = {};
  for (const p of order) store[p.name] = { shape: p.shape, data: flat.subarray(p.offset, p.offset + p.size) };
  return store;
}

/** Where a part of B sequences of n steps keeps its inputs and results in a worker's I/O buffer. */
export interface IoLayout {
  /** Input ids `[B·n]` (int32), row-major by sequence like `Batch.inputs`. */
  readonly inputs: number;
  /** Target ids `[B·n]` (int32). */
  readonly targets: number;
  /** Initial state, `states` arrays of `[B·H]`, one after the other. */
  readonly state: number;
  /** Cross-entropy per step `[B·n]`. */
  readonly losses: number;
  /** Argmax predictions `[B·n]` (int32). */
  readonly preds: number;
  /** Final state, like `state`. */
  readonly finalState: number;
  /** The part's gradient of its summed loss (not divided by B), flat in {@link paramOrder} order. */
  readonly grads: number;
  /** Elements in all. */
  readonly end: number;
}

/** The I/O layout for a part of B sequences of n steps. */
export function ioLayout(B: number, n: number, H: number, states: number, paramTotal: number): IoLayout {
  const nB = n * B;
  const inputs = 0;
  const targets = inputs + nB;
  const state = targets + nB;
  const losses = state + states * B * H;
  const preds = losses + nB;
  const finalState = preds + nB;
  const grads = finalState + states * B * H;
  return { inputs, targets, state, losses, preds, finalState, grads, end: grads + paramTotal };
}
