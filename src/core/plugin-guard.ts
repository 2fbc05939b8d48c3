import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CellDefinition } from './cell.js';
import type { GradientEngine } from './engine.js';
import { PluginError, RnnbowError } from './errors.js';
import type { Exporter, ExporterDefinition } from './exporter.js';
import { packageRoot } from './package-root.js';
import type { BatchRecord } from './record.js';
import { recordShapeProblem } from './record-shape.js';
import type { GradientRecorder, RecordPlan, RecorderDefinition } from './recorder.js';

/**
 * A plugin's parts as rnnbow calls them: whatever the plugin's own code throws comes out as a
 * {@link PluginError} that names the plugin, the part, the call and the line that threw, instead
 * of an "internal error" with rnnbow's stack; and what the code returns is checked where rnnbow
 * would otherwise fail later, far from the cause (an exporter without `writeSample` used to end
 * a run at its first sample, a `finalize` returning nothing wrote empty records).
 */

/** The members every exporter instance has (`flushSync` is optional). */
const EXPORTER_METHODS = ['open', 'writeScalars', 'writeRecord', 'writeSample', 'flush', 'close'] as const;

/**
 * `file:line:column` of the first stack frame of `err` in the plugin's code: outside rnnbow's
 * own sources, Node's internals and node_modules (tfjs, which usually raises the message).
 */
