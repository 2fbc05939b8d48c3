import type { ItemizedSequence } from '../../core/engine.js';
import type { ParamSpec } from '../../core/params.js';
import { flattenTriangle, norm, relativeError, sumArrays } from '../compare.js';
import type { ConformanceCheck } from '../report.js';
import { checkResult, itemizeWith, Worst, type CheckContext } from './check-context.js';
import type { SeedData } from './seed-data.js';

/** The truncated (k, with residual) itemization of one sequence; shared by the two checks below. */
export function truncatedItemization(ctx: CheckContext, sequence: number): ItemizedSequence {
  return itemizeWith(ctx.engine, ctx.problem, { sequence, k: ctx.settings.k, reduction: 'l2', residual: true });
}

/**
 * Truncated-k itemization equals the full one restricted to distances d <= k: each row
 * `byDistance[t]` holds exactly min(t, k) + 1 entries, equal to the full record's first ones, gates too.
 */
export function truncationCheck(ctx: CheckContext, data: SeedData, truncated: ItemizedSequence, sequence: number): ConformanceCheck {
  const { k, seqLength: n } = ctx.settings;
  const full = data.itemized[sequence];
  const worst = new Worst();
  for (const [name, p] of Object.entries(full.params)) {
    const got = truncated.params[name];
    if (!got) {
      worst.add(Infinity, `"${name}" is missing from the truncated itemization`);
      continue;
    }
    const lengthsOk = got.byDistance.length === n && got.byDistance.every((row, t) => row.length === Math.min(t, k) + 1);
    if (!lengthsOk) worst.add(Infinity, `"${name}": rows are not min(t, k) + 1 = ${k + 1} long at most`);
    const restrict = (rows: readonly (readonly number[])[]) => rows.map((row) => row.slice(0, k + 1));
    worst.add(relativeError(flattenTriangle(got.byDistance), flattenTriangle(restrict(p.byDistance))), `"${name}"`);
    for (const [gate, rows] of Object.entries(p.gates ?? {})) {
      worst.add(relativeError(flattenTriangle(got.gates?.[gate] ?? []), flattenTriangle(restrict(rows))), `"${name}" gate ${gate}`);
    }
  }
  return checkResult('truncation', ctx.seed, worst.error, ctx.settings.tolerance, `k = ${k}, sequence ${sequence}, worst: ${worst.where}`);
}

/**
 * The residual is what truncation dropped: residual[j] = ‖Σ_{t > j+k} G_{t,j}‖_F, computed here
 * from the full matrices (0 where no loss is dropped). The engines carry it as one extra
 * cotangent row, so this checks that row's bookkeeping.
 */
export function residualCheck(ctx: CheckContext, data: SeedData, truncated: ItemizedSequence, specs: readonly ParamSpec[], sequence: number): ConformanceCheck {
  const { k, seqLength: n } = ctx.settings;
  const full = data.itemized[sequence];
  const sizes = new Map(specs.map((s) => [s.name, s.shape.reduce((a, b) => a * b, 1)]));
  const worst = new Worst();
  for (const [name, p] of Object.entries(full.params)) {
    const residual = truncated.params[name]?.residual;
    if (!residual || residual.length !== n) {
      worst.add(Infinity, `"${name}" has no residual of n = ${n} values`);
      continue;
    }
    const expected = Array.from({ length: n }, (_, j) => {
      const dropped = [];
      for (let t = j + k + 1; t < n; t++) dropped.push(p.full![t][t - j]);
      return norm(sumArrays(dropped, sizes.get(name)!));
    });
    worst.add(relativeError(residual, expected), `"${name}"`);
  }
  return checkResult('residual', ctx.seed, worst.error, ctx.settings.tolerance, `k = ${k}, sequence ${sequence}, worst: ${worst.where}`);
}
