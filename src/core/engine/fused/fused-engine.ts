import type { CellDims } from '../../cell.js';
import type { Batch, EngineResult, GradientEngine, ItemizeRequest, State } from '../../engine.js';
import { RnnbowError } from '../../errors.js';
import type { ParamStore } from '../../params.js';
import { zerosLike } from '../../params.js';
import type { OptimizerKind } from '../../../train/optimizer.js';
import type { ItemizedSlot } from '../itemization-builder.js';
import type { BackwardStep, ForwardStep, FusedCell } from './fused-cell.js';
import { BatchThreads, JOB_TIMEOUT_MS } from './batch-threads.js';
import { type BatchPart, itemizationWeight, lightenPart, MIN_THREADED_BATCH, splitBatch } from './batch-split.js';
import { fusedCellName } from './fused-cells.js';
import { itemizeSequence } from './itemize-sequence.js';
import { KernelOptimizer, type OptimizerHost } from './kernel-optimizer.js';
import { type FusedLayout, fusedLayout, type FusedShape, type RegionBlock, regionBlocks } from './layout.js';
import { type FusedOps, roundUp4, SOFTMAX_GRADIENT, SOFTMAX_PROBS } from './ops.js';
import { backendOf, type FusedBackend, selectOps } from './select-ops.js';
import { explicitThreadCount, idleCoreThreads } from './thread-count.js';
import { flatStore, type FlatParam, paramOrder } from './worker-protocol.js';

/** Options of a {@link FusedEngine}. */
export interface FusedEngineOptions {
  /** Kernel implementation (see {@link FusedBackend}; default `auto`: the fastest that loads here). */
  readonly backend?: FusedBackend;
  /**
   * Most threads one training batch may use: batches of at least 8 sequences are split across
   * worker threads (at least 4 sequences each), each with its own kernel instance. Default:
   * the `RNNBOW_THREADS` environment variable, else one per core that looks idle
   * (`idleCoreThreads`); 1 turns it off.
   */
  readonly threads?: number;
  /**
   * Longest wait, in milliseconds, for a worker thread's part of a batch before that batch
   * fails with a typed error and the engine goes on with this thread only (default: ten
   * minutes). A worker that dies outright, e.g. out of memory, never answers.
   */
  readonly workerTimeoutMs?: number;
}

/**
 * A {@link GradientEngine} for the built-in cells that runs forward, BPTT and itemization as a
 * handful of fused kernels over one preallocated memory: gathered input columns instead of
 * one-hot products, the output layer batched over all n·B steps, one W_hh product per step for
 * all B sequences, and weight gradients as single products over the whole batch. Nothing is
 * allocated per step; per call only the returned arrays are.
 */
export class FusedEngine implements GradientEngine {
  /** `fused:wasm-fma`, `fused:wasm-simd` or `fused:js`: which kernels run. */
  readonly name: string;
  /** The kernels (exposed for tests and benchmarks). */
  readonly ops: FusedOps;
  /** The itemized slots, the same as the reference engine finds by probing the cell's step. */
  readonly slots: readonly ItemizedSlot[];
  private readonly shape: FusedShape;
  private layout: FusedLayout;
  private readonly fwd: ForwardStep;
  private readonly bwd: BackwardStep;
  /** The option's or `RNNBOW_THREADS`'s thread count; null until the idle cores decide. */
  private threadLimit: number | null;
  private readonly cellName: string | null;
  private readonly order: { params: FlatParam[]; total: number };
  private pool: BatchThreads | null = null;
  private threadsOff = false;
  private readonly workerTimeoutMs: number;
  private mainGrads: ParamStore | null = null;
  private mainFlat: Float32Array | null = null;
  /** Where each named parameter sits in the parameter, gradient and moment regions. */
  private readonly blocks: RegionBlock[];
  /** Moment regions the layout keeps for this engine's optimizer (0 until one is created). */
  private moments = 0;
  private optimizer: KernelOptimizer | null = null;
  /** The parameter store the last prepare() copied into memory. */
  private preparedFrom: ParamStore | null = null;
  /** The store whose gradient the last train() kept in memory (given null gradients), until an update takes it. */
  private keptFor: ParamStore | null = null;

