import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import type { GradientEngine, ItemizedParam, ItemizedSequence, ItemizeRequest } from '../../src/core/engine.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { modelParams } from '../../src/core/model.js';
import type { CheckContext } from '../../src/testing/checks/check-context.js';
import { reductionsCheck } from '../../src/testing/checks/reductions.js';
import { computeSeedData } from '../../src/testing/checks/seed-data.js';
import { residualCheck, truncatedItemization, truncationCheck } from '../../src/testing/checks/truncation.js';
import { randomProblem } from '../../src/testing/problem.js';
import { assertCellConformance, CellConformanceError, runCellConformance, type CellConformanceReport } from '../../src/testing/index.js';

const failedNames = (r: CellConformanceReport) => [...new Set(r.failures.map((c) => c.name))].sort();
const quick = { seeds: [1] } as const;

describe('runCellConformance catches broken cells', () => {
  it('a passing report ran every check on every seed', () => {
    const report = runCellConformance(vanillaCell, { seeds: [4, 5], kernel: false });
    expect(report.passed).toBe(true);
    const names = ['shapes', 'rows-independent', 'itemized-sum', 'reductions', 'truncation', 'residual', 'finite-differences'];
    for (const seed of [4, 5]) expect(report.checks.filter((c) => c.seed === seed).map((c) => c.name)).toEqual(names);
    expect(report.checks[0].name).toBe('probe');
  });

  it('a step that returns the wrong shape fails the probe, and assertCellConformance says so', () => {
    const wide: CellDefinition = { ...vanillaCell, name: 'wide', kernel: undefined, step: (ctx, x, [h]) => [tf.concat([vanillaCell.step(ctx, x, [h])[0], h], 1) as tf.Tensor2D] };
    const report = runCellConformance(wide, quick);
    expect(report.passed).toBe(false);
    expect(report.checks.map((c) => c.name)).toEqual(['probe']);
    expect(() => assertCellConformance(wide, quick)).toThrow(CellConformanceError);
    expect(() => assertCellConformance(wide, quick)).toThrow(/cell "wide" fails 1 of 1 conformance checks: probe: threw: cell "wide": state "h" must be \[rows, 4\]/);
  });

  it('a cell that mixes the rows of a batch fails the probe, which names the mixing', () => {
    // Adds the batch mean of h: harmless-looking, but sequences now influence each other.
    const mixing: CellDefinition = {
      ...vanillaCell,
      name: 'mixing',
      kernel: undefined,
      step: (ctx, x, [h]) => [tf.tanh(tf.add(tf.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.linear('weight_hh', h, 'bias_hh')), tf.mean(h, 0, true))) as tf.Tensor2D],
    };
    const report = runCellConformance(mixing, quick);
    expect(failedNames(report)).toEqual(['probe']);
    expect(report.failures[0].detail).toMatch(/cell "mixing": step mixes the rows of a batch: row 0 of state "h" differs by .* from the same row stepped alone/);
  });

  it('a cell with a wrong hand-written gradient fails finite differences (autodiff agrees with itself)', () => {
    // tanh whose backward pass is 10% too large: every autodiff-based check is self-consistent.
    const badTanh = tf.customGrad((a, save) => {
      const y = tf.tanh(a as tf.Tensor);
      save([y]);
      return { value: y, gradFunc: (dy, [saved]) => tf.mul(dy, tf.mul(1.1, tf.sub(1, tf.square(saved)))) };
    });
    const skewed: CellDefinition = {
      ...vanillaCell,
      name: 'skewed',
      kernel: undefined,
      step: (ctx, x, [h]) => [badTanh(tf.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.linear('weight_hh', h, 'bias_hh'))) as tf.Tensor2D],
    };
    const report = runCellConformance(skewed, quick);
    expect(failedNames(report)).toEqual(['finite-differences']);
    expect(report.failures[0].error).toBeGreaterThan(1e-2);
  });

  it('a fused kernel that disagrees with the step fails the kernel check', () => {
    const drifting: CellDefinition = { ...vanillaCell, name: 'drifting', kernel: (dims) => scaleGradients(new TfjsEngine(vanillaCell, dims), 1.001) };
    const report = runCellConformance(drifting, quick);
    expect(failedNames(report)).toEqual(['kernel']);
    expect(report.failures[0].detail).toMatch(/gradient of/);
  });

  it('rejects options under which a check would be vacuous', () => {
    expect(() => runCellConformance(vanillaCell, { seqLength: 5, k: 4 })).toThrow(/k = 4 drops nothing/);
    expect(() => runCellConformance(vanillaCell, { seeds: [] })).toThrow(/seeds is empty/);
    expect(() => runCellConformance(vanillaCell, { seed: [1] } as never)).toThrow(/runCellConformance: unknown option "seed"; known options: inputSize, .*seeds/);
  });
});

