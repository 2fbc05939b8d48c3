import type * as tf from '@tensorflow/tfjs';
import { tfjs } from '../tfjs.js';
import type { CellDefinition, CellDims } from '../cell.js';
import type { Batch, EngineResult, GradientEngine, ItemizedSequence, ItemizeRequest, Prediction, State } from '../engine.js';
import { RnnbowError } from '../errors.js';
import { HEAD_BIAS, HEAD_WEIGHT, modelParams } from '../model.js';
import type { ParamSpec, ParamStore } from '../params.js';
import { zerosLike } from '../params.js';
import { ItemizationBuilder, type ItemizedSlot } from './itemization-builder.js';
import { RecordingContext } from './recording-context.js';
import { cellSlots } from './probe-cell.js';
import { scoped } from './scoped.js';

type Tensors = Record<string, tf.Tensor>;

/**
 * The reference engine: any cell's `step`, differentiated by tfjs. Training uses autodiff of the
 * whole sequence; itemization keeps one cotangent row per loss source and steps back with the
 * cell's own vector-Jacobian product, batched over rows (docs/concepts.md, "Any cell").
 *
 * It runs on whatever tfjs backend is active: call {@link setupBackend} first to choose one
 * (otherwise tfjs picks its default on the first op). Constructing it probes the cell's step, so
 * a malformed cell throws a {@link CellShapeError} here. Usually made by {@link createEngine}.
 *
 * @category Gradient engine
 */
export class TfjsEngine implements GradientEngine {
  readonly name: string;
  private readonly specs: ParamSpec[];
  /** The itemized slots, found by probing the cell's step. */
  readonly slots: readonly ItemizedSlot[];
  private readonly plainParams: string[];

  constructor(
    private readonly cell: CellDefinition,
    private readonly dims: CellDims,
  ) {
    this.specs = modelParams(cell, dims);
    const probe = cellSlots(cell, dims);
    this.slots = probe.slots;
    this.plainParams = probe.plain;
    // After the probe: its first op is what sets tfjs's default backend up when nothing else has.
    this.name = `tfjs:${tfjs.getBackend()}`;
  }

  train(params: ParamStore, batch: Batch, initialState: State, grads: ParamStore | null, itemize?: ItemizeRequest): EngineResult {
    // This engine has no optimizer of its own to keep a gradient for.
    if (!grads) throw new RnnbowError('INPUT', 'tfjs engine: train() needs a gradient store to write the gradient into');
    const names = this.specs.map((s) => s.name);
    const out = scoped(() => {
      const tensors = names.map((n) => tfjs.tensor(params[n].data, params[n].shape as number[]));
      let kept: tf.Tensor[] = [];
      const lossFn = (...ps: tf.Tensor[]): tf.Scalar => {
        const P = Object.fromEntries(names.map((n, i) => [n, ps[i]]));
        const fwd = this.forward(P, batch, initialState);
        kept = [fwd.lossPerStep, fwd.predictions, ...fwd.finalState].map((t) => tfjs.keep(t));
        return tfjs.div(tfjs.sum(fwd.lossPerStep), batch.batchSize) as tf.Scalar;
      };
      const { grads: g } = tfjs.valueAndGrads(lossFn)(tensors);
      names.forEach((n, i) => grads[n].data.set(g[i].dataSync()));
      const result = readForward(kept, batch);
      kept.forEach((t) => t.dispose());
      return result;
    });
    if (!itemize) return out;
    return { ...out, itemized: this.itemize(params, batch, initialState, itemize) };
  }

  evaluate(params: ParamStore, batch: Batch, initialState: State): EngineResult {
    return scoped(() => {
      const fwd = this.forward(this.tensors(params), batch, initialState);
      return readForward([fwd.lossPerStep, fwd.predictions, ...fwd.finalState], batch);
    });
  }

  predict(params: ParamStore, tokens: Int32Array, state: State): Prediction {
    return scoped(() => {
      const P = this.tensors(params);
      const B = tokens.length;
      const s = state.map((c) => tfjs.tensor2d(c, [B, this.dims.hiddenSize]));
      const x = tfjs.oneHot(tfjs.tensor1d(tokens, 'int32'), this.dims.inputSize).toFloat() as tf.Tensor2D;
      const next = this.step(P, x, s);
      const probs = tfjs.softmax(this.logits(P, next[0]));
      return { probs: probs.dataSync() as Float32Array, state: next.map((t) => t.dataSync() as Float32Array) };
    });
  }

  dispose(): void {
    // Every tensor lives inside tf.tidy; nothing is held between calls.
  }

