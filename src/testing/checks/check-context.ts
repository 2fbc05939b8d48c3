import type { CellDefinition, CellDims } from '../../core/cell.js';
import type { EngineResult, GradientEngine, ItemizedSequence, ItemizeRequest, Reduction } from '../../core/engine.js';
import { zerosLike, type ParamStore } from '../../core/params.js';
import type { RandomProblem } from '../problem.js';
import type { ConformanceCheck, ConformanceCheckName } from '../report.js';

/** The tolerances and sizes every check reads (the resolved {@link CellConformanceOptions}). */
export interface ConformanceSettings {
  /** Sizes of the random model. */
  readonly dims: CellDims;
  /** Steps per random sequence. */
  readonly seqLength: number;
  /** Sequences per random batch. */
  readonly batchSize: number;
  /** The truncation the truncation and residual checks use. */
  readonly k: number;
  /** Relative tolerance of the itemization checks. */
  readonly tolerance: number;
  /** Tolerance of the finite-difference check (relative to the gradient's norm). */
  readonly finiteDifferenceTolerance: number;
  /** Relative tolerance of fused kernel vs reference engine. */
  readonly kernelTolerance: number;
}

/** What one check on one random problem works with. */
export interface CheckContext {
  /** The cell under test. */
  readonly cell: CellDefinition;
  /** Sizes and tolerances. */
  readonly settings: ConformanceSettings;
  /** The reference (tfjs autodiff) engine. */
  readonly engine: GradientEngine;
  /** The random problem. */
  readonly problem: RandomProblem;
  /** Its seed. */
  readonly seed: number;
}

/** Builds a check result; `passed` follows from error <= tolerance (NaN fails). */
export function checkResult(name: ConformanceCheckName, seed: number | null, error: number, tolerance: number, detail: string): ConformanceCheck {
  return { name, seed, passed: error <= tolerance, error, tolerance, detail };
}

/** A failed check for something that threw instead of producing a number. */
export function checkThrew(name: ConformanceCheckName, seed: number | null, tolerance: number, err: unknown): ConformanceCheck {
  const message = err instanceof Error ? err.message : String(err);
  return { name, seed, passed: false, error: Infinity, tolerance, detail: `threw: ${message}` };
}

/** Keeps the worst of several measurements with where it was. */
export class Worst {
  /** Largest error seen (NaN counts as Infinity). */
  error = 0;
  /** Where it was. */
  where = 'nothing to compare';
  private seen = false;

  /** Records `error` at `where` if it is the worst so far. */
  add(error: number, where: string): void {
    const e = Number.isNaN(error) ? Infinity : error;
    if (!this.seen || e > this.error) {
      this.error = e;
      this.where = where;
      this.seen = true;
    }
  }
}

/** Itemizes sequence `sequence` of the problem's batch with `engine`. */
export function itemizeWith(engine: GradientEngine, problem: RandomProblem, request: ItemizeRequest): ItemizedSequence {
  const grads = zerosLike(problem.params);
  const result = engine.train(problem.params, problem.batch, problem.state, grads, request);
  if (!result.itemized) throw new Error(`engine ${engine.name} returned no itemization although one was requested`);
  return result.itemized;
}

/** A full itemization request (every distance), optionally with the full matrices. */
export function fullRequest(sequence: number, reduction: Reduction, full: boolean): ItemizeRequest {
  return { sequence, k: null, reduction, residual: false, full };
}

/** The gradient of a batch from `engine` (training loss L = (1/B) Σ_b Σ_t L_{b,t}). */
export function batchGradient(engine: GradientEngine, problem: Pick<RandomProblem, 'params' | 'batch' | 'state'>): { grads: ParamStore; result: EngineResult } {
  const grads = zerosLike(problem.params);
  const result = engine.train(problem.params, problem.batch, problem.state, grads);
  return { grads, result };
}
