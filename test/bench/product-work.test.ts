import { describe, expect, it } from 'vitest';
// The compiled bench and cells (`npm test` builds first): one copy of the engine classes, as the bench runs it.
import { FULL_EVERY_BATCH } from '../../dist/bench/engine-loop.js';
import { productMultiplyAdds } from '../../dist/bench/product-work.js';
import { gruCell } from '../../dist/src/cells/gru.js';
import { lstmCell } from '../../dist/src/cells/lstm.js';
import { vanillaCell } from '../../dist/src/cells/vanilla.js';

/**
 * The multiply-adds a vanilla batch needs, from the algorithm (sizes chosen off the kernels'
 * multiples of 4, so padding would show): the forward W_hh product every step, the head's
 * logits, dL/dh and dW_out over all n steps, and dW_hh over all n steps; plain BPTT steps one
 * cotangent row back through W_hh at steps n-1 .. 1, the full itemization one row per loss
 * source t ≥ j at each step j ≥ 1 (n(n-1)/2 rows).
 */
function vanillaMultiplyAdds(V: number, H: number, n: number, itemized: boolean): number {
  const forwardAndHead = n * H * H + 3 * n * V * H + n * H * H;
  return forwardAndHead + (itemized ? (n * (n - 1)) / 2 : n - 1) * H * H;
}

describe('bench: matrix-product work of a batch', () => {
  it("counts every product's multiply-adds of a plain and a fully itemized vanilla batch", () => {
    const [V, H, n] = [7, 5, 6];
    const dims = { inputSize: V, hiddenSize: H };
    expect(productMultiplyAdds(vanillaCell, dims, 1, n)).toBe(vanillaMultiplyAdds(V, H, n, false));
    expect(productMultiplyAdds(vanillaCell, dims, 1, n, FULL_EVERY_BATCH)).toBe(vanillaMultiplyAdds(V, H, n, true));
    // B sequences: the same products with B times the rows.
    expect(productMultiplyAdds(vanillaCell, dims, 3, n)).toBe(3 * vanillaMultiplyAdds(V, H, n, false));
  });

  it('grows with the gated cells’ gates: the itemizer’s rows carry them all', () => {
    const dims = { inputSize: 7, hiddenSize: 5 };
    const ratio = (cell: typeof vanillaCell) => productMultiplyAdds(cell, dims, 1, 6, FULL_EVERY_BATCH) / productMultiplyAdds(cell, dims, 1, 6);
    // Four gates' rows per step for the LSTM against one for the vanilla cell, over the same head.
    expect(ratio(lstmCell)).toBeGreaterThan(ratio(vanillaCell));
    expect(ratio(gruCell)).toBeGreaterThan(ratio(vanillaCell));
  });
});
