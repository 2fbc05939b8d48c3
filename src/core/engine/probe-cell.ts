import type * as tf from '@tensorflow/tfjs';
import { tfjs } from '../tfjs.js';
import type { CellDefinition, CellDims } from '../cell.js';
import { CellShapeError } from '../errors.js';
import { HEAD_BIAS, HEAD_WEIGHT } from '../model.js';
import type { ParamSpec } from '../params.js';
import type { ItemizedSlot } from './itemization-builder.js';
import { RecordingContext, type ItemizedUse } from './recording-context.js';
import { scoped } from './scoped.js';

/** What {@link probeCell} learns about a cell. */
export interface CellProbe {
  /** The parameters that enter through the itemizing helpers, in call order. */
  slots: ItemizedSlot[];
  /** The parameters read with `ctx.param` (trained, not itemized). */
  plain: string[];
}

/** Rows of the main probe batch; a second batch of {@link OTHER_ROWS} catches a fixed batch size. */
const ROWS = 2;
const OTHER_ROWS = 3;

/**
 * Runs the step on tiny random inputs to learn which parameters enter through the itemizing
 * helpers, and holds the cell to what every engine relies on: declared parameters, the state's
 * shapes for any number of rows, rows that stay independent, and a gradient that reaches every
 * state component and parameter. A broken plugin cell fails here, at load, with the reason,
 * rather than deep inside training with a tfjs message.
 */
export function probeCell(cell: CellDefinition, dims: CellDims): CellProbe {
  return probe(cell, dims, true);
}

/**
 * The slots of {@link probeCell} from one step, with its spec and shape checks but not the
 * load-time ones that take a step per input (rows, gradient reach): for an engine built on a cell
 * already probed at load (a registered plugin's) or one the test suite holds (rnnbow's own), at
 * the run's own sizes.
 */
export function cellSlots(cell: CellDefinition, dims: CellDims): CellProbe {
  return probe(cell, dims, false);
}

function probe(cell: CellDefinition, dims: CellDims, thorough: boolean): CellProbe {
  const specs = cell.params(dims);
  checkSpecs(cell.name, specs);
  const gatesOf = new Map(specs.map((s) => [s.name, s.gates]));
  return scoped(() => {
    const P = Object.fromEntries(specs.map((s) => [s.name, tfjs.randomUniform(s.shape as number[], -0.1, 0.1)]));
    const input = randomInput(cell, dims, OTHER_ROWS);
    const main = { x: input.x.slice([0, 0], [ROWS, dims.inputSize]) as tf.Tensor2D, state: input.state.map((s) => s.slice([0, 0], [ROWS, dims.hiddenSize]) as tf.Tensor2D) };
    const ctx = new RecordingContext(cell.name, P);
    step(cell, ctx, main.x, main.state, dims);
    const used = new Set([...ctx.plain, ...ctx.uses.flatMap((u) => (u.bias ? [u.param, u.bias] : [u.param]))]);
    const unused = specs.filter((s) => !used.has(s.name)).map((s) => s.name);
    if (unused.length) throw new CellShapeError(cell.name, `params() declares ${unused.join(', ')} but step never uses them`);
    for (const u of ctx.uses) {
      const gates = gatesOf.get(u.param);
      if (gates && u.outSize % gates.length !== 0) {
        throw new CellShapeError(cell.name, `"${u.param}" declares ${gates.length} gates but has ${u.outSize} rows`);
      }
    }
    if (thorough) {
      checkRowsIndependent(cell, P, input, dims);
      const cut = unreachable(cell, P, main, ctx.uses, [...ctx.plain]);
      if (cut.length) {
        throw new CellShapeError(
          cell.name,
          `no gradient reaches ${cut.join(', ')} from the state step returns: build the new state from x, the state and ctx's parameters with tf ops only (arraySync(), dataSync() or tf.tensor(...) inside step cut the gradient)`,
        );
      }
    }
    return {
      slots: ctx.uses.map((u) => ({ kind: u.kind, param: u.param, bias: u.bias, outSize: u.outSize, gates: gatesOf.get(u.param) })),
      plain: [...ctx.plain],
    };
  });
}