  /**
   * @param cell the cell's pointwise part (`fusedRnn`, `fusedLstm`, `fusedGru`)
   * @param dims model sizes
   * @param options kernel implementation (default `auto`) and threads per batch (default: `RNNBOW_THREADS`, else every core)
   */
  constructor(
    readonly cell: FusedCell,
    private readonly dims: CellDims,
    options: FusedEngineOptions = {},
  ) {
    this.ops = selectOps(options.backend ?? 'auto');
    this.name = `fused:${this.ops.kind}`;
    const G = cell.gates?.length ?? 1;
    this.cellName = fusedCellName(cell);
    this.threadLimit = this.cellName ? explicitThreadCount(options.threads) : 1;
    this.workerTimeoutMs = options.workerTimeoutMs ?? JOB_TIMEOUT_MS;
    this.order = paramOrder(dims, G);
    this.shape = { H: dims.hiddenSize, V: dims.inputSize, G, states: cell.states, separateHidden: cell.separateHidden };
    const GH = G * dims.hiddenSize;
    this.slots = [
      { kind: 'linear', param: 'weight_ih', bias: 'bias_ih', outSize: GH, gates: cell.gates },
      { kind: 'linear', param: 'weight_hh', bias: 'bias_hh', outSize: GH, gates: cell.gates },
    ];
    this.layout = this.relayout(1, 1);
    this.blocks = regionBlocks(this.layout, dims.hiddenSize, dims.inputSize);
    this.fwd = { R: 0, H: dims.hiddenSize, z: 0, gh: 0, bhh: 0, ldg: 0, hPrev: 0, cPrev: 0, h: 0, c: 0, tc: 0, ld: 0 };
    this.bwd = {
      R: 0, H: dims.hiddenSize, act: 0, gh: 0, gs: 0, h: 0, hPrev: 0, cPrev: 0, tc: 0, ss: 0,
      dh: 0, dc: 0, ldd: 0, dz: 0, dgi: 0, ldz: 0, dhPrev: 0, dcPrev: 0,
    };
  }

  /**
   * Forward, loss, BPTT into `grads` (scaled by 1/B), and the itemization of one sequence when
   * asked. Batches of at least 8 sequences are split across up to {@link FusedEngine.threads}
   * threads (the itemized sequence's part runs on this thread); the parts' gradients are summed
   * in part order, so the result does not depend on which thread finished first.
   * With `grads` null the gradient stays in kernel memory for this engine's optimizer
   * ({@link FusedEngine.createOptimizer}), which saves copying it out and back in.
   */
  train(params: ParamStore, batch: Batch, initialState: State, grads: ParamStore | null, itemize?: ItemizeRequest): EngineResult {
    if (!grads && !this.optimizer) {
      throw new RnnbowError('INPUT', 'fused engine: train() without a gradient store needs the engine\'s own optimizer (createOptimizer) to take the gradient');
    }
    this.keptFor = null;
    let result: EngineResult | null = null;
    if (batch.batchSize >= MIN_THREADED_BATCH && !this.threadsOff && this.threads > 1) {
      const parts = splitBatch(batch.batchSize, this.threads);
      if (parts.length > 1) result = this.trainSplit(parts, params, batch, initialState, grads, itemize);
    }
    result ??= this.trainBatch(params, batch, initialState, grads, 1 / batch.batchSize, itemize);
    if (!grads) this.keptFor = params;
    return result;
  }

