import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { vanillaCell } from '../../src/cells/vanilla.js';
import { createRegistry } from '../../src/builtins.js';
import type { CellDefinition } from '../../src/core/cell.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { definePlugin } from '../../src/core/plugin.js';
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

  it("sets up a tfjs backend for a plugin cell's own kernel, which may use tfjs ops", async () => {
    const { kernel: _fused, ...reference } = vanillaCell;
    const cell: CellDefinition = { ...reference, name: 'own-kernel', kernel: (dims) => new TfjsEngine(reference, dims) };
    const registry = await createRegistry();
    registry.register(definePlugin({ name: 'own-kernel', cells: [cell] }));
    const said: string[] = [];
    const run = readJsonRun((await train({ ...base, runName: 'own-kernel', cell: 'own-kernel' }, { registry, onMessage: (line) => said.push(line) })).runDir);
    expect(run.run.engine).toBe('tfjs:cpu (tfjs backend cpu)');
    // Named as the cell's own kernel, not as rnnbow's reference engine, though it runs on tfjs.
    expect(said[0]).toMatch(/^training own-kernel \(.*\) on tfjs:cpu — the own-kernel cell's own kernel$/);
  });
});
