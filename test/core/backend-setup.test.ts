import { describe, expect, it } from 'vitest';
import { setupBackend } from '../../src/core/backend.js';

// Its own file: a test file runs in its own process, so the WASM backend is set up here first.
describe('setting up the WASM backend', () => {
  it('serves two runs that ask at once, and leaves the host\'s error handling alone', async () => {
    const handlers = () => [process.listeners('uncaughtException').length, process.listeners('unhandledRejection').length];
    const before = handlers();
    const results = await Promise.allSettled([setupBackend('wasm'), setupBackend('wasm')]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'wasm' },
      { status: 'fulfilled', value: 'wasm' },
    ]);
    // emscripten adds handlers that exit the process with code 7 on any later error of the host.
    expect(handlers()).toEqual(before);
  });
});
