#!/usr/bin/env python3
"""numpy baseline for `npm run bench`: a min-char-rnn style vanilla RNN trainer.

Three variants of the same model (tanh RNN, H hidden units, softmax over V tokens, truncated
BPTT over n steps, Adagrad lr 0.1, float64 as numpy defaults to), timed on a random token
stream exactly like rnnbow's engine-level benchmark:

  step      one step at a time, as min-char-rnn writes it (one-hot products, per-step output layer)
  batched   input columns gathered, the output layer and its gradients batched over the n steps
  itemized  `batched` plus full itemized gradient magnitudes (l2 of dL_t/dW_hh at every step j,
            for every t >= j) on every batch, by the batched cotangent-row recursion

Prints one JSON object: {"numpy": version, "variants": {name: {"chars_per_sec": median, "runs": [...]}}}.
"""
import argparse
import json
import time

import numpy as np


def make_model(rng, V, H):
    bound = 1.0 / np.sqrt(H)
    return {
        "Wxh": rng.uniform(-bound, bound, (H, V)),
        "Whh": rng.uniform(-bound, bound, (H, H)),
        "bh": rng.uniform(-bound, bound, (H,)),
        "Why": rng.uniform(-bound, bound, (V, H)),
        "by": rng.uniform(-bound, bound, (V,)),
    }


def step_variant(p, xs, ys, hprev):
    """min-char-rnn's loss function: everything one step at a time."""
    V, H = p["Why"].shape
    hs, ps = {-1: hprev}, {}
    loss = 0.0
    for t in range(len(xs)):
        x = np.zeros(V)
        x[xs[t]] = 1.0
        hs[t] = np.tanh(p["Wxh"] @ x + p["Whh"] @ hs[t - 1] + p["bh"])
        y = p["Why"] @ hs[t] + p["by"]
        e = np.exp(y - y.max())
        ps[t] = e / e.sum()
        loss -= np.log(ps[t][ys[t]])
    g = {k: np.zeros_like(v) for k, v in p.items()}
    dhnext = np.zeros(H)
    for t in reversed(range(len(xs))):
        dy = ps[t].copy()
        dy[ys[t]] -= 1.0
        g["Why"] += np.outer(dy, hs[t])
        g["by"] += dy
        dh = p["Why"].T @ dy + dhnext
        draw = (1.0 - hs[t] * hs[t]) * dh
        x = np.zeros(V)
        x[xs[t]] = 1.0
        g["Wxh"] += np.outer(draw, x)
        g["Whh"] += np.outer(draw, hs[t - 1])
        g["bh"] += draw
        dhnext = p["Whh"].T @ draw
    return loss, g, hs[len(xs) - 1]


def batched_forward_backward(p, xs, ys, hprev, itemize):
    n = len(xs)
    H = hprev.shape[0]
    Hs = np.empty((n + 1, H))
    Hs[0] = hprev
    Xcols = p["Wxh"][:, xs].T + p["bh"]  # [n, H]: gathered input columns
    for t in range(n):
        Hs[t + 1] = np.tanh(Xcols[t] + p["Whh"] @ Hs[t])
    Y = Hs[1:] @ p["Why"].T + p["by"]
    Y -= Y.max(axis=1, keepdims=True)
    P = np.exp(Y)
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.log(P[np.arange(n), ys]).sum()
    dY = P
    dY[np.arange(n), ys] -= 1.0
    g = {"Why": dY.T @ Hs[1:], "by": dY.sum(axis=0)}
    dH = dY @ p["Why"]  # [n, H]: every step's head cotangent at once
    Draw = np.empty((n, H))
    dhnext = np.zeros(H)
    for t in reversed(range(n)):
        Draw[t] = (1.0 - Hs[t + 1] ** 2) * (dH[t] + dhnext)
        dhnext = p["Whh"].T @ Draw[t]
    g["Whh"] = Draw.T @ Hs[:-1]
    g["bh"] = Draw.sum(axis=0)
    X = np.zeros((n, p["Wxh"].shape[1]))
    X[np.arange(n), xs] = 1.0
    g["Wxh"] = Draw.T @ X  # one small product beats np.add.at's scatter
    if itemize:
        # Rows t = j..n-1 of dL_t/dh_j, stepped back together; magnitude ||delta|| * ||h_{j-1}||.
        mags = np.zeros((n, n))
        rows = np.empty((0, H))
        for j in reversed(range(n)):
            rows = np.vstack([dH[j][None, :], rows])
            delta = rows * (1.0 - Hs[j + 1] ** 2)
            mags[j:, j] = np.linalg.norm(delta, axis=1) * np.linalg.norm(Hs[j])
            rows = delta @ p["Whh"]
    return loss, g, Hs[n]


def adagrad(p, g, mem, lr):
    for k in p:
        mem[k] += g[k] * g[k]
        p[k] -= lr * g[k] / np.sqrt(mem[k] + 1e-8)


def run(variant, V, H, n, chars, seed):
    rng = np.random.default_rng(seed)
    data = rng.integers(0, V, size=chars + n + 1)
    p = make_model(rng, V, H)
    mem = {k: np.zeros_like(v) for k, v in p.items()}
    h = np.zeros(H)
    batches = chars // n
    t0 = time.perf_counter()
    for b in range(batches):
        xs = data[b * n:(b + 1) * n]
        ys = data[b * n + 1:(b + 1) * n + 1]
        if variant == "step":
            _, g, h = step_variant(p, xs, ys, h)
        else:
            _, g, h = batched_forward_backward(p, xs, ys, h, variant == "itemized")
        adagrad(p, g, mem, 0.1)
    return batches * n / (time.perf_counter() - t0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vocab", type=int, default=100)
    ap.add_argument("--hidden", type=int, default=100)
    ap.add_argument("--length", type=int, default=25)
    ap.add_argument("--chars", type=int, default=50000, help="characters per timed run")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--variants", default="step,batched,itemized")
    a = ap.parse_args()
    out = {"numpy": np.__version__, "variants": {}}
    for variant in a.variants.split(","):
        run(variant, a.vocab, a.hidden, a.length, a.length * 40, 0)  # warm-up
        chars = a.chars // 3 if variant == "step" else a.chars
        runs = [run(variant, a.vocab, a.hidden, a.length, chars, r + 1) for r in range(a.runs)]
        out["variants"][variant] = {"chars_per_sec": float(np.median(runs)), "runs": runs}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
