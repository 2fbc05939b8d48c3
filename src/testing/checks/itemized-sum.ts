import type { ParamSpec } from '../../core/params.js';
import { relativeError, sumArrays } from '../compare.js';
import type { ConformanceCheck } from '../report.js';
import { checkResult, Worst, type CheckContext } from './check-context.js';
import type { SeedData } from './seed-data.js';

/**
 * The batch's autodiff gradient is the mean of its sequences' gradients and each sequence's
 * losses do not depend on the others. The itemizing engine steps many cotangent rows back through
 * one tiled call of the cell's step, which is only right if rows never mix (no statistics across
 * the batch, no reshapes that cross rows).
 */
export function rowsIndependentCheck(ctx: CheckContext, data: SeedData, specs: readonly ParamSpec[]): ConformanceCheck {
  const { batchSize: B, seqLength: n, tolerance } = ctx.settings;
  const worst = new Worst();
  for (const spec of specs) {
    const size = data.batch.grads[spec.name].data.length;
    const mean = sumArrays(data.sequences.map((s) => s.grads[spec.name].data), size).map((v) => v / B);
    worst.add(relativeError(data.batch.grads[spec.name].data, mean), `gradient of "${spec.name}" vs the mean of the sequences' own gradients`);
  }
  for (let b = 0; b < B; b++) {
    const inBatch = data.batch.result.losses.subarray(b * n, (b + 1) * n);
    worst.add(relativeError(inBatch, data.sequences[b].result.losses), `losses of sequence ${b} in the batch vs alone`);
  }
  return checkResult('rows-independent', ctx.seed, worst.error, tolerance, `worst: ${worst.where}`);
}

/**
 * The central invariant: for each sequence b and each itemized parameter, Σ_t Σ_{j<=t} G_{t,j}
 * equals dL_b/dθ from autodiff of the whole sequence; and the per-sequence gradient the
 * itemizing pass reports equals it for every parameter (itemized or not, head included).
 */
export function itemizedSumCheck(ctx: CheckContext, data: SeedData): ConformanceCheck {
  const worst = new Worst();
  data.itemized.forEach((it, b) => {
    const autodiff = data.sequences[b].grads;
    for (const [name, p] of Object.entries(it.params)) {
      const size = autodiff[name].data.length;
      const sum = sumArrays(p.full!.flat(), size);
      worst.add(relativeError(sum, autodiff[name].data), `sequence ${b}, "${name}": Σ_t Σ_j G_{t,j} vs autodiff`);
    }
    for (const [name, g] of Object.entries(autodiff)) {
      worst.add(relativeError(it.gradient?.[name]?.data ?? [], g.data), `sequence ${b}, "${name}": the itemizing pass's gradient vs autodiff`);
    }
  });
  return checkResult('itemized-sum', ctx.seed, worst.error, ctx.settings.tolerance, `worst: ${worst.where}`);
}
