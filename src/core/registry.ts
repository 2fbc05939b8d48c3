import { Container, ContainerModule } from 'inversify';
import type { CellDefinition } from './cell.js';
import { PluginError, RnnbowError, UnknownPartError } from './errors.js';
import type { ExporterDefinition } from './exporter.js';
import { pluginModule, type RnnbowPlugin } from './plugin.js';
import type { GradientRecorder, RecorderContext, RecorderDefinition, RecorderSpec } from './recorder.js';
import { guardCell, guardExporterDefinition, guardRecorderDefinition } from './plugin-guard.js';
import { TOKENS } from './tokens.js';
import { probeCell } from './engine/probe-cell.js';

/**
 * The three kinds of part a plugin can add.
 *
 * @category Plugin loading
 */
export type PartKind = 'cell' | 'recorder' | 'exporter';

interface Named {
  readonly name: string;
}

const TOKEN_OF: Record<PartKind, symbol> = { cell: TOKENS.Cell, recorder: TOKENS.Recorder, exporter: TOKENS.Exporter };

/**
 * The inversify container of one process, with lookups by name. Every part, built-in or not,
 * arrives through {@link PartRegistry.register}, which refuses name clashes and cells whose step
 * returns the wrong shapes. A plugin's parts come out of the lookups guarded (plugin-guard.ts):
 * what their code throws, or returns wrongly, is reported as that plugin's problem.
 *
 * @category Plugin loading
 */
export class PartRegistry {
  /** The underlying container; parts are multi-bound to {@link TOKENS}. */
  readonly container = new Container();
  private readonly owners = new Map<string, string>();
  private readonly trusted = new Set<string>();
  private readonly guarded = new WeakMap<object, object>();

  /**
   * Adds a plugin's parts. `source` names it in errors (a path or package name). Each cell is
   * probed (steps of its tfjs definition on tiny batches) so that a broken plugin fails at load
   * time. `trusted: true` is for rnnbow's own parts: the test suite already holds their cells to
   * their shapes (unprobed, they never load tfjs unless the reference engine runs), and their
   * errors are rnnbow's, so the lookups return them unguarded.
   *
   * @throws {@link PluginError} for a malformed part, a name already registered (by a built-in
   * or another plugin) or given twice, or a cell that fails the probe.
   */
  register(plugin: RnnbowPlugin, source: string = plugin.name, options: { trusted?: boolean } = {}): void {
    const incoming = partsOf(plugin, source);
    const seen = new Set<string>();
    for (const [kind, part] of incoming) {
      checkPartShape(kind, part, source);
      const key = `${kind}:${part.name}`;
      const owner = this.owners.get(key);
      if (owner) throw clash(source, kind, part.name, owner);
      if (seen.has(key)) throw new PluginError(source, `registers ${kind} "${part.name}" twice`, 'give each part its own name');
      seen.add(key);
    }
    if (!options.trusted) for (const [kind, part] of incoming) if (kind === 'cell') probe(part as CellDefinition, source);
    this.container.load(pluginModule(plugin));
    for (const key of seen) this.owners.set(key, source);
    if (options.trusted) this.trusted.add(source);
  }

  /** Loads a raw inversify module (for plugins that bind to {@link TOKENS} themselves); same checks as {@link register}. */
  registerModule(module: ContainerModule, source: string): void {
    const before = new Map((Object.keys(TOKEN_OF) as PartKind[]).map((k) => [k, this.all<Named>(k)]));
    this.container.load(module);
    try {
      for (const kind of Object.keys(TOKEN_OF) as PartKind[]) {
        const old = new Set(before.get(kind));
        const added = this.all<Named>(kind).filter((p) => !old.has(p));
        for (const part of added) checkPartShape(kind, part, source);
        const names = new Set<string>();
        for (const part of added) {
          const owner = this.owners.get(`${kind}:${part.name}`);
          if (owner) throw clash(source, kind, part.name, owner);
          if (names.has(part.name)) throw new PluginError(source, `registers ${kind} "${part.name}" twice`, 'give each part its own name');
          names.add(part.name);
        }
        if (kind === 'cell') for (const part of added) probe(part as CellDefinition, source);
      }
    } catch (err) {
      this.container.unload(module);
      throw err;
    }
    for (const kind of Object.keys(TOKEN_OF) as PartKind[]) {
      for (const name of this.names(kind)) if (!this.owners.has(`${kind}:${name}`)) this.owners.set(`${kind}:${name}`, source);
    }
  }

