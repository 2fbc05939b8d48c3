import type { ItemizedSequence } from '../../core/engine.js';
import type { ParamSpec } from '../../core/params.js';
import { sizeOf } from '../../core/params.js';
import type { ConformanceCheck } from '../report.js';
import { checkResult, type CheckContext } from './check-context.js';
import type { SeedData } from './seed-data.js';

/**
 * Everything the engine returned has the shape the interfaces promise: losses and predictions
 * `[B·n]`, one finite `[B·H]` array per state component, finite gradients for every parameter,
 * an itemization triangle `byDistance[t]` of `t + 1` entries, the declared gates, and full matrices
 * of the parameter's size. Counts the problems found; passes at zero.
 */
export function shapesCheck(ctx: CheckContext, data: SeedData, specs: readonly ParamSpec[]): ConformanceCheck {
  const { settings, cell, seed } = ctx;
  const { batchSize: B, seqLength: n } = settings;
  const H = settings.dims.hiddenSize;
  const problems: string[] = [];
  const { result } = data.batch;
  if (result.losses.length !== B * n) problems.push(`losses has ${result.losses.length} values, expected B·n = ${B * n}`);
  if (!result.losses.every(Number.isFinite)) problems.push('a loss is not finite');
  if (result.predictions.length !== B * n) problems.push(`predictions has ${result.predictions.length} values, expected ${B * n}`);
  if (result.finalState.length !== cell.state.length) problems.push(`finalState has ${result.finalState.length} components, the cell declares ${cell.state.length}`);
  result.finalState.forEach((s, i) => {
    if (s.length !== B * H) problems.push(`finalState "${cell.state[i]}" has ${s.length} values, expected B·H = ${B * H}`);
    if (!s.every(Number.isFinite)) problems.push(`finalState "${cell.state[i]}" is not finite`);
  });
  for (const spec of specs) {
    const g = data.batch.grads[spec.name];
    if (!g || g.data.length !== sizeOf(spec.shape)) problems.push(`gradient of "${spec.name}" is missing or has the wrong size`);
    else if (!g.data.every(Number.isFinite)) problems.push(`gradient of "${spec.name}" is not finite`);
  }
  data.itemized.forEach((it, b) => problems.push(...itemizedShapeProblems(it, b, n, specs)));
  return checkResult('shapes', seed, problems.length, 0, problems.length ? problems.slice(0, 3).join('; ') : 'every output has its declared shape');
}

function itemizedShapeProblems(it: ItemizedSequence, b: number, n: number, specs: readonly ParamSpec[]): string[] {
  const problems: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  if (Object.keys(it.params).length === 0) problems.push('no parameter is itemized: route the recurrent weights through ctx.linear or ctx.elementwise');
  for (const [name, p] of Object.entries(it.params)) {
    const spec = byName.get(name);
    if (!spec) {
      problems.push(`itemized parameter "${name}" is not declared by params()`);
      continue;
    }
    const triangleOk = p.byDistance.length === n && p.byDistance.every((row, t) => row.length === t + 1 && row.every(Number.isFinite));
    if (!triangleOk) problems.push(`sequence ${b}: "${name}".byDistance is not a finite n×(t+1) triangle`);
    const declared = spec.gates ? [...spec.gates].join(',') : '';
    const got = p.gates ? Object.keys(p.gates).join(',') : '';
    if (declared !== got) problems.push(`"${name}" declares gates [${declared}] but the itemization has [${got}]`);
    const size = sizeOf(spec.shape);
    if (!p.full || p.full.some((row) => row.some((m) => m.length !== size))) problems.push(`sequence ${b}: "${name}" full matrices missing or not of size ${size}`);
  }
  return problems;
}
