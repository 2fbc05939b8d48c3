/**
 * The body of a batch worker thread (started by {@link BatchThreads}): its own fused engine with
 * its own kernel instance and memory, running the part of each batch the main thread hands it.
 * Between jobs it polls, then sleeps (`waitWhileEqual`), so a job starts within microseconds; the main thread
 * reads the results from the shared I/O buffer once the done word moves.
 */
import { type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import { RnnbowError } from '../../errors.js';
import { FUSED_CELLS } from './fused-cells.js';
import { FusedEngine } from './fused-engine.js';
import { wasmVariantOf } from './select-ops.js';
import { waitWhileEqual } from './spin-wait.js';
import { adoptCompiledKernels } from './wasm-ops.js';
import {
  type BatchWorkerData,
  CTRL_B,
  CTRL_DONE,
  CTRL_JOB,
  CTRL_N,
  CTRL_READY,
  CTRL_STATUS,
  CTRL_STOP,
  flatStore,
  type IoBufferMessage,
  ioLayout,
  paramOrder,
  type WorkerErrorMessage,
} from './worker-protocol.js';

/** Runs jobs until the main thread sets the stop word. Called in the worker thread only. */
export function runBatchWorker(data: BatchWorkerData, port: MessagePort): void {
  const ctrl = new Int32Array(data.control);
  const cell = FUSED_CELLS[data.cell];
  const variant = wasmVariantOf(data.backend);
  if (variant && data.kernels) adoptCompiledKernels(variant, data.kernels);
  const engine = new FusedEngine(cell, data.dims, { backend: data.backend, threads: 1 });
  const H = data.dims.hiddenSize;
  const order = paramOrder(data.dims, cell.gates?.length ?? 1);
  const params = flatStore(new Float32Array(data.params), order.params);
  let io: SharedArrayBuffer | null = null;
  Atomics.store(ctrl, CTRL_READY, 1);
  Atomics.notify(ctrl, CTRL_READY);
  let seen = 0;
  for (;;) {
    waitWhileEqual(ctrl, CTRL_JOB, seen);
    seen = Atomics.load(ctrl, CTRL_JOB);
    if (Atomics.load(ctrl, CTRL_STOP) === 1) break;
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) io = (m.message as IoBufferMessage).io;
    let status = 0;
    try {
      if (!io) throw new Error('batch worker: no I/O buffer');
      const B = ctrl[CTRL_B];
      const n = ctrl[CTRL_N];
      const L = ioLayout(B, n, H, cell.states, order.total);
      const f = new Float32Array(io);
      const i = new Int32Array(io);
      const state = [];
      for (let s = 0; s < cell.states; s++) state.push(f.subarray(L.state + s * B * H, L.state + (s + 1) * B * H));
      const grads = flatStore(f.subarray(L.grads, L.grads + order.total), order.params);
      const batch = { batchSize: B, length: n, inputs: i.subarray(L.inputs, L.inputs + B * n), targets: i.subarray(L.targets, L.targets + B * n) };
      const res = engine.trainSum(params, batch, state, grads);
      f.set(res.losses, L.losses);
      i.set(res.predictions, L.preds);
      res.finalState.forEach((s, k) => f.set(s, L.finalState + k * B * H));
    } catch (err) {
      status = 1;
      const e = err as Error;
      const msg: WorkerErrorMessage = err instanceof RnnbowError ? { code: err.code, message: err.message, hint: err.hint } : { message: e?.message ?? String(err) };
      port.postMessage(msg);
    }
    Atomics.store(ctrl, CTRL_STATUS, status);
    Atomics.store(ctrl, CTRL_DONE, seen);
    Atomics.notify(ctrl, CTRL_DONE);
  }
  engine.dispose();
  port.close();
}
