import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { vanillaCell } from '../../src/cells/vanilla.js';
import { hasTfjsNode, setupBackend } from '../../src/core/backend.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { zerosLike } from '../../src/core/params.js';
import { randomProblem, relativeError } from '../helpers/random-model.js';

describe('tfjs backends', () => {
  it('auto picks tfjs-node when installed, else wasm', async () => {
    expect(await setupBackend('auto')).toBe(hasTfjsNode() ? 'tensorflow' : 'wasm');
  });

  it('cpu and wasm compute the same gradients', async () => {
    const dims = { inputSize: 6, hiddenSize: 5 };
    const { params, batch, state } = randomProblem(vanillaCell, dims, 6, 2, 4, 1);
    const results = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await setupBackend(backend);
      expect(tf.getBackend()).toBe(backend);
      const grads = zerosLike(params);
      new TfjsEngine(vanillaCell, dims).train(params, batch, state, grads);
      results.push(grads);
    }
    for (const name of Object.keys(params)) expect(relativeError(results[0][name].data, results[1][name].data)).toBeLessThan(1e-5);
    await setupBackend('cpu');
  });
});
