import type { Batch } from '../../src/core/engine.js';
import type { ParamStore } from '../../src/core/params.js';

/**
 * An independent float64 implementation of the vanilla cell written straight from DESIGN.md's
 * closed form, sharing no code with the engines: forward, loss, and the δ recursion
 * δ_{t,t} = (1 - h_t²) ⊙ Vᵀ(p_t - y_t), δ_{t,j} = (1 - h_j²) ⊙ Wᵀ δ_{t,j+1}.
 */
export function vanillaReference(params: ParamStore, batch: Batch, h0: ArrayLike<number>, seq = 0) {
  const n = batch.length;
  const Wih = params.weight_ih.data;
  const Whh = params.weight_hh.data;
  const bih = params.bias_ih.data;
  const bhh = params.bias_hh.data;
  const Wo = params['out.weight'].data;
  const bo = params['out.bias'].data;
  const [H, V] = params.weight_ih.shape;
  const x = Array.from(batch.inputs.subarray(seq * n, (seq + 1) * n));
  const y = Array.from(batch.targets.subarray(seq * n, (seq + 1) * n));
  const hs: number[][] = [Array.from(h0)];
  const ps: number[][] = [];
  let loss = 0;
  const losses: number[] = [];
  for (let j = 0; j < n; j++) {
    const prev = hs[j];
    const h = new Array<number>(H);
    for (let i = 0; i < H; i++) {
      let a = Wih[i * V + x[j]] + bih[i] + bhh[i];
      for (let c = 0; c < H; c++) a += Whh[i * H + c] * prev[c];
      h[i] = Math.tanh(a);
    }
    hs.push(h);
    const logits = new Array<number>(V);
    let max = -Infinity;
    for (let v = 0; v < V; v++) {
      let s = bo[v];
      for (let i = 0; i < H; i++) s += Wo[v * H + i] * h[i];
      logits[v] = s;
      max = Math.max(max, s);
    }
    let z = 0;
    for (let v = 0; v < V; v++) z += Math.exp(logits[v] - max);
    const p = logits.map((l) => Math.exp(l - max) / z);
    ps.push(p);
    losses.push(-Math.log(p[y[j]]));
    loss += losses[j];
  }
  /** δ_{t,j} for all j <= t. */
  const delta = (t: number): number[][] => {
    const out: number[][] = new Array(t + 1);
    const h = hs[t + 1];
    const dy = ps[t].map((p, v) => p - (v === y[t] ? 1 : 0));
    out[t] = h.map((hi, i) => {
      let s = 0;
      for (let v = 0; v < V; v++) s += Wo[v * H + i] * dy[v];
      return (1 - hi * hi) * s;
    });
    for (let j = t - 1; j >= 0; j--) {
      const hj = hs[j + 1];
      out[j] = hj.map((hi, i) => {
        let s = 0;
        for (let r = 0; r < H; r++) s += Whh[r * H + i] * out[j + 1][r];
        return (1 - hi * hi) * s;
      });
    }
    return out;
  };
  return { hs, ps, loss, losses, delta, x };
}

/** Float64 loss of one sequence (for finite differences). */
export function vanillaLoss(params: ParamStore, batch: Batch, h0: ArrayLike<number>, seq = 0): number {
  return vanillaReference(params, batch, h0, seq).loss;
}
