import { ContainerModule } from 'inversify';
import type { CellDefinition } from './cell.js';
import type { ExporterDefinition } from './exporter.js';
import type { RecorderDefinition } from './recorder.js';
import { TOKENS } from './tokens.js';

/**
 * One registration: the parts a plugin adds. rnnbow's own cells, recorders and exporters are
 * registered through exactly this type.
 *
 * @category Plugin loading
 */
export interface RnnbowPlugin {
  /** Marks the object as a plugin, so a loader can tell it from anything else a module exports. */
  readonly kind: 'rnnbow-plugin';
  /** The plugin's name, used in error messages. */
  readonly name: string;
  /** Cells it adds. */
  readonly cells: readonly CellDefinition[];
  /** Recorders it adds. */
  readonly recorders: readonly RecorderDefinition[];
  /** Exporters it adds. */
  readonly exporters: readonly ExporterDefinition[];
}

/**
 * What {@link definePlugin} takes.
 *
 * @category Plugin loading
 */
export interface PluginParts {
  /** The plugin's name, used in error messages. */
  name: string;
  /** Cells to add (default none). */
  cells?: CellDefinition[];
  /** Recorders to add (default none). */
  recorders?: RecorderDefinition[];
  /** Exporters to add (default none). */
  exporters?: ExporterDefinition[];
}

/**
 * Declares a plugin. Export the result as the module's default export (or as `plugin`); load it
 * with `--plugin PATH|PACKAGE`, a run config's `plugins`, or {@link createRegistry}. Parts are
 * checked when the plugin is registered, not here (see {@link PartRegistry.register}).
 *
 * @example
 * ```ts
 * import { definePlugin, type CellDefinition } from 'rnnbow';
 *
 * declare const myCell: CellDefinition; // your cell, e.g. the IndRNN of CellDefinition's example
 * export default definePlugin({ name: 'my-cells', cells: [myCell] });
 * ```
 *
 * @category Plugin loading
 */
export function definePlugin(parts: PluginParts): RnnbowPlugin {
  return {
    kind: 'rnnbow-plugin',
    name: parts.name,
    cells: parts.cells ?? [],
    recorders: parts.recorders ?? [],
    exporters: parts.exporters ?? [],
  };
}

/**
 * True when `value` is a plugin made by {@link definePlugin}.
 *
 * @category Plugin loading
 */
export function isPlugin(value: unknown): value is RnnbowPlugin {
  return typeof value === 'object' && value !== null && (value as RnnbowPlugin).kind === 'rnnbow-plugin';
}

/**
 * The inversify module that binds a plugin's parts to the container's {@link TOKENS}: how
 * {@link PartRegistry.register} loads a plugin. A plugin does not need it; it is for code that
 * composes its own inversify container.
 *
 * @category Plugin loading
 */
export function pluginModule(plugin: RnnbowPlugin): ContainerModule {
  return new ContainerModule(({ bind }) => {
    for (const cell of plugin.cells) bind(TOKENS.Cell).toConstantValue(cell);
    for (const recorder of plugin.recorders) bind(TOKENS.Recorder).toConstantValue(recorder);
    for (const exporter of plugin.exporters) bind(TOKENS.Exporter).toConstantValue(exporter);
  });
}
