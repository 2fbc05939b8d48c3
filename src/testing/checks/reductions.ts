import { REDUCTIONS, type ItemizedParam, type Reduction } from '../../core/engine.js';
import type { ParamSpec } from '../../core/params.js';
import { flattenTriangle, reduceArray, relativeError } from '../compare.js';
import type { ConformanceCheck } from '../report.js';
import { checkResult, fullRequest, itemizeWith, Worst, type CheckContext } from './check-context.js';
import { gateBlock, type SeedData } from './seed-data.js';

/**
 * Each reported magnitude `byDistance[t][d]` (and each gate's) is the reduction (l2, meanAbs,
 * mean) of the full matrix G_{t,t-d} (of its gate rows), computed here directly from the matrix;
 * the engines use factorised O(H) forms, so this ties the summary numbers to the matrices that
 * satisfy the invariant.
 */
export function reductionsCheck(ctx: CheckContext, data: SeedData, specs: readonly ParamSpec[], sequence: number): ConformanceCheck {
  const worst = new Worst();
  const full = data.itemized[sequence];
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const reduction of REDUCTIONS) {
    const it = reduction === 'l2' ? full : itemizeWith(ctx.engine, ctx.problem, fullRequest(sequence, reduction, false));
    for (const [name, p] of Object.entries(it.params)) {
      const matrices = full.params[name].full!;
      worst.add(compareTriangle(p.byDistance, matrices, reduction), `"${name}" (${reduction})`);
      const spec = byName.get(name)!;
      spec.gates?.forEach((gate, g) => {
        const [offset, length] = gateBlock(spec, g);
        worst.add(compareTriangle(gateTriangle(p, gate), matrices, reduction, offset, length), `"${name}" gate ${gate} (${reduction})`);
      });
    }
  }
  return checkResult('reductions', ctx.seed, worst.error, ctx.settings.tolerance, `sequence ${sequence}, worst: ${worst.where}`);
}

function gateTriangle(p: ItemizedParam, gate: string): number[][] {
  return p.gates?.[gate] ?? [];
}

function compareTriangle(got: readonly (readonly number[])[], matrices: readonly (readonly Float32Array[])[], reduction: Reduction, offset = 0, length?: number): number {
  const expected = matrices.map((row) => row.map((m) => reduceArray(m, reduction, offset, length ?? m.length - offset)));
  const flatGot = flattenTriangle(got);
  const flatExpected = flattenTriangle(expected);
  return relativeError(flatGot, flatExpected);
}