  /**
   * An Adagrad or Adam optimizer (the rules of src/train/optimizer.ts) that works in this
   * engine's kernel memory: give `train` null gradients and `clipAndUpdate` null gradients, and
   * the gradient, the parameters and the moments never leave it; only the updated parameters
   * are copied out. One per engine.
   * @param kind update rule
   * @param params the parameters it will update (the engine's model)
   * @param lr learning rate
   */
  createOptimizer(kind: OptimizerKind, params: ParamStore, lr: number): KernelOptimizer {
    if (this.optimizer) throw new RnnbowError('INPUT', 'fused engine: this engine already has an optimizer; create one engine per optimizer');
    this.moments = kind === 'adam' ? 2 : 1;
    this.layout = this.relayout(this.layout.B, this.layout.n);
    const L = this.layout;
    this.ops.memory.f32.fill(0, L.m1, L.m1 + this.moments * L.paramRegion);
    this.optimizer = new KernelOptimizer(kind, params, lr, this.optimizerHost());
    return this.optimizer;
  }

  /** What the engine's optimizer may do to kernel memory. */
  private optimizerHost(): OptimizerHost {
    return {
      ops: this.ops,
      regions: () => {
        const L = this.layout;
        return { count: L.paramRegion, params: L.wih, grads: L.dwih, moments: [L.m1, L.m2].slice(0, this.moments) };
      },
      takeGradient: (params) => {
        if (this.keptFor !== params) {
          throw new RnnbowError(
            'INPUT',
            'optimizer: no gradient is waiting in the engine for these parameters',
            'call engine.train(params, batch, state, null) right before clipAndUpdate(params, null, …), with the same parameter store',
          );
        }
        this.keptFor = null;
        // evaluate() or predict() on other parameters since train() replaced the ones in memory.
        if (this.preparedFrom !== params) this.writeParams(params, this.layout);
      },
      write: (region, src) => this.writeRegion(region, src),
      read: (region, out) => this.readRegion(region, out),
      parametersChanged: () => {
        this.preparedFrom = null;
        // An update from a gradient store wrote over any gradient a train() had kept.
        this.keptFor = null;
      },
    };
  }

  /**
   * Like {@link FusedEngine.train} without itemization, on this thread only, but writes the
   * gradient of the summed loss Σ_b Σ_t L_{b,t} (not divided by B): what one thread's part of a
   * batch contributes.
   */
  trainSum(params: ParamStore, batch: Batch, initialState: State, grads: ParamStore): EngineResult {
    return this.trainBatch(params, batch, initialState, grads, 1);
  }

  /**
   * Most threads a training batch may use (1: this thread only): the `threads` option, else
   * `RNNBOW_THREADS`, else the cores that look idle, judged once, when the first batch big
   * enough to split arrives (a run of small batches never pays for the look).
   */
  get threads(): number {
    this.threadLimit ??= idleCoreThreads();
    return this.threadLimit;
  }

  /** Worker threads started and not yet exited (0 before the first split batch and after {@link FusedEngine.dispose}). */
  get liveWorkers(): number {
    return this.pool?.liveWorkers ?? 0;
  }

  /** Resolves when every worker thread this engine started has exited (after {@link FusedEngine.dispose}). */
  whenWorkersExited(): Promise<void> {
    return this.pool ? this.pool.whenExited() : Promise.resolve();
  }

  /** Why this engine runs on one thread although it may use more (empty when it does not). */
  get threadsUnavailableReason(): string {
    return this.pool?.failure ?? '';
  }

