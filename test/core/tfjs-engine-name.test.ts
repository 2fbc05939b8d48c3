import { describe, expect, it } from 'vitest';
import { vanillaCell } from '../../src/cells/vanilla.js';
import { TfjsEngine } from '../../src/core/engine/tfjs-engine.js';

describe('TfjsEngine.name', () => {
  it('names the backend it runs on even when it is the first thing to touch tfjs', () => {
    // No setupBackend in this file: the engine's own probe is what starts tfjs's default backend.
    const engine = new TfjsEngine(vanillaCell, { inputSize: 5, hiddenSize: 3, outputSize: 5 });
    expect(engine.name).toMatch(/^tfjs:(cpu|wasm|tensorflow)$/);
  });
});