  /** Itemizes one sequence of `batch` (see {@link ItemizeRequest}). */
  itemize(params: ParamStore, batch: Batch, initialState: State, req: ItemizeRequest): ItemizedSequence {
    const n = batch.length;
    const H = this.dims.hiddenSize;
    const V = this.dims.inputSize;
    const b = req.sequence;
    const gradient = zerosLike(params);
    const builder = new ItemizationBuilder(n, req.k, req.reduction, this.slots, req.residual, req.full ?? false);
    const K = builder.maxDistance;
    scoped(() => {
      const P = this.tensors(params);
      const tokens = batch.inputs.subarray(b * n, (b + 1) * n);
      const targets = batch.targets.subarray(b * n, (b + 1) * n);
      const xs = Array.from(tokens, (tok) => tfjs.oneHot(tfjs.tensor1d([tok], 'int32'), V).toFloat() as tf.Tensor2D);
      // Forward: states[j] is the state entering step j.
      const states: tf.Tensor2D[][] = [initialState.map((c) => tfjs.tensor2d(c.subarray(b * H, (b + 1) * H), [1, H]))];
      const probs: tf.Tensor2D[] = [];
      for (let j = 0; j < n; j++) {
        const next = this.step(P, xs[j], states[j]);
        states.push(next);
        probs.push(tfjs.softmax(this.logits(P, next[0])) as tf.Tensor2D);
      }
      // Local cotangent of each loss on h_j, and the head's gradient.
      const wOut = P[HEAD_WEIGHT] as tf.Tensor2D;
      const local: tf.Tensor2D[] = [];
      const headW = gradient[HEAD_WEIGHT].data;
      const headB = gradient[HEAD_BIAS].data;
      for (let j = 0; j < n; j++) {
        const dLogits = tfjs.sub(probs[j], tfjs.oneHot(tfjs.tensor1d([targets[j]], 'int32'), V).toFloat()) as tf.Tensor2D;
        local.push(tfjs.matMul(dLogits, wOut));
        const dl = dLogits.dataSync();
        const h = states[j + 1][0].dataSync();
        for (let v = 0; v < V; v++) {
          headB[v] += dl[v];
          for (let i = 0; i < H; i++) headW[v * H + i] += dl[v] * h[i];
        }
      }
      const comps = this.cell.state.length;
      let carried: tf.Tensor2D[] | null = null; // rows t = j+1 .. j+1+K (cotangent on the state leaving step j)
      let residual: tf.Tensor2D[] | null = null;
      for (let j = n - 1; j >= 0; j--) {
        const rowsT = Math.min(n - 1, j + K) - j + 1;
        const prevRows = carried ? carried[0].shape[0] : 0;
        const keep = Math.min(prevRows, rowsT - 1);
        // Losses that fall out of the window at this step join the residual row.
        if (carried && prevRows > keep) {
          const dropped = carried.map((c) => c.slice([keep, 0], [prevRows - keep, H]).sum(0, true) as tf.Tensor2D);
          residual = residual ? residual.map((r, i) => tfjs.add(r, dropped[i]) as tf.Tensor2D) : dropped;
        }
        const dy = Array.from({ length: comps }, (_, c) => {
          const parts: tf.Tensor2D[] = [c === 0 ? local[j] : tfjs.zeros([1, H])];
          if (carried && keep > 0) parts.push(carried[c].slice([0, 0], [keep, H]));
          if (residual) parts.push(residual[c]);
          return tfjs.concat(parts, 0) as tf.Tensor2D;
        });
        const R = dy[0].shape[0];
        const vjp = this.stepVjp(P, xs[j], states[j], dy, R);
        const dz: Record<string, Float32Array> = {};
        const inputs: Record<string, Float32Array> = {};
        for (const slot of this.slots) {
          dz[slot.param] = vjp.dz[slot.param].dataSync() as Float32Array;
          inputs[slot.param] = vjp.inputs[slot.param];
        }
        builder.addStep({ j, tCount: rowsT, residualRow: residual !== null, dz, inputs });
        this.accumulate(gradient, dz, inputs, R);
        for (const [name, g] of Object.entries(vjp.plain)) {
          const d = g.dataSync();
          const acc = gradient[name].data;
          for (let i = 0; i < acc.length; i++) acc[i] += d[i];
        }
        // Rows for losses t >= j become the cotangent on the state leaving step j - 1.
        carried = vjp.dPrev.map((d) => d.slice([0, 0], [rowsT, H]));
        if (residual) residual = vjp.dPrev.map((d) => d.slice([rowsT, 0], [1, H]));
      }
    });
    return { sequence: b, k: req.k, reduction: req.reduction, params: builder.result(), gradient };
  }

