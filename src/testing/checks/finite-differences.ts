import type { ParamSpec, ParamStore } from '../../core/params.js';
import { cloneParams } from '../../core/params.js';
import { SeededRandom } from '../../core/random.js';
import { norm } from '../compare.js';
import type { ConformanceCheck } from '../report.js';
import { checkResult, Worst, type CheckContext } from './check-context.js';
import type { SeedData } from './seed-data.js';

/**
 * Step of the central differences. Losses are float32 sums of order 1, so each evaluation
 * carries ~1e-6 rounding; a step of 1e-2 along a unit direction keeps that below 1e-4 of the
 * derivative, and Richardson extrapolation (steps h and h/2) removes the O(h²) truncation error.
 */
const STEP = 1e-2;

/**
 * Full BPTT against finite differences of the loss, one directional derivative per parameter
 * (along a mix of its reported gradient and a random direction, so that both a wrong magnitude and
 * a wrong direction show) plus one random direction through all parameters at once. The error is
 * |finite difference − ∇L·v| relative to ‖∇L‖: scale-free, and meaningful in float32.
 */
export function finiteDifferenceCheck(ctx: CheckContext, data: SeedData, specs: readonly ParamSpec[]): ConformanceCheck {
  const { problem, engine, seed } = ctx;
  const grads = data.batch.grads;
  const rng = new SeededRandom(seed * 7919 + 1);
  const loss = (params: ParamStore): number => {
    const losses = engine.evaluate(params, problem.batch, problem.state).losses;
    let sum = 0;
    for (let i = 0; i < losses.length; i++) sum += losses[i];
    return sum / problem.batch.batchSize;
  };
  const gradNorm = norm(specs.flatMap((s) => Array.from(grads[s.name].data)));
  const directions: { where: string; v: Record<string, Float64Array> }[] = [];
  for (const spec of specs) {
    const g = grads[spec.name].data;
    const gn = norm(g);
    const random = unitRandom(g.length, rng);
    const mixed = Float64Array.from(random, (r, i) => (gn > 0 ? g[i] / gn : 0) + r);
    directions.push({ where: `"${spec.name}"`, v: { [spec.name]: scaleToUnit(mixed) } });
  }
  const all: Record<string, Float64Array> = {};
  for (const spec of specs) all[spec.name] = unitRandom(grads[spec.name].data.length, rng);
  const total = Math.sqrt(Object.values(all).reduce((a, v) => a + norm(v) ** 2, 0));
  for (const v of Object.values(all)) for (let i = 0; i < v.length; i++) v[i] /= total;
  directions.push({ where: 'a random direction through every parameter', v: all });

  const worst = new Worst();
  for (const { where, v } of directions) {
    const central = (h: number) => (loss(shifted(problem.params, v, h)) - loss(shifted(problem.params, v, -h))) / (2 * h);
    const fd = (4 * central(STEP / 2) - central(STEP)) / 3;
    let analytic = 0;
    for (const [name, dir] of Object.entries(v)) for (let i = 0; i < dir.length; i++) analytic += grads[name].data[i] * dir[i];
    worst.add(Math.abs(fd - analytic) / Math.max(gradNorm, 1e-12), `${where}: finite difference ${fd.toPrecision(6)} vs ∇L·v ${analytic.toPrecision(6)}`);
  }
  return checkResult('finite-differences', seed, worst.error, ctx.settings.finiteDifferenceTolerance, `relative to ‖∇L‖ = ${gradNorm.toPrecision(4)}; worst: ${worst.where}`);
}

function unitRandom(size: number, rng: SeededRandom): Float64Array {
  return scaleToUnit(Float64Array.from({ length: size }, () => rng.normal()));
}

function scaleToUnit(v: Float64Array): Float64Array {
  const n = norm(v);
  return n > 0 ? v.map((x) => x / n) : v;
}

function shifted(params: ParamStore, v: Record<string, Float64Array>, h: number): ParamStore {
  const out = cloneParams(params);
  for (const [name, dir] of Object.entries(v)) {
    const data = out[name].data;
    for (let i = 0; i < dir.length; i++) data[i] += h * dir[i];
  }
  return out;
}
