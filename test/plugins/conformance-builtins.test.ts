import { describe, expect, it } from 'vitest';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import { formatConformanceReport, runCellConformance } from '../../src/testing/index.js';

// The built-in cells run the same suite plugin cells do. Each has a fused kernel, so the suite also
// holds that kernel to the reference engine running the cell's step.
describe('runCellConformance on the built-in cells', () => {
  for (const cell of [vanillaCell, lstmCell, gruCell]) {
    it(`${cell.name} conforms (defaults: V=5, H=4, n=7, B=3, k=2, seeds 1-3)`, () => {
      const report = runCellConformance(cell);
      expect(report.passed, formatConformanceReport(report)).toBe(true);
      expect(report.checks.filter((c) => c.name === 'kernel')).toHaveLength(3);
    });

    it(`${cell.name} conforms at other sizes (V=9, H=7, n=10, B=2, k=4)`, () => {
      const report = runCellConformance(cell, { inputSize: 9, hiddenSize: 7, seqLength: 10, batchSize: 2, k: 4, seeds: [11, 12] });
      expect(report.passed, formatConformanceReport(report)).toBe(true);
    });
  }
});
