import type { CellDefinition } from '../core/cell.js';
import { TfjsEngine } from '../core/engine/tfjs-engine.js';
import { probeCell } from '../core/engine/probe-cell.js';
import { ConfigError } from '../core/errors.js';
import { knownOptions } from '../core/options.js';
import { modelParams } from '../core/model.js';
import { checkResult, checkThrew, type CheckContext, type ConformanceSettings } from './checks/check-context.js';
import { finiteDifferenceCheck } from './checks/finite-differences.js';
import { itemizedSumCheck, rowsIndependentCheck } from './checks/itemized-sum.js';
import { kernelCheck } from './checks/kernel.js';
import { reductionsCheck } from './checks/reductions.js';
import { computeSeedData } from './checks/seed-data.js';
import { shapesCheck } from './checks/shapes.js';
import { residualCheck, truncatedItemization, truncationCheck } from './checks/truncation.js';
import { randomProblem } from './problem.js';
import { CellConformanceError, type CellConformanceReport, type ConformanceCheck } from './report.js';

/**
 * Options of {@link runCellConformance}; every field has a default that suits a small cell.
 *
 * @category Conformance testing
 */
export interface CellConformanceOptions {
  /** Vocabulary size of the random model (default 5). */
  readonly inputSize?: number;
  /** Hidden size of the random model (default 4). */
  readonly hiddenSize?: number;
  /** Steps per random sequence (default 7). */
  readonly seqLength?: number;
  /** Sequences per random batch, at least 2 so rows meet in one batch (default 3). */
  readonly batchSize?: number;
  /** Seeds of the random problems (default `[1, 2, 3]`). */
  readonly seeds?: readonly number[];
  /** Truncation of the truncation and residual checks, 0 <= k <= seqLength - 2 (default 2). */
  readonly k?: number;
  /** Multiplies the cell's initial weights, so gradients reach far back (default 1.5). */
  readonly weightScale?: number;
  /** Relative tolerance of the itemization checks against autodiff (default 1e-5). */
  readonly tolerance?: number;
  /**
   * Tolerance of the finite-difference check, relative to the gradient's norm (default 1e-3: the
   * losses are float32, so extrapolated central differences resolve four to five digits; a real
   * gradient bug is off by far more).
   */
  readonly finiteDifferenceTolerance?: number;
  /** Compare the cell's fused kernel with the reference engine when it has one (default true). */
  readonly kernel?: boolean;
  /** Relative tolerance of fused kernel vs reference (default 1e-5, as for the invariant; both are float32). */
  readonly kernelTolerance?: number;
}

/** Every option {@link runCellConformance} reads: a typo (`seed` for `seeds`) is refused, not ignored. */
const OPTION_KEYS: readonly (keyof CellConformanceOptions)[] = [
  'inputSize', 'hiddenSize', 'seqLength', 'batchSize', 'seeds', 'k', 'weightScale', 'tolerance', 'finiteDifferenceTolerance', 'kernel', 'kernelTolerance',
];

function resolve(options: CellConformanceOptions): ConformanceSettings & { seeds: readonly number[]; weightScale: number; kernel: boolean } {
  knownOptions('runCellConformance', options as Record<string, unknown>, OPTION_KEYS);
  const settings = {
    dims: { inputSize: options.inputSize ?? 5, hiddenSize: options.hiddenSize ?? 4 },
    seqLength: options.seqLength ?? 7,
    batchSize: options.batchSize ?? 3,
    k: options.k ?? 2,
    tolerance: options.tolerance ?? 1e-5,
    finiteDifferenceTolerance: options.finiteDifferenceTolerance ?? 1e-3,
    kernelTolerance: options.kernelTolerance ?? 1e-5,
    seeds: options.seeds ?? [1, 2, 3],
    weightScale: options.weightScale ?? 1.5,
    kernel: options.kernel ?? true,
  };
  const int = (name: string, value: number, min: number) => {
    if (!Number.isInteger(value) || value < min) throw new ConfigError(`runCellConformance: ${name} must be an integer >= ${min}, got ${value}`);
  };
  int('inputSize', settings.dims.inputSize, 2);
  int('hiddenSize', settings.dims.hiddenSize, 1);
  int('seqLength', settings.seqLength, 3);
  int('batchSize', settings.batchSize, 1);
  int('k', settings.k, 0);
  if (settings.k > settings.seqLength - 2) {
    throw new ConfigError(`runCellConformance: k = ${settings.k} drops nothing from sequences of ${settings.seqLength} steps`, 'use k <= seqLength - 2');
  }
  if (settings.seeds.length === 0) throw new ConfigError('runCellConformance: seeds is empty');
  return settings;
}

