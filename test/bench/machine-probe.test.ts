import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The compiled probe: it runs a worker thread on its own module and loads dist/bench/machine-probe.wasm beside it. */
const PROBE = pathToFileURL(path.resolve('dist/bench/machine-probe.js')).href;

describe('bench machine probe', () => {
  it('measures the multiply-add peak, two-thread scaling and the spread of a matrix product, and prints them', async () => {
    const { probeMachine, machineRows } = (await import(PROBE)) as typeof import('../../bench/machine-probe.js');
    const p = await probeMachine(0.2);
    if (typeof p === 'string') throw new Error(p);
    expect(p.peakGflops).toBeGreaterThan(0.1);
    expect(p.twoThreadScaling).toBeGreaterThan(0);
    expect(p.peakSpread).toBeGreaterThanOrEqual(1);
    expect(p.product.min).toBeGreaterThan(0);
    expect(p.product.min).toBeLessThanOrEqual(p.product.median);
    expect(p.product.median).toBeLessThanOrEqual(p.product.max);
    const rows = machineRows(p);
    expect(rows).toHaveLength(2);
    expect(rows[0].value).toBe(`${p.peakGflops.toFixed(1)} GFLOP/s`);
    expect(rows[0].compare).toContain(`${p.twoThreadScaling.toFixed(2)}x one`);
    expect(rows[1].compare).toContain(`${(p.product.max / p.product.min).toFixed(2)}x apart`);
  });

  it('says why in one row when it cannot run', async () => {
    const { machineRows } = (await import(PROBE)) as typeof import('../../bench/machine-probe.js');
    expect(machineRows('machine probe unavailable: no relaxed SIMD')).toEqual([
      { measure: 'machine probe', engine: '-', value: 'skipped', compare: 'machine probe unavailable: no relaxed SIMD' },
    ]);
  });
});
