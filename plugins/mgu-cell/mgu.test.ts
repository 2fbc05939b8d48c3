import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import type { ParamStore } from '../../src/core/params.js';
import { randomProblem } from '../../src/testing/problem.js';
import { formatConformanceReport, runCellConformance } from '../../src/testing/index.js';
import { requireBuild, runCli, runScript, tempDir, writeCorpus } from '../../test/plugins/helpers/repo.js';
import { mguCell } from './mgu.js';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Per-step losses of one sequence, in float64, straight from the MGU equations of mgu.js (no tfjs). */
function mguLosses(params: ParamStore, inputs: ArrayLike<number>, targets: ArrayLike<number>, h0: ArrayLike<number>): number[] {
  const [H2, V] = params.weight_ih.shape;
  const H = H2 / 2;
  const W = params.weight_ih.data;
  const b = params.bias_ih.data;
  const Uf = params.weight_hf.data;
  const Un = params.weight_hh.data;
  const Wo = params['out.weight'].data;
  const bo = params['out.bias'].data;
  let h = Array.from(h0);
  const losses: number[] = [];
  for (let j = 0; j < inputs.length; j++) {
    const x = inputs[j];
    const f = Array.from({ length: H }, (_, i) => {
      let a = W[i * V + x] + b[i];
      for (let c = 0; c < H; c++) a += Uf[i * H + c] * h[c];
      return sigmoid(a);
    });
    const fh = h.map((v, c) => f[c] * v);
    const n = Array.from({ length: H }, (_, i) => {
      let a = W[(H + i) * V + x] + b[H + i];
      for (let c = 0; c < H; c++) a += Un[i * H + c] * fh[c];
      return Math.tanh(a);
    });
    h = h.map((v, i) => (1 - f[i]) * v + f[i] * n[i]);
    const logits = Array.from({ length: V }, (_, v) => bo[v] + h.reduce((s, hv, i) => s + Wo[v * H + i] * hv, 0));
    const max = Math.max(...logits);
    const logZ = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
    losses.push(logZ - logits[targets[j]]);
  }
  return losses;
}

describe('mgu-cell plugin', () => {
  it('computes the Minimal Gated Unit of its documentation (float64 reference, no tfjs)', () => {
    const dims = { inputSize: 6, hiddenSize: 5 };
    const n = 9;
    const { params, batch, state } = randomProblem(mguCell, dims, n, 2, 21, 1.5);
    const losses = new TfjsEngine(mguCell, dims).evaluate(params, batch, state).losses;
    for (let b = 0; b < 2; b++) {
      const expected = mguLosses(params, batch.inputs.subarray(b * n, (b + 1) * n), batch.targets.subarray(b * n, (b + 1) * n), state[0].subarray(b * 5, (b + 1) * 5));
      expected.forEach((l, j) => expect(losses[b * n + j]).toBeCloseTo(l, 5));
    }
  });

  it('passes the conformance suite', () => {
    const report = runCellConformance(mguCell);
    expect(report.passed, formatConformanceReport(report)).toBe(true);
    // No fused kernel: nothing to compare it with.
    expect(report.checks.some((c) => c.name === 'kernel')).toBe(false);
  });

  it('loaded as a user loads it (createRegistry from the package), passes the conformance suite', () => {
    requireBuild();
    const report = runScript<{ passed: boolean; checks: number; names: string[]; text: string }>(`
      import { createRegistry, runCellConformance, formatConformanceReport } from 'rnnbow';
      const registry = await createRegistry(['./plugins/mgu-cell']);
      const report = runCellConformance(registry.cell('mgu'), { seeds: [5, 6] });
      console.log(JSON.stringify({ passed: report.passed, checks: report.checks.length, names: registry.names('cell'), text: formatConformanceReport(report) }));
    `);
    expect(report.passed, report.text).toBe(true);
    expect(report.checks).toBe(1 + 2 * 7);
    expect(report.names).toEqual(['gru', 'lstm', 'mgu', 'rnn']);
  });

  it('trains and itemizes through the CLI with --plugin', () => {
    requireBuild();
    const dir = tempDir('mgu');
    const corpus = writeCorpus(dir);
    const plugin = ['--plugin', './plugins/mgu-cell'];
    const trained = runCli(['train', ...plugin, '--cell', 'mgu', '--hidden', '8', '--steps', '4', '--recorder', 'full', '--every', '2', '--corpus', corpus, '--logdir', dir, '--run-name', 'mgu', '--export', 'json']);
    expect(trained.status, trained.stderr).toBe(0);
    const out = `${dir}/itemized.json`;
    const itemized = runCli(['itemize', ...plugin, '--checkpoint', `${dir}/mgu/checkpoint.json`, '--text', 'int x = 1;', '--out', out]);
    expect(itemized.status, itemized.stderr).toBe(0);
    expect(itemized.stdout).toMatch(/itemized 9 steps of a "mgu" model/);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(Object.keys(json.itemized).sort()).toEqual(['bias_ih', 'weight_hf', 'weight_hh', 'weight_ih']);
    expect(Object.keys(json.gates.weight_ih)).toEqual(['f', 'n']);
    expect(json.itemized.weight_hh).toHaveLength(9);
    rmSync(dir, { recursive: true, force: true });
  });
});
