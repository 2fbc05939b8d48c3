import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { CellDims } from '../../cell.js';
import type { Batch, State } from '../../engine.js';
import { type ErrorCode, RnnbowError } from '../../errors.js';
import type { ParamStore } from '../../params.js';
import type { BatchPart } from './batch-split.js';
import { siblingModule, sourceModeHooks } from './source-hooks.js';
import { waitWhileEqual } from './spin-wait.js';
import { THREADS_ENV } from './thread-count.js';
import {
  type BatchWorkerData,
  CTRL_B,
  CTRL_DONE,
  CTRL_JOB,
  CTRL_N,
  CTRL_READY,
  CTRL_STATUS,
  CTRL_STOP,
  CTRL_WORDS,
  type FlatParam,
  type IoLayout,
  ioLayout,
  type WorkerErrorMessage,
} from './worker-protocol.js';
import { type FusedBackend, wasmVariantOf } from './select-ops.js';
import { compiledKernels } from './wasm-ops.js';

/** Longest a first batch waits for the workers to load before the engine gives up on threads. */
const START_TIMEOUT_MS = 60_000;

/**
 * Longest the main thread waits for a worker's part of a batch (parts take milliseconds; the
 * largest models this engine is meant for, seconds). A worker that dies outright, e.g. out of
 * memory, never answers, and the main thread, blocked, cannot see its exit event: without a
 * limit the run would hang for good.
 */
export const JOB_TIMEOUT_MS = 600_000;

/**
 * Started in every worker (as CommonJS, `eval`): registers the TypeScript hooks when running
 * from sources, imports the worker module and runs it. A failure to load is reported through
 * the ready word and the port instead of an 'error' event, which a blocked main thread would
 * never see.
 */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