export function thrownAt(err: unknown): string | undefined {
  const stack = (err as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return undefined;
  const root = packageRoot();
  const own = [path.join(root, 'src') + path.sep, path.join(root, 'dist') + path.sep];
  for (const line of stack.split('\n')) {
    const m = /^\s+at (?:.*? \()?((?:file:\/\/)?\/[^()]*?):(\d+):(\d+)\)?$/.exec(line);
    if (!m) continue;
    const file = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    if (own.some((dir) => file.startsWith(dir)) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
    return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/**
 * What a plugin's call threw, as that plugin's error. rnnbow's own errors pass unchanged: they
 * already say what is wrong (a plugin may throw a ConfigError for a bad option).
 */
export function pluginFault(source: string, call: string, err: unknown): RnnbowError {
  if (err instanceof RnnbowError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const at = thrownAt(err);
  return new PluginError(source, `${call} threw: ${message}${at ? ` (at ${at})` : ''}`, undefined, { cause: err });
}

/** `fn` called on `self`; a throw or a rejected promise becomes {@link pluginFault}. */
function guarded<A extends unknown[], R>(fn: (...args: A) => R, self: unknown, source: string, call: string): (...args: A) => R {
  return (...args: A): R => {
    let out: R;
    try {
      out = fn.apply(self, args);
    } catch (err) {
      throw pluginFault(source, call, err);
    }
    if (out instanceof Promise) {
      return out.catch((err: unknown) => {
        throw pluginFault(source, call, err);
      }) as R;
    }
    return out;
  };
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** A plugin cell whose `params`, `step` and `kernel` (and the kernel's engine) report their throws as the plugin's. */
export function guardCell(cell: CellDefinition, source: string): CellDefinition {
  const what = `cell "${cell.name}"`;
  const kernel = cell.kernel;
  return {
    name: cell.name,
    description: cell.description,
    state: cell.state,
    params: guarded(cell.params, cell, source, `${what}: params()`),
    step: guarded(cell.step, cell, source, `${what}: step()`),
    ...(kernel ? { kernel: (dims) => guardEngine(guarded(kernel, cell, source, `${what}: kernel()`)(dims), source, what) } : {}),
  };
}

/** A plugin's own engine, every method of which reports its throws as the plugin's. */
function guardEngine(engine: GradientEngine, source: string, what: string): GradientEngine {
  if (!engine || typeof engine !== 'object' || typeof engine.train !== 'function') {
    throw new PluginError(source, `${what}: kernel() must return a GradientEngine (an object with train, evaluate, predict and dispose), got ${describeValue(engine)}`);
  }
  return new Proxy(engine, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      return typeof v === 'function' ? guarded(v as (...a: unknown[]) => unknown, target, source, `${what}: kernel's ${String(prop)}()`) : v;
    },
  });
}

/** A plugin's recorder kind whose recorders' plans and records are checked before the trainer uses them. */
export function guardRecorderDefinition(def: RecorderDefinition, source: string): RecorderDefinition {
  const what = `recorder "${def.name}"`;
  return {
    name: def.name,
    description: def.description,
    create: (options, ctx) => {
      const made = guarded(def.create, def, source, `${what}: create()`)(options, ctx) as GradientRecorder | null | undefined;
      if (!made || typeof made !== 'object' || typeof made.plan !== 'function') {
        throw new PluginError(source, `${what}: create() must return a recorder with a plan(batch) function, got ${describeValue(made)}${made && typeof made === 'object' ? ' without plan()' : ''}`);
      }
      const plan = guarded(made.plan, made, source, `${what}: plan()`);
      const finalize = made.finalize ? guarded(made.finalize, made, source, `${what}: finalize()`) : undefined;
      return {
        description: typeof made.description === 'string' ? made.description : def.name,
        plan: (batch) => checkPlan(plan(batch), source, `${what}: plan(${batch})`),
        ...(finalize ? { finalize: (record: BatchRecord) => checkRecord(finalize(record), source, `${what}: finalize()`) } : {}),
      };
    },
  };
}

/** A plan as the engine takes it; `undefined` counts as `null` (record nothing). */
function checkPlan(plan: RecordPlan | null | undefined, source: string, call: string): RecordPlan | null {
  if (plan === null || plan === undefined) return null;
  if (typeof plan !== 'object') throw new PluginError(source, `${call} returned ${describeValue(plan)}; it must return null or { k, residual }`);
  const { k, residual } = plan;
  if (k !== null && !(typeof k === 'number' && Number.isInteger(k) && k >= 0)) {
    throw new PluginError(source, `${call} returned k = ${describeValue(k)}; k must be an integer >= 0, or null for full itemization`);
  }
  if (residual !== undefined && typeof residual !== 'boolean') {
    throw new PluginError(source, `${call} returned residual = ${describeValue(residual)}; residual must be true or false`);
  }
  return { k, residual: residual ?? false };
}

function checkRecord(record: BatchRecord, source: string, call: string): BatchRecord {
  const problem = recordShapeProblem(record);
  if (problem) throw new PluginError(source, `${call} must return a batch record (the one it was given, or a cut-down copy): ${problem}`);
  return record;
}

/** A plugin's exporter kind whose exporters are checked for every member and report their throws as the plugin's. */
export function guardExporterDefinition(def: ExporterDefinition, source: string): ExporterDefinition {
  const what = `exporter "${def.name}"`;
  return {
    name: def.name,
    description: def.description,
    create: (options) => {
      const made = guarded(def.create, def, source, `${what}: create()`)(options) as Exporter | null | undefined;
      if (!made || typeof made !== 'object') throw new PluginError(source, `${what}: create() must return an exporter object, got ${describeValue(made)}`);
      const missing = EXPORTER_METHODS.filter((m) => typeof made[m] !== 'function');
      if (missing.length) {
        throw new PluginError(source, `${what}: the exporter create() returned has no ${missing.map((m) => `${m}()`).join(', ')}`, `an exporter needs ${EXPORTER_METHODS.join(', ')} (flushSync is optional)`);
      }
      const call = <K extends (typeof EXPORTER_METHODS)[number]>(m: K) => guarded(made[m] as (...a: Parameters<Exporter[K]>) => ReturnType<Exporter[K]>, made, source, `${what}: ${m}()`);
      return {
        name: typeof made.name === 'string' ? made.name : def.name,
        open: call('open'),
        writeScalars: call('writeScalars'),
        writeRecord: call('writeRecord'),
        writeSample: call('writeSample'),
        flush: call('flush'),
        close: call('close'),
        ...(typeof made.flushSync === 'function' ? { flushSync: guarded(made.flushSync, made, source, `${what}: flushSync()`) } : {}),
      };
    },
  };
}
