import { gruCell } from './cells/gru.js';
import { lstmCell } from './cells/lstm.js';
import { vanillaCell } from './cells/vanilla.js';
import { definePlugin, type RnnbowPlugin } from './core/plugin.js';
import { loadPlugins } from './core/plugin-loader.js';
import { PartRegistry } from './core/registry.js';
import { jsonExporter } from './exporters/json/json-exporter.js';
import { tensorboardExporter } from './exporters/tensorboard/index.js';
import { fullRecorder } from './recorders/full.js';
import { periodicRecorder } from './recorders/periodic.js';
import { truncatedRecorder } from './recorders/truncated.js';

/**
 * rnnbow's own parts, registered exactly as a plugin registers its parts: cells
 * {@link vanillaCell} (`rnn`), {@link lstmCell}, {@link gruCell}; recorders {@link fullRecorder},
 * {@link truncatedRecorder}, {@link periodicRecorder}; exporters {@link jsonExporter},
 * {@link tensorboardExporter}.
 *
 * @category Plugin loading
 */
export const builtinPlugin: RnnbowPlugin = definePlugin({
  name: 'rnnbow',
  cells: [vanillaCell, lstmCell, gruCell],
  recorders: [fullRecorder, truncatedRecorder, periodicRecorder],
  exporters: [jsonExporter, tensorboardExporter],
});

/**
 * A registry with the built-ins and the given plugins (paths or package names, resolved from `cwd`):
 * what {@link train} and the CLI use to find cells, recorders and exporters by name.
 *
 * @throws {@link PluginError} when a plugin cannot be loaded or registered (see {@link loadPlugins}).
 *
 * @example
 * ```ts
 * import { createRegistry } from 'rnnbow';
 *
 * const registry = await createRegistry(['./plugins/mgu-cell']);
 * registry.names('cell'); // ['gru', 'lstm', 'mgu', 'rnn']
 * ```
 *
 * @category Plugin loading
 */
export async function createRegistry(plugins: readonly string[] = [], cwd = process.cwd()): Promise<PartRegistry> {
  const registry = new PartRegistry();
  // test/plugins/conformance-builtins.test.ts holds the built-in cells to their shapes (and
  // test/kernels/fused-vs-tfjs.test.ts their fused slots to the probed ones); probing them here
  // would load tfjs (half a second) for runs that train on the fused kernels.
  registry.register(builtinPlugin, 'rnnbow (built-in)', { trusted: true });
  await loadPlugins(registry, plugins, cwd);
  return registry;
}
