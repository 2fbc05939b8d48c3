import { describe, expect, it } from 'vitest';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import { lstmCell } from '../../src/cells/lstm.js';
import { gruCell } from '../../src/cells/gru.js';
import { zerosLike } from '../../src/core/params.js';
import { randomProblem, relativeError } from '../helpers/random-model.js';

describe('scratch', () => {
  for (const cell of [vanillaCell, lstmCell, gruCell])
  it('itemized sum equals autodiff ' + cell.name, () => {
    const dims = { inputSize: 7, hiddenSize: 5 };
    const { params, batch, state } = randomProblem(cell, dims, 6, 1, 1, 1);
    const engine = new TfjsEngine(cell, dims);
    const grads = zerosLike(params);
    const res = engine.train(params, batch, state, grads, { sequence: 0, k: 2, reduction: 'l2', residual: true });
    for (const name of Object.keys(params)) {
      const e = relativeError(res.itemized!.gradient[name].data, grads[name].data);
      expect(e).toBeLessThan(1e-5);
    }
    console.log(Object.keys(res.itemized!.params.weight_hh.gates ?? {}));
  });
});