  /**
   * One batch split into `parts`: every part but one goes to a worker; this thread runs the
   * remaining one (with the itemization, if any), then sums the parts' gradients in part order
   * and scales by 1/B. Returns null when the batch cannot be split (malformed input, which the
   * one-thread path then reports, or workers that did not start).
   */
  private trainSplit(parts: BatchPart[], params: ParamStore, batch: Batch, state: State, grads: ParamStore | null, itemize?: ItemizeRequest): EngineResult | null {
    const B = batch.batchSize;
    const n = batch.length;
    const H = this.dims.hiddenSize;
    const states = this.cell.states;
    if (!Number.isInteger(n) || n < 1 || batch.inputs.length !== B * n || batch.targets.length !== B * n) return null;
    if (state.length !== states || state.some((c) => c.length !== B * H)) return null;
    const holds = (p: BatchPart) => itemize !== undefined && itemize.sequence >= p.start && itemize.sequence < p.start + p.count;
    let mine = itemize ? parts.findIndex(holds) : 0;
    if (mine < 0) return null;
    if (itemize) {
      // The itemizing thread gives half the itemization's weight in sequences to a neighbour.
      const weight = itemizationWeight(n, itemize.k, this.shape.G * H, this.dims.inputSize);
      parts = lightenPart(parts, mine, Math.round(weight / 2), itemize.sequence);
      mine = parts.findIndex(holds);
    }
    const pool = this.threadPool();
    if (!pool || !pool.writeParams(params)) return null;
    const workerOf = parts.map((_, i) => (i < mine ? i : i - 1));
    parts.forEach((part, i) => {
      if (i !== mine) pool.dispatch(workerOf[i], part, batch, state);
    });
    const part = parts[mine];
    const sub: Batch = {
      batchSize: part.count,
      length: n,
      inputs: batch.inputs.subarray(part.start * n, (part.start + part.count) * n),
      targets: batch.targets.subarray(part.start * n, (part.start + part.count) * n),
    };
    const subState = state.map((c) => c.subarray(part.start * H, (part.start + part.count) * H));
    const local = itemize ? { ...itemize, sequence: itemize.sequence - part.start } : undefined;
    let own: EngineResult | null = null;
    let failure: unknown = null;
    try {
      own = this.trainBatch(params, sub, subState, this.mainGrads!, 1, local);
    } catch (err) {
      failure = err;
    }
    // Every worker is waited for, even after a failure here, so none is left mid-job.
    const results = parts.map((p, i) => (i === mine ? null : pool.collect(workerOf[i], p, n)));
    if (pool.failure) {
      // A worker stopped answering: later batches run on this thread.
      this.threadsOff = true;
      pool.dispose();
    }
    if (failure) throw failure;
    for (const r of results) if (r instanceof RnnbowError) throw r;
    const flats = results.map((r, i) => (i === mine ? this.mainFlat! : (r as Exclude<typeof r, RnnbowError | null>).grads));
    this.sumParts(flats, grads, 1 / B);
    const losses = new Float32Array(B * n);
    const predictions = new Int32Array(B * n);
    const finalState: State = [];
    for (let c = 0; c < states; c++) finalState.push(new Float32Array(B * H));
    parts.forEach((p, i) => {
      const r = i === mine ? own! : (results[i] as Exclude<(typeof results)[number], RnnbowError | null>);
      losses.set(r.losses, p.start * n);
      predictions.set(r.predictions, p.start * n);
      for (let c = 0; c < states; c++) finalState[c].set(r.finalState[c], p.start * H);
    });
    const result: EngineResult = { losses, predictions, finalState };
    if (!own!.itemized) return result;
    return { ...result, itemized: { ...own!.itemized, sequence: itemize!.sequence } };
  }

  /**
   * grads = scale · Σ parts, each part a flat gradient in {@link paramOrder} order. The parts go
   * side by side into kernel memory (past the layout) and one column-sum kernel adds them in
   * part order; the JavaScript loop over the values it replaces took 0.15-0.3 ms of a 3 ms
   * batch. With `grads` null the sum goes to the gradient region instead, for the optimizer.
   */
  private sumParts(parts: readonly Float32Array[], grads: ParamStore | null, scale: number): void {
    const total = this.order.total;
    const ld = roundUp4(total);
    const rows = roundUp4(this.layout.end);
    const sum = rows + parts.length * ld;
    this.ops.memory.ensure(sum + ld);
    const f = this.ops.memory.f32;
    parts.forEach((part, q) => f.set(part.subarray(0, total), rows + q * ld));
    this.ops.colSum(parts.length, total, rows, ld, sum, false);
    this.ops.scale(total, sum, sum, scale);
    if (!grads) {
      this.writeRegion(this.layout.dwih, flatStore(f.subarray(sum, sum + total), this.order.params));
      return;
    }
    for (const p of this.order.params) {
      const out = grads[p.name]?.data;
      if (!out || out.length !== p.size) throw new RnnbowError('INPUT', `fused engine: the gradient store has no "${p.name}" of ${p.size} values`);
      out.set(f.subarray(sum + p.offset, sum + p.offset + p.size));
    }
  }