  private stepVjp(P: Tensors, x: tf.Tensor2D, statePrev: tf.Tensor2D[], dy: tf.Tensor2D[], R: number) {
    const comps = statePrev.length;
    const tiledState = statePrev.map((s) => tfjs.tile(s, [R, 1]) as tf.Tensor2D);
    const tiledX = tfjs.tile(x, [R, 1]) as tf.Tensor2D;
    const probes = this.slots.map((s) => tfjs.zeros([R, s.outSize]) as tf.Tensor2D);
    const plain = this.plainParams.map((n) => P[n]);
    const inputs: Record<string, Float32Array> = {};
    const f = (...args: tf.Tensor[]): tf.Tensor => {
      const probeMap = Object.fromEntries(this.slots.map((s, i) => [s.param, args[comps + i] as tf.Tensor2D]));
      const overrides = Object.fromEntries(this.plainParams.map((n, i) => [n, args[comps + this.slots.length + i]]));
      const ctx = new RecordingContext(this.cell.name, { ...P, ...overrides }, probeMap);
      const next = this.cell.step(ctx, tiledX, args.slice(0, comps) as tf.Tensor2D[]);
      for (const use of ctx.uses) inputs[use.param] = use.input.slice([0, 0], [1, use.input.shape[1]]).dataSync() as Float32Array;
      return next.length === 1 ? next[0] : tfjs.concat(next, 1);
    };
    const g = tfjs.grads(f)([...tiledState, ...probes, ...plain], dy.length === 1 ? dy[0] : tfjs.concat(dy, 1));
    return {
      dPrev: g.slice(0, comps) as tf.Tensor2D[],
      dz: Object.fromEntries(this.slots.map((s, i) => [s.param, g[comps + i]])),
      plain: Object.fromEntries(this.plainParams.map((n, i) => [n, g[comps + this.slots.length + i]])),
      inputs,
    };
  }

  private accumulate(gradient: ParamStore, dz: Record<string, Float32Array>, inputs: Record<string, Float32Array>, R: number): void {
    for (const slot of this.slots) {
      const w = slot.outSize;
      const sum = new Float64Array(w);
      const rows = dz[slot.param];
      for (let r = 0; r < R; r++) for (let i = 0; i < w; i++) sum[i] += rows[r * w + i];
      const u = inputs[slot.param];
      const acc = gradient[slot.param].data;
      if (slot.kind === 'linear') {
        for (let i = 0; i < w; i++) {
          const s = sum[i];
          if (s !== 0) for (let c = 0; c < u.length; c++) acc[i * u.length + c] += s * u[c];
        }
      } else {
        for (let i = 0; i < w; i++) acc[i] += sum[i] * u[i];
      }
      if (slot.bias) {
        const bAcc = gradient[slot.bias].data;
        for (let i = 0; i < w; i++) bAcc[i] += sum[i];
      }
    }
  }

  private tensors(params: ParamStore): Tensors {
    return Object.fromEntries(this.specs.map((s) => [s.name, tfjs.tensor(params[s.name].data, params[s.name].shape as number[])]));
  }

  private step(P: Tensors, x: tf.Tensor2D, state: tf.Tensor2D[]): tf.Tensor2D[] {
    return this.cell.step(new RecordingContext(this.cell.name, P), x, state);
  }

  private logits(P: Tensors, h: tf.Tensor2D): tf.Tensor2D {
    return tfjs.add(tfjs.matMul(h, P[HEAD_WEIGHT] as tf.Tensor2D, false, true), P[HEAD_BIAS]) as tf.Tensor2D;
  }

  /** Forward over the batch; losses and predictions in `[B * n]` (sequence-major) order. */
  private forward(P: Tensors, batch: Batch, initialState: State) {
    const { batchSize: B, length: n } = batch;
    const H = this.dims.hiddenSize;
    const V = this.dims.inputSize;
    const inputs = tfjs.tensor2d(batch.inputs, [B, n], 'int32');
    const targets = tfjs.tensor1d(batch.targets, 'int32');
    let state = initialState.map((c) => tfjs.tensor2d(c, [B, H]));
    const hs: tf.Tensor2D[] = [];
    for (let j = 0; j < n; j++) {
      const x = tfjs.oneHot(inputs.slice([0, j], [B, 1]).reshape([B]) as tf.Tensor1D, V).toFloat() as tf.Tensor2D;
      state = this.step(P, x, state);
      hs.push(state[0]);
    }
    const h = tfjs.stack(hs, 1).reshape([B * n, H]) as tf.Tensor2D; // row b*n + j
    const logits = this.logits(P, h);
    const logp = tfjs.logSoftmax(logits);
    const lossPerStep = tfjs.neg(tfjs.sum(tfjs.mul(logp, tfjs.oneHot(targets, V).toFloat()), 1));
    return { lossPerStep, predictions: tfjs.argMax(logits, 1), finalState: state };
  }
}

function readForward(t: tf.Tensor[], batch: Batch): EngineResult {
  const [loss, pred, ...state] = t;
  void batch;
  return {
    losses: loss.dataSync() as Float32Array,
    predictions: Int32Array.from(pred.dataSync()),
    finalState: state.map((s) => s.dataSync() as Float32Array),
  };
}
