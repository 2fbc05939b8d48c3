import { createRequire } from 'node:module';
import path from 'node:path';
import { tfjs } from './tfjs.js';
import { RnnbowError } from './errors.js';

/**
 * A tfjs backend choice. `auto` = tfjs-node(-gpu) if installed, else WASM, the fastest one the npm packages ship.
 *
 * @category Gradient engine
 */
export type BackendName = 'auto' | 'cpu' | 'wasm' | 'tensorflow';

/** Backends in `--help` order. */
export const BACKENDS: readonly BackendName[] = ['auto', 'cpu', 'wasm', 'tensorflow'];

const require = createRequire(import.meta.url);

/** Native TensorFlow bindings in order of preference; both register the `tensorflow` backend. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

function installedNativePackage(): string | undefined {
  return NATIVE_PACKAGES.find((name) => {
    try {
      require.resolve(name);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * True when `@tensorflow/tfjs-node` (or `-gpu`) can be loaded here.
 *
 * @category Gradient engine
 */
export function hasTfjsNode(): boolean {
  return installedNativePackage() !== undefined;
}

async function loadTfjsNode(): Promise<void> {
  try {
    // Optional dependency: registers the 'tensorflow' backend with the shared tfjs engine.
    await import(installedNativePackage() ?? '@tensorflow/tfjs-node');
  } catch (err) {
    throw new RnnbowError(
      'BACKEND',
      `backend "tensorflow" needs @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu), which could not be loaded (${(err as Error).message.split('\n')[0]})`,
      'npm install @tensorflow/tfjs-node, or @tensorflow/tfjs-node-gpu with CUDA (each needs internet to download libtensorflow), or use --backend wasm',
    );
  }
}

async function loadWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(dir + path.sep);
}

/** The backend being set up or set up last, so that concurrent callers share one initialisation. */
let active: { name: string; ready: Promise<string> } | undefined;

/**
 * Selects and initialises the tfjs backend used by the reference engine. Returns the backend's
 * name (`tensorflow`, `wasm` or `cpu`). Safe to call more than once, also concurrently (two runs
 * started together): a second call for the same backend waits for the first one's setup.
 *
 * @category Gradient engine
 */
export function setupBackend(choice: BackendName = 'auto'): Promise<string> {
  const wanted = choice === 'auto' ? (hasTfjsNode() ? 'tensorflow' : 'wasm') : choice;
  if (active?.name === wanted) return active.ready;
  const ready = initialise(wanted);
  active = { name: wanted, ready };
  // A failed setup is not remembered: the next call tries again (and reports its own failure).
  ready.catch(() => {
    if (active?.ready === ready) active = undefined;
  });
  return ready;
}

async function initialise(wanted: string): Promise<string> {
  const listeners = processListeners();
  try {
    if (wanted === 'tensorflow') await loadTfjsNode();
    if (wanted === 'wasm') await loadWasm();
    const ok = await tfjs.setBackend(wanted);
    if (!ok) throw new RnnbowError('BACKEND', `tfjs backend "${wanted}" failed to initialise`, 'try --backend cpu');
    await tfjs.ready();
    return wanted;
  } finally {
    restoreProcessListeners(listeners);
  }
}

/** The process-wide handlers a backend may add, as they are before it loads. */
const GLOBAL_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/** `process` as the plain emitter it is, so that its listeners can be listed by any event name. */
const emitter = process as unknown as NodeJS.EventEmitter;

function processListeners(): Map<string, Function[]> {
  return new Map(GLOBAL_EVENTS.map((e) => [e, emitter.listeners(e)]));
}

/**
 * The WASM backend's emscripten runtime installs `uncaughtException` and `unhandledRejection`
 * handlers that exit the process (code 7) on any later error of the host program, with its own
 * stack. A library must not take over its host's error handling: they are removed again.
 */
function restoreProcessListeners(before: Map<string, Function[]>): void {
  for (const event of GLOBAL_EVENTS) {
    const had = new Set(before.get(event));
    for (const listener of emitter.listeners(event)) {
      if (!had.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
}