  /** Registered names of a kind, sorted. */
  names(kind: PartKind): string[] {
    return this.all<Named>(kind)
      .map((p) => p.name)
      .sort();
  }

  /**
   * The cell registered as `name`.
   *
   * @throws {@link UnknownPartError} listing the registered names.
   */
  cell(name: string): CellDefinition {
    return this.find<CellDefinition>('cell', name);
  }

  /**
   * The recorder kind registered as `name`.
   *
   * @throws {@link UnknownPartError} listing the registered names.
   */
  recorderDefinition(name: string): RecorderDefinition {
    return this.find<RecorderDefinition>('recorder', name);
  }

  /**
   * The exporter kind registered as `name`.
   *
   * @throws {@link UnknownPartError} listing the registered names.
   */
  exporter(name: string): ExporterDefinition {
    return this.find<ExporterDefinition>('exporter', name);
  }

  /**
   * Builds a recorder from a spec, resolving the recorders it wraps through this registry.
   *
   * @throws {@link UnknownPartError} for an unregistered name; {@link ConfigError} for bad options.
   */
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
    const owner = this.owners.get(`${kind}:${name}`) ?? 'unknown plugin';
    if (this.trusted.has(owner)) return found;
    // One guarded copy per part, so that repeated lookups return the same object.
    let guarded = this.guarded.get(found) as T | undefined;
    if (!guarded) {
      guarded = GUARD[kind](found as never, owner) as unknown as T;
      this.guarded.set(found, guarded);
    }
    return guarded;
  }
}

const GUARD: Record<PartKind, (part: never, source: string) => Named> = {
  cell: guardCell,
  recorder: guardRecorderDefinition,
  exporter: guardExporterDefinition,
};

function partsOf(plugin: RnnbowPlugin, source: string): [PartKind, Named][] {
  const lists: [PartKind, unknown][] = [
    ['cell', plugin.cells],
    ['recorder', plugin.recorders],
    ['exporter', plugin.exporters],
  ];
  const parts: [PartKind, Named][] = [];
  for (const [kind, list] of lists) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new PluginError(source, `its ${kind}s must be an array, got ${typeof list}`, 'build the registration with definePlugin({...})');
    for (const part of list) parts.push([kind, part as Named]);
  }
  return parts;
}

/** Rejects parts that are not what their kind requires, naming the first missing member. */
function checkPartShape(kind: PartKind, part: unknown, source: string): asserts part is Named {
  const p = part as Record<string, unknown> | null | undefined;
  if (typeof p !== 'object' || p === null) throw new PluginError(source, `a ${kind} is ${p === null ? 'null' : typeof p}, not an object`);
  if (typeof p.name !== 'string' || p.name === '') throw new PluginError(source, `a ${kind} has no name`, 'every part needs a non-empty string "name"');
  const what = `${kind} "${p.name}"`;
  const needFunction = (member: string) => {
    if (typeof p[member] !== 'function') throw new PluginError(source, `${what} has no ${member}() function`);
  };
  if (kind === 'cell') {
    const state = p.state;
    if (!Array.isArray(state) || state.length === 0 || !state.every((s) => typeof s === 'string')) {
      throw new PluginError(source, `${what} must list its state components, e.g. state: ['h'] (LSTM: ['h', 'c'])`);
    }
    needFunction('params');
    needFunction('step');
    if (p.kernel !== undefined) needFunction('kernel');
  } else {
    needFunction('create');
  }
}

/** The shape probe, with anything it throws reported as this plugin's cell problem. */
function probe(cell: CellDefinition, source: string): void {
  try {
    probeCell(cell, { inputSize: 5, hiddenSize: 3 });
  } catch (err) {
    const message = err instanceof RnnbowError ? err.message : `cell "${cell.name}" fails the load-time probe: ${(err as Error)?.message ?? String(err)}`;
    throw new PluginError(source, message, 'a cell\'s params() must declare what step() uses, and step() must return one [rows, hiddenSize] tensor per state component', { cause: err });
  }
}

function clash(source: string, kind: PartKind, name: string, owner: string): PluginError {
  return new PluginError(source, `${kind} "${name}" is already registered by ${owner}`, `rename the ${kind} in the plugin; names are shared by built-ins and every loaded plugin`);
}
