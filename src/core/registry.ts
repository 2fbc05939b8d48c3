import { Container, ContainerModule } from 'inversify';
import type { CellDefinition } from './cell.js';
import { PluginError, UnknownPartError } from './errors.js';
import type { ExporterDefinition } from './exporter.js';
import { pluginModule, type RnnbowPlugin } from './plugin.js';
import type { GradientRecorder, RecorderContext, RecorderDefinition, RecorderSpec } from './recorder.js';
import { TOKENS } from './tokens.js';
import { probeCell } from './engine/tfjs-engine.js';

/** The three kinds of part a plugin can add. */
export type PartKind = 'cell' | 'recorder' | 'exporter';

interface Named {
  readonly name: string;
}

const TOKEN_OF: Record<PartKind, symbol> = { cell: TOKENS.Cell, recorder: TOKENS.Recorder, exporter: TOKENS.Exporter };

/**
 * The inversify container of one process, with lookups by name. Every part, built-in or not,
 * arrives through {@link PartRegistry.register}, which refuses name clashes and cells whose step
 * returns the wrong shapes.
 */
export class PartRegistry {
  /** The underlying container; parts are multi-bound to {@link TOKENS}. */
  readonly container = new Container();
  private readonly owners = new Map<string, string>();

  /** Adds a plugin's parts. `source` names it in errors (a path or package name). */
  register(plugin: RnnbowPlugin, source: string = plugin.name): void {
    const incoming: [PartKind, Named][] = [
      ...plugin.cells.map((c): [PartKind, Named] => ['cell', c]),
      ...plugin.recorders.map((r): [PartKind, Named] => ['recorder', r]),
      ...plugin.exporters.map((e): [PartKind, Named] => ['exporter', e]),
    ];
    const seen = new Set<string>();
    for (const [kind, part] of incoming) {
      if (typeof part?.name !== 'string' || part.name === '') throw new PluginError(source, `a ${kind} has no name`);
      const key = `${kind}:${part.name}`;
      const owner = this.owners.get(key);
      if (owner) throw new PluginError(source, `${kind} "${part.name}" is already registered by ${owner}`, 'rename the part in the plugin');
      if (seen.has(key)) throw new PluginError(source, `registers ${kind} "${part.name}" twice`);
      seen.add(key);
    }
    for (const cell of plugin.cells) {
      try {
        probeCell(cell, { inputSize: 5, hiddenSize: 3 });
      } catch (err) {
        throw new PluginError(source, (err as Error).message, undefined, { cause: err });
      }
    }
    this.container.load(pluginModule(plugin));
    for (const key of seen) this.owners.set(key, source);
  }

  /** Loads a raw inversify module (for plugins that bind to {@link TOKENS} themselves). */
  registerModule(module: ContainerModule, source: string): void {
    const before = new Map((Object.keys(TOKEN_OF) as PartKind[]).map((k) => [k, new Set(this.names(k))]));
    this.container.load(module);
    for (const kind of Object.keys(TOKEN_OF) as PartKind[]) {
      const names = this.all<Named>(kind).map((p) => p.name);
      const counts = new Map<string, number>();
      for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
      for (const [name, count] of counts) {
        if (count > 1) {
          this.container.unload(module);
          const owner = this.owners.get(`${kind}:${name}`) ?? 'another plugin';
          throw new PluginError(source, `${kind} "${name}" is already registered by ${owner}`);
        }
        if (!before.get(kind)!.has(name)) this.owners.set(`${kind}:${name}`, source);
      }
    }
  }

  /** Registered names of a kind, sorted. */
  names(kind: PartKind): string[] {
    return this.all<Named>(kind)
      .map((p) => p.name)
      .sort();
  }

  /** The cell registered as `name`. */
  cell(name: string): CellDefinition {
    return this.find<CellDefinition>('cell', name);
  }

  /** The recorder kind registered as `name`. */
  recorderDefinition(name: string): RecorderDefinition {
    return this.find<RecorderDefinition>('recorder', name);
  }

  /** The exporter kind registered as `name`. */
  exporter(name: string): ExporterDefinition {
    return this.find<ExporterDefinition>('exporter', name);
  }

  /** Builds a recorder from a spec, resolving the recorders it wraps through this registry. */
  createRecorder(spec: RecorderSpec, ctx: Omit<RecorderContext, 'create'>): GradientRecorder {
    const full: RecorderContext = { ...ctx, create: (inner) => this.createRecorder(inner, ctx) };
    return this.recorderDefinition(spec.name).create(spec.options ?? {}, full);
  }

  private all<T>(kind: PartKind): T[] {
    const token = TOKEN_OF[kind];
    return this.container.isBound(token) ? this.container.getAll<T>(token) : [];
  }

  private find<T extends Named>(kind: PartKind, name: string): T {
    const found = this.all<T>(kind).find((p) => p.name === name);
    if (!found) throw new UnknownPartError(kind, name, this.names(kind));
    return found;
  }
}