  /** The worker threads, started on first use; null (and threading off for good) when they cannot start. */
  private threadPool(): BatchThreads | null {
    if (!this.pool) {
      this.pool = new BatchThreads(
        this.cellName!, this.dims, backendOf(this.ops), this.threads - 1, this.order.params, this.order.total, this.cell.states, this.workerTimeoutMs,
      );
      this.mainFlat = new Float32Array(this.order.total);
      this.mainGrads = flatStore(this.mainFlat, this.order.params);
    }
    if (this.pool.ready()) return this.pool;
    this.threadsOff = true;
    this.pool.dispose();
    return null;
  }

  /** One batch on this thread; gradients scaled by `scale` (left in memory when `grads` is null). */
  private trainBatch(params: ParamStore, batch: Batch, initialState: State, grads: ParamStore | null, scale: number, itemize?: ItemizeRequest): EngineResult {
    const L = this.prepare(params, batch.batchSize, batch.length, batch.inputs, batch.targets, initialState);
    const { ops } = this;
    const H = this.dims.hiddenSize;
    const V = this.dims.inputSize;
    const GH = L.GH;
    const nB = L.n * L.B;
    this.forward(L);
    ops.gemmNT(nB, V, H, L.hs + L.B * L.Hp, L.Hp, L.wout, L.Hp, L.logits, L.Vp, false);
    ops.softmax(nB, V, L.logits, L.Vp, L.bout, L.targets, L.loss, L.preds, SOFTMAX_GRADIENT);
    const context = { ops, cell: this.cell, layout: L, step: this.bwd, slots: this.slots, dims: this.dims };
    if (itemize && L.B === 1) {
      // One sequence: the itemizer's rows add up to its exact BPTT cotangent (the residual row
      // carries what truncation drops), so its gradient is the training gradient and the plain
      // backward would only repeat it.
      const itemized = itemizeSequence(context, batch, itemize, true);
      this.readGradients(grads, scale);
      const result = this.readResult(L);
      const sequence = { sequence: itemize.sequence, k: itemize.k, reduction: itemize.reduction, params: itemized };
      if (itemize.sequenceGradient === false) return { ...result, itemized: sequence };
      const gradient = zerosLike(params);
      this.readGradients(gradient, 1);
      return { ...result, itemized: { ...sequence, gradient } };
    }
    // Head: every step's cotangent on h at once, and the head's gradients as two products.
    ops.gemmNN(nB, H, V, L.logits, L.Vp, L.wout, L.Hp, L.dh, L.Hp, false);
    ops.gemmTN(V, H, nB, L.logits, L.Vp, L.hs + L.B * L.Hp, L.Hp, L.dwout, L.Hp, false);
    ops.colSum(nB, V, L.logits, L.Vp, L.dbout, false);
    this.backward(L);
    // Cell weights: one product over all n·B rows instead of a rank-1 update per step.
    ops.gemmTN(GH, H, nB, L.dz, L.ldg, L.hs, L.Hp, L.dwhh, L.Hp, false);
    ops.colSum(nB, GH, L.dz, L.ldg, L.dbhh, false);
    ops.memory.f32.fill(0, L.dwih, L.dwih + GH * V);
    ops.scatterColumns(nB, L.tokens, 1, L.dgi, L.ldg, GH, L.dwih, V);
    ops.colSum(nB, GH, L.dgi, L.ldg, L.dbih, false);
    this.readGradients(grads, scale);
    const result = this.readResult(L);
    if (!itemize) return result;
    const ownGradient = itemize.sequenceGradient !== false;
    // The itemizer puts the sequence's own gradient where the batch's is: keep the batch's.
    const batchGradient = ownGradient && !grads ? zerosLike(params) : null;
    if (batchGradient) this.readGradients(batchGradient, 1);
    const itemized = itemizeSequence(context, batch, itemize, ownGradient);
    const sequence = { sequence: itemize.sequence, k: itemize.k, reduction: itemize.reduction, params: itemized };
    if (!ownGradient) return { ...result, itemized: sequence };
    // itemizeSequence left the sequence's own gradient in the gradient arrays, unscaled.
    const gradient = zerosLike(params);
    this.readGradients(gradient, 1);
    if (batchGradient) this.writeRegion(L.dwih, batchGradient);
    return { ...result, itemized: { ...sequence, gradient } };
  }