/** Refuses specs that would fail later as a missing tensor, a silent zero init or a clash with the output layer. */
function checkSpecs(cellName: string, specs: unknown): asserts specs is ParamSpec[] {
  if (!Array.isArray(specs)) throw new CellShapeError(cellName, `params() must return an array of parameter specs, got ${typeof specs}`);
  const seen = new Set<string>();
  for (const spec of specs as Partial<ParamSpec>[]) {
    const name = spec?.name;
    if (typeof name !== 'string' || name === '') throw new CellShapeError(cellName, 'params() returned a parameter without a name');
    if (name === HEAD_WEIGHT || name === HEAD_BIAS) {
      throw new CellShapeError(cellName, `parameter "${name}" is the output layer's (rnnbow adds ${HEAD_WEIGHT} and ${HEAD_BIAS} itself); give the cell's parameter another name`);
    }
    if (seen.has(name)) throw new CellShapeError(cellName, `params() declares "${name}" twice`);
    seen.add(name);
    const shape = spec.shape;
    if (!Array.isArray(shape) || shape.length < 1 || shape.length > 2 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new CellShapeError(cellName, `parameter "${name}" has shape ${JSON.stringify(shape)}; expected [size] or [rows, cols] of positive integers`);
    }
    const init = spec.init;
    const constant = typeof init === 'object' && init !== null && Number.isFinite((init as { constant?: unknown }).constant);
    if (init !== undefined && init !== 'uniform' && init !== 'zeros' && init !== 'ones' && !constant) {
      throw new CellShapeError(cellName, `parameter "${name}" has init ${JSON.stringify(init)}; expected "uniform", "zeros", "ones" or { constant: number }`);
    }
    if (spec.gates !== undefined && !(Array.isArray(spec.gates) && spec.gates.length > 0 && spec.gates.every((g) => typeof g === 'string'))) {
      throw new CellShapeError(cellName, `parameter "${name}" has gates ${JSON.stringify(spec.gates)}; expected a list of gate names like ['i', 'f', 'g', 'o']`);
    }
  }
}

/** A one-hot x over distinct ids and a random state, `rows` rows. */
function randomInput(cell: CellDefinition, dims: CellDims, rows: number): { x: tf.Tensor2D; state: tf.Tensor2D[] } {
  const ids = Array.from({ length: rows }, (_, r) => (r * (dims.inputSize - 1)) % dims.inputSize);
  const x = tfjs.oneHot(tfjs.tensor1d(ids, 'int32'), dims.inputSize).toFloat() as tf.Tensor2D;
  const state = cell.state.map(() => tfjs.randomUniform([rows, dims.hiddenSize], -0.5, 0.5) as tf.Tensor2D);
  return { x, state };
}

/** One step, with whatever it throws or returns wrongly reported in the cell's terms. */
function step(cell: CellDefinition, ctx: RecordingContext, x: tf.Tensor2D, state: tf.Tensor2D[], dims: CellDims): tf.Tensor2D[] {
  const rows = x.shape[0];
  // Set once the step has run on ROWS rows: a failure on another count then points at the cause.
  const fixedRows = rows !== ROWS ? ` (it runs on ${ROWS} rows: does step fix the batch size? take it from x.shape[0])` : '';
  let next: tf.Tensor2D[];
  try {
    next = cell.step(ctx, x, state);
  } catch (err) {
    if (err instanceof CellShapeError) throw err;
    // tfjs names shapes, not parameters: what the helpers produced points at the one that is off.
    const made = ctx.uses.map((u) => `${u.kind}("${u.param}") gave [${rows},${u.outSize}]`).join(', ');
    throw new CellShapeError(cell.name, `step throws on a ${rows}-row batch: ${(err as Error)?.message ?? String(err)}${made ? ` (before it: ${made})` : ''}${fixedRows}`);
  }
  if (!Array.isArray(next) || next.length !== cell.state.length) {
    throw new CellShapeError(cell.name, `step must return ${cell.state.length} state tensor(s) (${cell.state.join(', ')}), got ${Array.isArray(next) ? next.length : typeof next}`);
  }
  next.forEach((t, i) => {
    if (!(t instanceof tfjs.Tensor) || t.rank !== 2 || t.shape[0] !== rows || t.shape[1] !== dims.hiddenSize) {
      const shape = t instanceof tfjs.Tensor ? `[${t.shape}]` : typeof t;
      throw new CellShapeError(cell.name, `state "${cell.state[i]}" must be [rows, ${dims.hiddenSize}] = [${rows}, ${dims.hiddenSize}], step returned ${shape}${fixedRows}`);
    }
  });
  return next;
}

