import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

const require = createRequire(import.meta.url);
/** Whether `@tensorflow/tfjs` has been loaded in this process (test files run in their own). */
const tfjsLoaded = () => require.cache[require.resolve('@tensorflow/tfjs')] !== undefined;

const dir = tempDir();
const base = { ...smallRunConfig(dir), steps: 3 };

// One test, in order: once tfjs is loaded it stays loaded.
describe('tfjs is loaded only when the reference engine runs', () => {
  it('a built-in cell trains on the fused kernels without it; --engine tfjs loads it and names its backend', async () => {
    expect(tfjsLoaded()).toBe(false);
    const fused = readJsonRun((await train({ ...base, runName: 'fused' })).runDir);
    expect(tfjsLoaded()).toBe(false);
    expect(fused.run.engine).toMatch(/^fused:(wasm-fma|wasm-simd|js)$/);
    const reference = readJsonRun((await train({ ...base, runName: 'reference', engine: 'tfjs' })).runDir);
    expect(tfjsLoaded()).toBe(true);
    expect(reference.run.engine).toBe('tfjs:cpu (tfjs backend cpu)');
    // The fused engine's slots name the same itemized parameters as probing the cell's tfjs step.
    expect(fused.run.itemizedParams).toEqual(reference.run.itemizedParams);
    expect(fused.run.itemizedParams.map((p) => p.name)).toEqual(['weight_ih', 'bias_ih', 'weight_hh', 'bias_hh']);
  });
});
