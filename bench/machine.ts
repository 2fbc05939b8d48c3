import { cpus, loadavg, totalmem } from 'node:os';
import { setupBackend, hasTfjsNode } from '../src/core/backend.js';
import { vanillaCell } from '../src/cells/vanilla.js';
import { createEngine } from '../src/core/engine/create-engine.js';
import { wasmUnavailableReason } from '../src/core/engine/fused/wasm-ops.js';

/** What the numbers were measured on, and with which backends. */
export interface MachineInfo {
  /** Logical cores. */
  readonly cores: number;
  /** CPU model string. */
  readonly cpu: string;
  /** Memory in GiB. */
  readonly memoryGiB: number;
  /** Node.js version. */
  readonly node: string;
  /** Name of the engine `createEngine(..., 'auto')` gives a built-in cell. */
  readonly fusedEngine: string;
  /** Why the WebAssembly kernels are not used, when they are not. */
  readonly fusedNote: string;
  /** The tfjs backend the reference engine runs on. */
  readonly tfjsBackend: string;
  /** Whether @tensorflow/tfjs-node is installed (then it is the tfjs backend). */
  readonly tfjsNode: boolean;
}

/** Sets up the tfjs backend the way the CLI does (`auto`) and describes the machine. */
export async function describeMachine(): Promise<MachineInfo> {
  const tfjsBackend = await setupBackend('auto');
  const engine = createEngine(vanillaCell, { inputSize: 10, hiddenSize: 10 }, 'auto');
  const fusedEngine = engine.name;
  engine.dispose();
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: totalmem() / 2 ** 30,
    node: process.version,
    fusedEngine,
    fusedNote: fusedEngine === 'fused:wasm-fma' ? '' : wasmUnavailableReason(fusedEngine === 'fused:wasm-simd' ? 'fma' : 'simd'),
    tfjsBackend,
    tfjsNode: hasTfjsNode(),
  };
}

/** The header lines printed above the table. */
export function machineLines(m: MachineInfo): string[] {
  return [
    loadLine('at start'),
    `machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB.toFixed(0)} GiB, Node ${m.node}`,
    `engines: built-in cells run on ${m.fusedEngine}${m.fusedNote ? ` (${m.fusedNote})` : ''}; reference engine on tfjs:${m.tfjsBackend}` +
      (m.tfjsNode ? ' (@tensorflow/tfjs-node installed: used automatically)' : ' (@tensorflow/tfjs-node not installed)'),
  ];
}

/**
 * The 1-minute load average: figures measured while other processes compete for the cores are
 * lower than the machine can do, so the table says what the load was.
 */
export function loadLine(when: string): string {
  return `load average ${when}: ${loadavg()[0].toFixed(2)} (${cpus().length} cores)`;
}