describe('the itemization checks fail on a corrupted engine', () => {
  const dims = { inputSize: 5, hiddenSize: 4 };
  const settings = { dims, seqLength: 7, batchSize: 2, k: 2, tolerance: 1e-5, finiteDifferenceTolerance: 1e-3, kernelTolerance: 1e-5 };
  const specs = modelParams(vanillaCell, dims);
  const context = (engine: GradientEngine): CheckContext => ({
    cell: vanillaCell,
    settings,
    engine,
    problem: randomProblem(vanillaCell, dims, settings.seqLength, settings.batchSize, 3, 1.5),
    seed: 3,
  });

  it('passes on the honest engine', () => {
    const ctx = context(new TfjsEngine(vanillaCell, dims));
    const data = computeSeedData(ctx);
    const t = truncatedItemization(ctx, 1);
    expect(truncationCheck(ctx, data, t, 1).passed).toBe(true);
    expect(residualCheck(ctx, data, t, specs, 1).passed).toBe(true);
    expect(reductionsCheck(ctx, data, specs, 1).passed).toBe(true);
  });

  it('truncation: a truncated record that keeps one distance too many', () => {
    const ctx = context(corruptItemization(new TfjsEngine(vanillaCell, dims), (req, p) => (req.k === null ? p : { ...p, byDistance: p.byDistance.map((row) => [...row, 0]) })));
    const data = computeSeedData(ctx);
    expect(truncationCheck(ctx, data, truncatedItemization(ctx, 0), 0).passed).toBe(false);
  });

  it('residual: a residual that is 1% off', () => {
    const ctx = context(corruptItemization(new TfjsEngine(vanillaCell, dims), (_req, p) => (p.residual ? { ...p, residual: p.residual.map((v) => v * 1.01) } : p)));
    const data = computeSeedData(ctx);
    const check = residualCheck(ctx, data, truncatedItemization(ctx, 0), specs, 0);
    expect(check.passed).toBe(false);
    expect(check.error).toBeCloseTo(0.01 / 1.0, 3);
  });

  it('reductions: meanAbs magnitudes that do not match the matrices', () => {
    const ctx = context(corruptItemization(new TfjsEngine(vanillaCell, dims), (req, p) => (req.reduction === 'meanAbs' ? { ...p, byDistance: p.byDistance.map((row) => row.map((v) => v * 1.001)) } : p)));
    const data = computeSeedData(ctx);
    const check = reductionsCheck(ctx, data, specs, 0);
    expect(check.passed).toBe(false);
    expect(check.detail).toMatch(/meanAbs/);
  });
});

/** An engine whose gradients are scaled: a stand-in for a subtly wrong fused kernel. */
function scaleGradients(engine: GradientEngine, factor: number): GradientEngine {
  return {
    name: `scaled(${engine.name})`,
    train: (params, batch, state, grads, itemize) => {
      const result = engine.train(params, batch, state, grads, itemize);
      for (const g of Object.values(grads)) for (let i = 0; i < g.data.length; i++) g.data[i] *= factor;
      return result;
    },
    evaluate: (...args) => engine.evaluate(...args),
    predict: (...args) => engine.predict(...args),
    dispose: () => engine.dispose(),
  };
}

/** An engine that rewrites every itemized parameter of its results. */
function corruptItemization(engine: GradientEngine, corrupt: (req: ItemizeRequest, p: ItemizedParam) => ItemizedParam): GradientEngine {
  return {
    name: `corrupt(${engine.name})`,
    train: (params, batch, state, grads, itemize) => {
      const result = engine.train(params, batch, state, grads, itemize);
      if (!result.itemized || !itemize) return result;
      const it: ItemizedSequence = { ...result.itemized, params: Object.fromEntries(Object.entries(result.itemized.params).map(([n, p]) => [n, corrupt(itemize, p)])) };
      return { ...result, itemized: it };
    },
    evaluate: (...args) => engine.evaluate(...args),
    predict: (...args) => engine.predict(...args),
    dispose: () => engine.dispose(),
  };
}
