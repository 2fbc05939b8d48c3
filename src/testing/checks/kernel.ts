import type { CellDims } from '../../core/cell.js';
import type { GradientEngine, ItemizedSequence, ItemizeRequest } from '../../core/engine.js';
import { flattenTriangle, relativeError } from '../compare.js';
import type { ConformanceCheck } from '../report.js';
import { batchGradient, checkResult, checkThrew, itemizeWith, Worst, type CheckContext } from './check-context.js';

/**
 * A cell's fused kernel (`cell.kernel`) agrees with the reference engine running its `step`:
 * losses, final state and gradients of a training pass, validation losses, one prediction step,
 * and the itemization (full with matrices, and truncated with the residual), gates included.
 */
export function kernelCheck(ctx: CheckContext, kernel: (dims: CellDims) => GradientEngine, sequence: number): ConformanceCheck {
  const { settings, seed, problem, engine: reference } = ctx;
  const tolerance = settings.kernelTolerance;
  let fused: GradientEngine | undefined;
  try {
    fused = kernel(settings.dims);
    const worst = new Worst();
    const ref = batchGradient(reference, problem);
    const got = batchGradient(fused, problem);
    worst.add(relativeError(got.result.losses, ref.result.losses), 'training losses');
    ref.result.finalState.forEach((s, i) => worst.add(relativeError(got.result.finalState[i] ?? [], s), `final state ${i}`));
    for (const [name, g] of Object.entries(ref.grads)) worst.add(relativeError(got.grads[name].data, g.data), `gradient of "${name}"`);
    const refEval = reference.evaluate(problem.params, problem.batch, problem.state);
    worst.add(relativeError(fused.evaluate(problem.params, problem.batch, problem.state).losses, refEval.losses), 'evaluate losses');
    const tokens = Int32Array.from({ length: settings.batchSize }, (_, b) => problem.batch.inputs[b * settings.seqLength]);
    const refPredict = reference.predict(problem.params, tokens, problem.state);
    const gotPredict = fused.predict(problem.params, tokens, problem.state);
    worst.add(relativeError(gotPredict.probs, refPredict.probs), 'predict probabilities');
    refPredict.state.forEach((s, i) => worst.add(relativeError(gotPredict.state[i] ?? [], s), `predict state ${i}`));
    const requests: [string, ItemizeRequest][] = [
      ['full', { sequence, k: null, reduction: 'l2', residual: false, full: true }],
      [`k=${settings.k}`, { sequence, k: settings.k, reduction: 'l2', residual: true }],
      ['meanAbs', { sequence, k: null, reduction: 'meanAbs', residual: false }],
    ];
    for (const [label, request] of requests) {
      compareItemized(worst, label, itemizeWith(fused, problem, request), itemizeWith(reference, problem, request));
    }
    return checkResult('kernel', seed, worst.error, tolerance, `${fused.name} vs ${reference.name}, worst: ${worst.where}`);
  } catch (err) {
    return checkThrew('kernel', seed, tolerance, err);
  } finally {
    fused?.dispose();
  }
}

function compareItemized(worst: Worst, label: string, got: ItemizedSequence, ref: ItemizedSequence): void {
  const names = new Set([...Object.keys(got.params), ...Object.keys(ref.params)]);
  for (const name of names) {
    const g = got.params[name];
    const r = ref.params[name];
    if (!g || !r) {
      worst.add(Infinity, `${label}: "${name}" is itemized by only one engine`);
      continue;
    }
    worst.add(relativeError(flattenTriangle(g.byDistance), flattenTriangle(r.byDistance)), `${label}: "${name}"`);
    for (const gate of new Set([...Object.keys(g.gates ?? {}), ...Object.keys(r.gates ?? {})])) {
      worst.add(relativeError(flattenTriangle(g.gates?.[gate] ?? []), flattenTriangle(r.gates?.[gate] ?? [])), `${label}: "${name}" gate ${gate}`);
    }
    if (r.residual) worst.add(relativeError(g.residual ?? [], r.residual), `${label}: "${name}" residual`);
    if (r.full) {
      const flat = (m: readonly (readonly Float32Array[])[]) => m.flatMap((row) => row.flatMap((x) => Array.from(x)));
      worst.add(relativeError(flat(g.full ?? []), flat(r.full)), `${label}: "${name}" full matrices`);
    }
  }
  // Both were asked for the sequence's gradient (the default); a missing one compares as [] and fails.
  for (const [name, p] of Object.entries(ref.gradient ?? {})) worst.add(relativeError(got.gradient?.[name]?.data ?? [], p.data), `${label}: sequence gradient of "${name}"`);
}