  /** Forward and loss only. */
  evaluate(params: ParamStore, batch: Batch, initialState: State): EngineResult {
    const L = this.prepare(params, batch.batchSize, batch.length, batch.inputs, batch.targets, initialState);
    const nB = L.n * L.B;
    this.forward(L);
    this.ops.gemmNT(nB, this.dims.inputSize, this.dims.hiddenSize, L.hs + L.B * L.Hp, L.Hp, L.wout, L.Hp, L.logits, L.Vp, false);
    this.ops.softmax(nB, this.dims.inputSize, L.logits, L.Vp, L.bout, L.targets, L.loss, L.preds, SOFTMAX_GRADIENT);
    return this.readResult(L);
  }

  /** One step for `tokens.length` streams: softmax probabilities `[B * V]` and the new state. */
  predict(params: ParamStore, tokens: Int32Array, state: State): { probs: Float32Array; state: State } {
    const B = tokens.length;
    const L = this.prepare(params, B, 1, tokens, null, state);
    const V = this.dims.inputSize;
    this.forward(L);
    this.ops.gemmNT(B, V, this.dims.hiddenSize, L.hs + B * L.Hp, L.Hp, L.wout, L.Hp, L.logits, L.Vp, false);
    this.ops.softmax(B, V, L.logits, L.Vp, L.bout, L.targets, L.loss, L.preds, SOFTMAX_PROBS);
    const f = this.ops.memory.f32;
    const probs = new Float32Array(B * V);
    for (let b = 0; b < B; b++) probs.set(f.subarray(L.logits + b * L.Vp, L.logits + b * L.Vp + V), b * V);
    return { probs, state: this.readState(L) };
  }

  /** Releases what can be released (the memory goes with the engine). */
  dispose(): void {
    // Worker threads stop for good: a disposed engine that is used again runs on this thread.
    this.threadsOff = true;
    this.pool?.dispose();
    // The kernel memory belongs to this engine alone and goes with it; shrink what we can.
    this.layout = this.relayout(1, 1);
  }

  /** Forward over all steps: gathered input columns, one W_hh product per step, the cell's pointwise part. */
  private forward(L: FusedLayout): void {
    const { ops, cell, fwd: s } = this;
    const { B, Hp, ldg, GH } = L;
    const H = this.dims.hiddenSize;
    const V = this.dims.inputSize;
    s.R = B;
    s.ldg = ldg;
    s.ld = Hp;
    s.bhh = L.bhh;
    for (let j = 0; j < L.n; j++) {
      s.z = L.z + j * B * ldg;
      s.gh = L.gh + j * B * ldg;
      s.hPrev = L.hs + j * B * Hp;
      s.h = s.hPrev + B * Hp;
      s.cPrev = L.cs + j * B * Hp;
      s.c = s.cPrev + B * Hp;
      s.tc = L.tc + j * B * Hp;
      ops.gatherColumns(B, L.tokens + j * B, 1, L.wih, V, GH, cell.separateHidden ? L.bih : L.bsum, s.z, ldg);
      if (cell.separateHidden) ops.gemmNT(B, GH, H, s.hPrev, Hp, L.whh, Hp, s.gh, ldg, false);
      else ops.gemmNT(B, GH, H, s.hPrev, Hp, L.whh, Hp, s.z, ldg, true);
      cell.forward(ops, s);
    }
  }