/**
 * Checks a cell against rnnbow's central invariant and the engine's contracts, on random weights,
 * sequences and initial states (several seeds, B > 1):
 *
 * - `probe`: what a plugin cell is held to at load: valid parameter specs, one `[rows, H]` tensor per state
 *   component for any number of rows, every declared parameter used, rows that stay independent, and a
 *   gradient that reaches every state component and parameter;
 * - `shapes`: losses, states, gradients and itemizations have their declared shapes and are finite;
 * - `rows-independent`: sequences of a batch do not influence each other;
 * - `itemized-sum`: itemized gradients summed over t and j equal whole-sequence autodiff (relative error <= `tolerance`);
 * - `reductions`: every magnitude (and gate split) is the stated reduction of its full matrix;
 * - `truncation`: truncated-k equals the full itemization restricted to d <= k;
 * - `residual`: the residual equals the norm of what truncation dropped;
 * - `finite-differences`: full BPTT matches directional finite differences of the loss;
 * - `kernel`: a fused kernel (`cell.kernel`), if any, agrees with the reference engine.
 *
 * Framework-agnostic: it returns a report and throws only for invalid options; use
 * {@link assertCellConformance} in a test to throw on failure. Uses the current tfjs backend.
 *
 * @example
 * ```ts
 * import { runCellConformance, formatConformanceReport, type CellDefinition } from 'rnnbow';
 *
 * declare const myCell: CellDefinition; // the cell under test
 * const report = runCellConformance(myCell);
 * if (!report.passed) console.error(formatConformanceReport(report));
 * ```
 *
 * @category Conformance testing
 */
export function runCellConformance(cell: CellDefinition, options: CellConformanceOptions = {}): CellConformanceReport {
  const settings = resolve(options);
  const checks: ConformanceCheck[] = [];
  const done = (): CellConformanceReport => {
    const failures = checks.filter((c) => !c.passed);
    return { cell: cell.name, passed: failures.length === 0, checks, failures };
  };
  try {
    probeCell(cell, settings.dims);
    checks.push(checkResult('probe', null, 0, 0, `step returns ${cell.state.length} state tensor(s) of [rows, ${settings.dims.hiddenSize}] and uses every parameter`));
  } catch (err) {
    checks.push(checkThrew('probe', null, 0, err));
    return done();
  }
  const specs = modelParams(cell, settings.dims);
  const engine = new TfjsEngine(cell, settings.dims);
  const kernel = settings.kernel && cell.kernel ? cell.kernel.bind(cell) : undefined;
  for (const seed of settings.seeds) {
    const problem = randomProblem(cell, settings.dims, settings.seqLength, settings.batchSize, seed, settings.weightScale);
    const ctx: CheckContext = { cell, settings, engine, problem, seed };
    // Vary which sequence of the batch the single-sequence checks look at.
    const sequence = seed % settings.batchSize;
    let data;
    try {
      data = computeSeedData(ctx);
    } catch (err) {
      checks.push(checkThrew('shapes', seed, 0, err));
      continue;
    }
    const run = (name: ConformanceCheck['name'], tolerance: number, fn: () => ConformanceCheck) => {
      try {
        checks.push(fn());
      } catch (err) {
        checks.push(checkThrew(name, seed, tolerance, err));
      }
    };
    run('shapes', 0, () => shapesCheck(ctx, data, specs));
    run('rows-independent', settings.tolerance, () => rowsIndependentCheck(ctx, data, specs));
    run('itemized-sum', settings.tolerance, () => itemizedSumCheck(ctx, data));
    run('reductions', settings.tolerance, () => reductionsCheck(ctx, data, specs, sequence));
    let truncated;
    try {
      truncated = truncatedItemization(ctx, sequence);
    } catch (err) {
      checks.push(checkThrew('truncation', seed, settings.tolerance, err));
    }
    if (truncated) {
      const t = truncated;
      run('truncation', settings.tolerance, () => truncationCheck(ctx, data, t, sequence));
      run('residual', settings.tolerance, () => residualCheck(ctx, data, t, specs, sequence));
    }
    run('finite-differences', settings.finiteDifferenceTolerance, () => finiteDifferenceCheck(ctx, data, specs));
    if (kernel) run('kernel', settings.kernelTolerance, () => kernelCheck(ctx, kernel, sequence));
  }
  engine.dispose();
  return done();
}

/**
 * {@link runCellConformance}, throwing a {@link CellConformanceError} that names every failed check
 * when the cell does not conform. Returns the report when it does.
 *
 * @example
 * ```js
 * // in any test runner (node:test, vitest, jest, mocha)
 * import { assertCellConformance } from 'rnnbow';
 * test('my cell conforms', () => { assertCellConformance(myCell); });
 * ```
 *
 * @category Conformance testing
 */
export function assertCellConformance(cell: CellDefinition, options: CellConformanceOptions = {}): CellConformanceReport {
  const report = runCellConformance(cell, options);
  if (!report.passed) throw new CellConformanceError(report);
  return report;
}
