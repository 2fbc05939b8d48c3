#!/usr/bin/env python3
"""Keras baseline for `npm run bench`: a character model trained the way a Keras user would.

One recurrent layer (SimpleRNN, LSTM or GRU, H units) over one-hot inputs, a Dense output layer
over V tokens, softmax cross-entropy summed over the n steps and averaged over the B sequences,
Adagrad lr 0.1; one `tf.function` training step (GradientTape, apply_gradients) per batch of B
sequences of n steps, the final state carried into the next batch, on a random token stream:
the same loop as rnnbow's engine-level benchmark. The step is compiled with XLA
(`jit_compile=True`), which on CPU is 2-6x faster than the plain graph step at these sizes
(`--no-jit` measures the plain one).

Prints one JSON object:
  {"tensorflow": version, "keras": version, "jit_compile": bool, "threads": {...},
   "variants": {"rnn:1": {"chars_per_sec": median, "runs": [...]}, ...}}

Run it with the interpreter of a venv that has tensorflow-cpu (bench/keras-baseline.ts looks
for .venv/keras/bin/python): python bench/keras_baseline.py --runs 5 --seconds 1
"""
import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

LAYERS = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}


class Trainer:
    """One model, its optimizer, a random token stream cut into B streams, and the carried state."""

    def __init__(self, cell, V, H, B, n, jit=True, seed=1):
        self.V, self.B, self.n = V, B, n
        self.rnn = LAYERS[cell](H, return_sequences=True, return_state=True)
        self.head = keras.layers.Dense(V)
        self.opt = keras.optimizers.Adagrad(learning_rate=0.1)
        self.states = 2 if cell == "lstm" else 1
        x = tf.zeros((B, n, V))
        out = self.rnn(x)
        self.head(out[0])
        self.variables = self.rnn.trainable_variables + self.head.trainable_variables
        self.state = [tf.zeros((B, H)) for _ in range(self.states)]
        rng = np.random.default_rng(seed)
        self.tokens = rng.integers(0, V, size=1 << 20).astype(np.int32)
        self.span = len(self.tokens) // B
        self.pos = 0
        self.step_fn = tf.function(self._step, jit_compile=jit)

    def _step(self, xs, ys, state):
        with tf.GradientTape() as tape:
            out = self.rnn(tf.one_hot(xs, self.V), initial_state=state)
            logits = self.head(out[0])
            per_step = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=ys, logits=logits)
            loss = tf.reduce_sum(per_step) / self.B
        grads = tape.gradient(loss, self.variables)
        self.opt.apply_gradients(zip(grads, self.variables))
        return loss, out[1:]

    def batch(self):
        if self.pos + self.n + 1 > self.span:
            self.pos = 0
        starts = np.arange(self.B) * self.span + self.pos
        idx = starts[:, None] + np.arange(self.n + 1)[None, :]
        seq = self.tokens[idx]
        self.pos += self.n
        return tf.constant(seq[:, :-1]), tf.constant(seq[:, 1:])

    def run(self, batches):
        """Trains `batches` batches; chars/s (B·n per batch)."""
        data = [self.batch() for _ in range(batches)]
        t0 = time.perf_counter()
        for xs, ys in data:
            loss, state = self.step_fn(xs, ys, self.state)
            self.state = list(state)
        float(loss)  # wait for the last step
        return batches * self.B * self.n / (time.perf_counter() - t0)


def measure(cell, B, V, H, n, runs, seconds, jit):
    t = Trainer(cell, V, H, B, n, jit)
    t.run(3)  # trace and warm up
    batches = 4
    while True:
        rate = t.run(batches)
        spent = batches * B * n / rate
        if spent >= seconds / 4:
            batches = max(1, round(batches * seconds / spent))
            break
        batches *= 2
    rates = [t.run(batches) for _ in range(runs)]
    return {"chars_per_sec": float(np.median(rates)), "runs": rates}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=1.0)
    ap.add_argument("--cells", default="rnn,lstm,gru")
    ap.add_argument("--batch-sizes", default="1,32")
    ap.add_argument("-V", type=int, default=100)
    ap.add_argument("-H", type=int, default=100)
    ap.add_argument("-n", type=int, default=25)
    ap.add_argument("--no-jit", action="store_true", help="plain tf.function step, without XLA")
    a = ap.parse_args()
    variants = {}
    for cell in a.cells.split(","):
        for B in (int(b) for b in a.batch_sizes.split(",")):
            variants[f"{cell}:{B}"] = measure(cell, B, a.V, a.H, a.n, a.runs, a.seconds, not a.no_jit)
    threads = {
        "intra_op": tf.config.threading.get_intra_op_parallelism_threads(),
        "inter_op": tf.config.threading.get_inter_op_parallelism_threads(),
    }
    print(json.dumps({"tensorflow": tf.__version__, "keras": keras.__version__, "jit_compile": not a.no_jit, "threads": threads, "variants": variants}))


if __name__ == "__main__":
    main()