  /** BPTT over the batch: the cell's pointwise backward, then the W_hh product into the previous step's dh. */
  private backward(L: FusedLayout): void {
    const { ops, cell, bwd: s } = this;
    const { B, Hp, ldg, GH } = L;
    const H = this.dims.hiddenSize;
    const f = ops.memory.f32;
    f.fill(0, L.dc, L.dc + B * Hp);
    f.fill(0, L.sink, L.sink + B * Hp);
    s.R = B;
    s.gs = ldg;
    s.ss = Hp;
    s.ldd = Hp;
    s.ldz = ldg;
    s.dc = L.dc;
    s.dcPrev = L.dc;
    for (let j = L.n - 1; j >= 0; j--) {
      s.act = L.z + j * B * ldg;
      s.gh = L.gh + j * B * ldg;
      s.hPrev = L.hs + j * B * Hp;
      s.h = s.hPrev + B * Hp;
      s.cPrev = L.cs + j * B * Hp;
      s.tc = L.tc + j * B * Hp;
      s.dh = L.dh + j * B * Hp;
      s.dz = L.dz + j * B * ldg;
      s.dgi = L.dgi + j * B * ldg;
      s.dhPrev = j > 0 ? s.dh - B * Hp : L.sink;
      cell.backward(ops, s);
      if (j > 0) ops.gemmNN(B, H, GH, s.dz, ldg, L.whh, Hp, s.dhPrev, Hp, true);
    }
  }

