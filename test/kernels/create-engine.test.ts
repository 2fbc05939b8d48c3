import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import { createEngine, createEngineWithBackend } from '../../src/core/engine/create-engine.js';
import { ConfigError } from '../../src/core/errors.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import { fusedRnn } from '../../src/core/engine/fused/rnn-cell.js';
import { FMA_ENV } from '../../src/core/engine/fused/wasm-ops.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';

const dims = { inputSize: 7, hiddenSize: 5 };

/** A cell without a fused kernel, as a plugin would write it. */
const pluginCell: CellDefinition = {
  name: 'plain-tanh',
  description: 'test cell without a kernel',
  state: ['h'],
  params: ({ inputSize, hiddenSize }) => [
    { name: 'weight_ih', shape: [hiddenSize, inputSize] },
    { name: 'weight_hh', shape: [hiddenSize, hiddenSize] },
  ],
  step: (ctx, x, [h]) => [tf.tanh(tf.add(ctx.linear('weight_ih', x), ctx.linear('weight_hh', h))) as tf.Tensor2D],
};

describe('createEngine', () => {
  it('picks the fused engine, on the WebAssembly FMA kernels, for the built-in cells by default', () => {
    // Node 20 needs the relaxed-SIMD flag the loader turns on; later Node versions accept the module as is.
    for (const cell of [vanillaCell, lstmCell, gruCell]) {
      const engine = createEngine(cell, dims, 'auto');
      expect(engine).toBeInstanceOf(FusedEngine);
      expect(engine.name).toBe('fused:wasm-fma');
      expect(createEngine(cell, dims, 'fused')).toBeInstanceOf(FusedEngine);
    }
  });

  it('picks the tfjs reference engine when asked, or by default when the cell has no kernel', () => {
    expect(createEngine(vanillaCell, dims, 'tfjs')).toBeInstanceOf(TfjsEngine);
    expect(createEngine(pluginCell, dims, 'auto')).toBeInstanceOf(TfjsEngine);
    expect(createEngine(vanillaCell, dims, 'tfjs').name).toMatch(/^tfjs:/);
  });

  it('refuses fused for a cell without a kernel, instead of running it a hundred times slower than asked', async () => {
    expect(() => createEngine(pluginCell, dims, 'fused')).toThrow(ConfigError);
    expect(() => createEngine(pluginCell, dims, 'fused')).toThrow('engine "fused": the plain-tanh cell has no fused kernel');
    await expect(createEngineWithBackend(pluginCell, dims, 'fused')).rejects.toThrow(ConfigError);
  });

  it('refuses a model too large for WebAssembly memory in one line, instead of a RangeError', () => {
    // W_hh alone is 40000² floats, 6 GiB: past the 4 GiB a WebAssembly memory can hold.
    expect(() => createEngine(vanillaCell, { inputSize: 10, hiddenSize: 40_000 })).toThrow(
      /^the fused kernels need [\d,]+ MiB of WebAssembly memory for this model and batch, more than this runtime gives \(at most 4 GiB\)$/,
    );
  });

  it('names the kernels that were chosen', () => {
    expect(new FusedEngine(fusedRnn, dims, { backend: 'js' }).name).toBe('fused:js');
    expect(new FusedEngine(fusedRnn, dims, { backend: 'wasm-simd' }).name).toBe('fused:wasm-simd');
    expect(new FusedEngine(fusedRnn, dims, { backend: 'wasm-fma' }).name).toBe('fused:wasm-fma');
  });

  it(`keeps to plain SIMD when ${FMA_ENV}=0`, () => {
    // A fresh process: the choice is made once per process, on the first engine.
    const script = `import('${pathToFileURL(join(process.cwd(), 'dist/src/core/engine/fused/select-ops.js')).href}').then((m) => console.log(m.selectOps('auto').kind))`;
    const run = (env: Record<string, string>) =>
      execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' }).trim();
    expect(run({ [FMA_ENV]: '0' })).toBe('wasm-simd');
    expect(run({ [FMA_ENV]: '1' })).toBe('wasm-fma');
  });
});
