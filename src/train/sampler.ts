import type { GradientEngine, State } from '../core/engine.js';
import type { ParamStore } from '../core/params.js';
import type { SeededRandom } from '../core/random.js';

/**
 * Generates `length` tokens from the model, starting from `seed` with a fresh zero state, drawing
 * each next token from the softmax (the paper's Figure 4 samples).
 */
export function sampleTokens(
  engine: GradientEngine,
  params: ParamStore,
  zeroState: State,
  seed: number,
  length: number,
  rng: SeededRandom,
): number[] {
  let state: State = zeroState.map((s) => new Float32Array(s.length));
  let token = seed;
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const step = engine.predict(params, Int32Array.of(token), state);
    state = step.state;
    token = rng.categorical(step.probs);
    out.push(token);
  }
  return out;
}
