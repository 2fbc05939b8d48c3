import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { gruCell } from '../../src/cells/gru.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import type { CellDefinition } from '../../src/core/cell.js';
import { createEngine } from '../../src/core/engine/create-engine.js';
import { FusedEngine } from '../../src/core/engine/fused/fused-engine.js';
import { fusedRnn } from '../../src/core/engine/fused/rnn-cell.js';
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
  it('picks the fused engine, on WebAssembly SIMD, for the built-in cells by default', () => {
    for (const cell of [vanillaCell, lstmCell, gruCell]) {
      const engine = createEngine(cell, dims, 'auto');
      expect(engine).toBeInstanceOf(FusedEngine);
      expect(engine.name).toBe('fused:wasm-simd');
      expect(createEngine(cell, dims, 'fused')).toBeInstanceOf(FusedEngine);
    }
  });

  it('picks the tfjs reference engine when asked, or when the cell has no kernel', () => {
    expect(createEngine(vanillaCell, dims, 'tfjs')).toBeInstanceOf(TfjsEngine);
    expect(createEngine(pluginCell, dims, 'auto')).toBeInstanceOf(TfjsEngine);
    expect(createEngine(pluginCell, dims, 'fused')).toBeInstanceOf(TfjsEngine);
    expect(createEngine(vanillaCell, dims, 'tfjs').name).toMatch(/^tfjs:/);
  });

  it('names the JavaScript kernels when they are chosen', () => {
    expect(new FusedEngine(fusedRnn, dims, { backend: 'js' }).name).toBe('fused:js');
  });
});
