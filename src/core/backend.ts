import { createRequire } from 'node:module';
import path from 'node:path';
import { tfjs } from './tfjs.js';
import { RnnbowError } from './errors.js';

/** A tfjs backend choice. `auto` = tfjs-node(-gpu) if installed, else WASM, the fastest one the npm packages ship. */
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

/** True when `@tensorflow/tfjs-node` (or `-gpu`) can be loaded here. */
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
      `backend "tensorflow" needs @tensorflow/tfjs-node, which could not be loaded (${(err as Error).message.split('\n')[0]})`,
      'npm install @tensorflow/tfjs-node (needs internet to download libtensorflow), or use --backend wasm',
    );
  }
}

async function loadWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(dir + path.sep);
}

let active: string | undefined;

/**
 * Selects and initialises the tfjs backend used by the reference engine. Returns the backend's
 * name (`tensorflow`, `wasm` or `cpu`). Safe to call more than once.
 */
export async function setupBackend(choice: BackendName = 'auto'): Promise<string> {
  const wanted = choice === 'auto' ? (hasTfjsNode() ? 'tensorflow' : 'wasm') : choice;
  if (active === wanted) return wanted;
  if (wanted === 'tensorflow') await loadTfjsNode();
  if (wanted === 'wasm') await loadWasm();
  const ok = await tfjs.setBackend(wanted);
  if (!ok) throw new RnnbowError('BACKEND', `tfjs backend "${wanted}" failed to initialise`, 'try --backend cpu');
  await tfjs.ready();
  active = wanted;
  return wanted;
}