/**
 * The rows of a batch are independent sequences: row 0 of a batch must step exactly as row 0
 * alone does. A mean or sum over rows would train, but on a different model than each engine
 * computes, and the itemizer (one row per loss source) would be wrong.
 */
function checkRowsIndependent(cell: CellDefinition, P: Record<string, tf.Tensor>, input: { x: tf.Tensor2D; state: tf.Tensor2D[] }, dims: CellDims): void {
  const batch = step(cell, new RecordingContext(cell.name, P), input.x, input.state, dims);
  const alone = step(
    cell,
    new RecordingContext(cell.name, P),
    input.x.slice([0, 0], [1, dims.inputSize]) as tf.Tensor2D,
    input.state.map((s) => s.slice([0, 0], [1, dims.hiddenSize]) as tf.Tensor2D),
    dims,
  );
  batch.forEach((t, i) => {
    const gap = tfjs.max(tfjs.abs(tfjs.sub(t.slice([0, 0], [1, dims.hiddenSize]), alone[i]))).dataSync()[0];
    if (!(gap <= 1e-5)) {
      throw new CellShapeError(
        cell.name,
        `step mixes the rows of a batch: row 0 of state "${cell.state[i]}" differs by ${gap.toExponential(2)} from the same row stepped alone; rows are independent sequences (no means or sums over rows)`,
      );
    }
  });
}

/**
 * The state components and parameters the returned state does not depend on through tf ops,
 * found as the itemizer meets them: it takes the gradient with respect to the incoming state,
 * a probe added to each helper's z, and each plain parameter.
 */
function unreachable(cell: CellDefinition, P: Record<string, tf.Tensor>, input: { x: tf.Tensor2D; state: tf.Tensor2D[] }, uses: readonly ItemizedUse[], plain: readonly string[]): string[] {
  const comps = cell.state.length;
  const rows = input.x.shape[0];
  const inputs = [
    ...cell.state.map((name, i) => ({ label: `state "${name}"`, value: input.state[i] as tf.Tensor })),
    ...uses.map((u) => ({ label: `"${u.param}"`, value: tfjs.zeros([rows, u.outSize]) as tf.Tensor })),
    ...plain.map((name) => ({ label: `"${name}"`, value: P[name] })),
  ];
  const outputOf = (args: tf.Tensor[]): tf.Scalar => {
    const probes = Object.fromEntries(uses.map((u, i) => [u.param, args[comps + i] as tf.Tensor2D]));
    const overrides = Object.fromEntries(plain.map((name, i) => [name, args[comps + uses.length + i]]));
    const next = cell.step(new RecordingContext(cell.name, { ...P, ...overrides }, probes), input.x, args.slice(0, comps) as tf.Tensor2D[]);
    return tfjs.sum(next.length === 1 ? next[0] : tfjs.concat(next, 1));
  };
  const values = inputs.map((i) => i.value);
  return inputs
    .filter((_, i) => {
      try {
        tfjs.grad((t: tf.Tensor) => outputOf(values.map((v, j) => (j === i ? t : v))))(values[i]);
        return false;
      } catch (err) {
        if (/Cannot compute gradient/.test((err as Error)?.message ?? '')) return true;
        throw err;
      }
    })
    .map((i) => i.label);
}