  /** Lays out memory for B×n (when it changed), copies parameters, ids and the initial state in. */
  private prepare(params: ParamStore, B: number, n: number, inputs: Int32Array, targets: Int32Array | null, state: State): FusedLayout {
    if (!Number.isInteger(B) || B < 1 || !Number.isInteger(n) || n < 1) {
      throw new RnnbowError('INPUT', `fused engine: a batch needs at least one sequence of at least one step, got B=${B}, n=${n}`);
    }
    if (this.layout.B !== B || this.layout.n !== n) this.layout = this.relayout(B, n);
    const L = this.layout;
    const H = this.dims.hiddenSize;
    const V = this.dims.inputSize;
    this.writeParams(params, L);
    this.preparedFrom = params;
    const ids = this.ops.memory.i32;
    if (inputs.length !== B * n || (targets && targets.length !== B * n)) {
      throw new RnnbowError('INPUT', `fused engine: a batch of ${B}×${n} needs ${B * n} inputs and targets, got ${inputs.length} and ${targets?.length}`);
    }
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < n; j++) {
        const x = inputs[b * n + j];
        const y = targets ? targets[b * n + j] : 0;
        if (!(x >= 0 && x < V && y >= 0 && y < V)) {
          throw new RnnbowError('INPUT', `fused engine: token id ${x >= 0 && x < V ? y : x} is outside the vocabulary [0, ${V})`);
        }
        ids[L.tokens + j * B + b] = x;
        ids[L.targets + j * B + b] = y;
      }
    }
    if (state.length !== this.cell.states || state.some((c) => c.length !== B * H)) {
      throw new RnnbowError('INPUT', `fused engine: the ${this.cell.name} state needs ${this.cell.states} array(s) of B·H = ${B * H} values`);
    }
    this.writeRows(state[0], B, H, L.hs, L.Hp);
    if (this.cell.states === 2) this.writeRows(state[1], B, H, L.cs, L.Hp);
    return L;
  }

  private relayout(B: number, n: number): FusedLayout {
    const L = fusedLayout(this.shape, this.ops.memory.base, B, n, this.moments);
    this.ops.memory.ensure(L.end);
    // Pad columns must read as zero; nothing but this fill ever writes the state arrays' pads.
    this.ops.memory.f32.fill(0, L.dynamic, L.end);
    return L;
  }

  private writeParams(params: ParamStore, L: FusedLayout): void {
    const GH = L.GH;
    const f = this.ops.memory.f32;
    for (const b of this.blocks) {
      const p = params[b.name];
      if (!p || p.data.length !== b.rows * b.cols) {
        throw new RnnbowError('INPUT', `fused engine: parameter "${b.name}" must hold ${b.rows * b.cols} values, got ${p ? p.data.length : 'none'}`);
      }
    }
    this.writeRegion(L.wih, params);
    for (let i = 0; i < GH; i++) f[L.bsum + i] = f[L.bih + i] + f[L.bhh + i];
  }

  /** Copies the named arrays of `src` into the region (parameters, gradient or moments) at `region`. */
  private writeRegion(region: number, src: ParamStore): void {
    for (const b of this.blocks) this.writeRows(src[b.name].data, b.rows, b.cols, region + b.at, b.ld);
  }

  /** Copies the region at `region` out into the named arrays of `out` (`what` names it in the error). */
  private readRegion(region: number, out: ParamStore, what = 'store'): void {
    for (const b of this.blocks) {
      if (!out[b.name]) throw new RnnbowError('INPUT', `fused engine: the ${what} has no "${b.name}"`);
    }
    for (const b of this.blocks) this.readRows(out[b.name].data, b.rows, b.cols, region + b.at, b.ld);
  }

  /** Copies a `[rows, cols]` array into memory with leading dimension `ld` (pads untouched). */
  private writeRows(src: Float32Array, rows: number, cols: number, at: number, ld: number): void {
    const f = this.ops.memory.f32;
    if (cols === ld) {
      f.set(src.subarray(0, rows * cols), at);
      return;
    }
    for (let r = 0; r < rows; r++) f.set(src.subarray(r * cols, (r + 1) * cols), at + r * ld);
  }

  private readRows(dst: Float32Array, rows: number, cols: number, at: number, ld: number): void {
    const f = this.ops.memory.f32;
    if (cols === ld) {
      dst.set(f.subarray(at, at + rows * cols));
      return;
    }
    for (let r = 0; r < rows; r++) dst.set(f.subarray(at + r * ld, at + r * ld + cols), r * cols);
  }

  /**
   * Scales the gradient in memory by `scale` (1/B for the training loss), then copies it to
   * `out` (none: it stays in memory for the engine's optimizer). The gradient region is
   * contiguous, so the scaling is one kernel call.
   */
  readGradients(out: ParamStore | null, scale: number): void {
    const L = this.layout;
    if (scale !== 1) this.ops.scale(L.paramRegion, L.dwih, L.dwih, scale);
    if (out) this.readRegion(L.dwih, out, 'gradient store');
  }

  private readState(L: FusedLayout): State {
    const H = this.dims.hiddenSize;
    const last = L.n * L.B * L.Hp;
    const out: State = [new Float32Array(L.B * H)];
    this.readRows(out[0], L.B, H, L.hs + last, L.Hp);
    if (this.cell.states === 2) {
      out.push(new Float32Array(L.B * H));
      this.readRows(out[1], L.B, H, L.cs + last, L.Hp);
    }
    return out;
  }

  private readResult(L: FusedLayout): EngineResult {
    const { B, n } = L;
    const f = this.ops.memory.f32;
    const ids = this.ops.memory.i32;
    const losses = new Float32Array(B * n);
    const predictions = new Int32Array(B * n);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < n; j++) {
        losses[b * n + j] = f[L.loss + j * B + b];
        predictions[b * n + j] = ids[L.preds + j * B + b];
      }
    }
    return { losses, predictions, finalState: this.readState(L) };
  }
}