const { data, port, entry, hooks } = workerData;
const ctrl = new Int32Array(data.control);
(async () => {
  try {
    if (hooks) require('node:module').register(hooks.url, { data: hooks.data });
    const m = await import(entry);
    m.runBatchWorker(data, port);
  } catch (e) {
    port.postMessage({ message: 'a batch worker could not start: ' + ((e && e.message) || e) });
    Atomics.store(ctrl, ${CTRL_READY}, -1);
    Atomics.notify(ctrl, ${CTRL_READY});
  }
})();
`;

/** One worker thread and what the main thread shares with it. */
interface WorkerSlot {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly ctrl: Int32Array;
  io: SharedArrayBuffer | null;
  f32: Float32Array;
  i32: Int32Array;
  /** Layout of the job in flight. */
  layout: IoLayout | null;
}

/** What a worker's part of a batch produced (views into its I/O buffer, valid until its next job). */
export interface PartResult {
  /** Cross-entropy per step `[count·n]`. */
  readonly losses: Float32Array;
  /** Predictions `[count·n]`. */
  readonly predictions: Int32Array;
  /** Final state, one `[count·H]` view per component. */
  readonly finalState: Float32Array[];
  /** Gradient of the part's summed loss, flat in parameter order. */
  readonly grads: Float32Array;
}

/**
 * The worker threads of one fused engine: started once, each with its own engine (kernel
 * instance and memory), fed parts of batches through shared memory. Workers are unref'd, so
 * they never keep a process alive; {@link BatchThreads.dispose} stops them.
 */
export class BatchThreads {
  private readonly slots: WorkerSlot[] = [];
  private readonly params: Float32Array;
  private live = 0;
  private readonly exits: Promise<void>[] = [];
  private started = false;
  /** Why the workers could not be used: set when {@link BatchThreads.ready} returned false, or a worker stopped answering. */
  failure = '';

  /**
   * @param cell the fused cell's name (`FUSED_CELLS`)
   * @param dims model sizes
   * @param backend the kernels the workers load (the main engine's)
   * @param workers worker threads to start
   * @param order the flat parameter order
   * @param paramTotal elements of all parameters
   * @param states state components of the cell
   * @param jobTimeoutMs longest wait for one worker's part (see {@link JOB_TIMEOUT_MS})
   */
  constructor(
    cell: string,
    private readonly dims: CellDims,
    backend: FusedBackend,
    workers: number,
    private readonly order: readonly FlatParam[],
    private readonly paramTotal: number,
    private readonly states: number,
    private readonly jobTimeoutMs = JOB_TIMEOUT_MS,
  ) {
    const paramBuffer = new SharedArrayBuffer(paramTotal * 4);
    this.params = new Float32Array(paramBuffer);
    const hooks = sourceModeHooks();
    // The workers run the module this thread compiled, with the optimised code V8 made for it.
    const variant = wasmVariantOf(backend);
    const kernels = variant ? compiledKernels(variant) : null;
    const entry = siblingModule('batch-worker');
    for (let w = 0; w < workers; w++) {
      const control = new SharedArrayBuffer(CTRL_WORDS * 4);
      const channel = new MessageChannel();
      const data: BatchWorkerData = { cell, dims, backend, control, params: paramBuffer, kernels: kernels ?? undefined };
      const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { data, port: channel.port2, entry, hooks }, transferList: [channel.port2] });
      worker.unref();
      channel.port1.unref();
      this.live++;
      this.exits.push(new Promise((done) => worker.once('exit', () => {
        this.live--;
        done();
      })));
      // A worker that fails after starting reports through its port; this only keeps an
      // unexpected 'error' event from becoming an uncaught exception in the host.
      worker.on('error', () => {});
      this.slots.push({ worker, port: channel.port1, ctrl: new Int32Array(control), io: null, f32: new Float32Array(0), i32: new Int32Array(0), layout: null });
    }
  }

  /** Worker threads started and not yet exited. */
  get liveWorkers(): number {
    return this.live;
  }

  /** Resolves when every worker thread has exited. */
  whenExited(): Promise<void> {
    return Promise.all(this.exits).then(() => undefined);
  }

  /** Waits (once) until every worker has loaded; false, with {@link BatchThreads.failure}, when one could not. */
  ready(): boolean {
    if (this.started) return this.failure === '';
    this.started = true;
    for (const s of this.slots) {
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (Atomics.load(s.ctrl, CTRL_READY) === 0 && Date.now() < deadline) Atomics.wait(s.ctrl, CTRL_READY, 0, 100);
      const state = Atomics.load(s.ctrl, CTRL_READY);
      if (state !== 1) {
        const m = receiveMessageOnPort(s.port)?.message as WorkerErrorMessage | undefined;
        this.failure = m?.message ?? `a batch worker did not start within ${START_TIMEOUT_MS / 1000} s`;
        return false;
      }
    }
    return true;
  }

  /** Copies the parameters into the shared buffer the workers read; false when one has the wrong size. */
  writeParams(params: ParamStore): boolean {
    for (const p of this.order) {
      const data = params[p.name]?.data;
      if (!data || data.length !== p.size) return false;
      this.params.set(data, p.offset);
    }
    return true;
  }

  /** Hands worker `w` the sequences of `part` (inputs, targets, initial state) and starts it. */
  dispatch(w: number, part: BatchPart, batch: Batch, state: State): void {
    const s = this.slots[w];
    const n = batch.length;
    const H = this.dims.hiddenSize;
    const B = part.count;
    const L = ioLayout(B, n, H, this.states, this.paramTotal);
    if (!s.io || s.io.byteLength < L.end * 4) {
      // Grow with headroom so alternating shapes do not reallocate every batch.
      s.io = new SharedArrayBuffer(Math.ceil(L.end * 1.25) * 4);
      s.f32 = new Float32Array(s.io);
      s.i32 = new Int32Array(s.io);
      s.port.postMessage({ io: s.io });
    }
    s.layout = L;
    const from = part.start * n;
    s.i32.set(batch.inputs.subarray(from, from + B * n), L.inputs);
    s.i32.set(batch.targets.subarray(from, from + B * n), L.targets);
    for (let c = 0; c < this.states; c++) s.f32.set(state[c].subarray(part.start * H, (part.start + B) * H), L.state + c * B * H);
    s.ctrl[CTRL_B] = B;
    s.ctrl[CTRL_N] = n;
    Atomics.add(s.ctrl, CTRL_JOB, 1);
    Atomics.notify(s.ctrl, CTRL_JOB);
  }

  /** Waits for worker `w`'s job; its results, or the error it reported (rethrown as an RnnbowError). */
  collect(w: number, part: BatchPart, n: number): PartResult | RnnbowError {
    const s = this.slots[w];
    const job = Atomics.load(s.ctrl, CTRL_JOB);
    const deadline = performance.now() + this.jobTimeoutMs;
    for (let done = Atomics.load(s.ctrl, CTRL_DONE); done !== job; done = Atomics.load(s.ctrl, CTRL_DONE)) {
      if (!waitWhileEqual(s.ctrl, CTRL_DONE, done, deadline)) {
        this.failure = `worker ${w} did not answer within ${this.jobTimeoutMs / 1000} s`;
        return new RnnbowError(
          'BACKEND',
          `a batch worker thread did not finish its part of the batch within ${this.jobTimeoutMs / 1000} s; it may have run out of memory or crashed`,
          `set ${THREADS_ENV}=1 to train on this thread only`,
        );
      }
    }
    if (Atomics.load(s.ctrl, CTRL_STATUS) !== 0) {
      const m = receiveMessageOnPort(s.port)?.message as WorkerErrorMessage | undefined;
      return new RnnbowError((m?.code as ErrorCode | undefined) ?? 'BACKEND', m?.message ?? 'a batch worker failed', m?.hint);
    }
    const L = s.layout!;
    const B = part.count;
    const H = this.dims.hiddenSize;
    const finalState: Float32Array[] = [];
    for (let c = 0; c < this.states; c++) finalState.push(s.f32.subarray(L.finalState + c * B * H, L.finalState + (c + 1) * B * H));
    return {
      losses: s.f32.subarray(L.losses, L.losses + B * n),
      predictions: s.i32.subarray(L.preds, L.preds + B * n),
      finalState,
      grads: s.f32.subarray(L.grads, L.grads + this.paramTotal),
    };
  }

  /** Stops every worker (they exit; {@link BatchThreads.whenExited} resolves when they have). */
  dispose(): void {
    for (const s of this.slots) {
      Atomics.store(s.ctrl, CTRL_STOP, 1);
      Atomics.add(s.ctrl, CTRL_JOB, 1);
      Atomics.notify(s.ctrl, CTRL_JOB);
      void s.worker.terminate();
      s.port.close();
    }
    this.slots.length = 0;
  }
}
