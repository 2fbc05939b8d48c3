/**
 * Typed errors. Every failure a user can cause carries a code and a one-line message that
 * names the problem and, where possible, the fix; the CLI prints `message` (and `hint`)
 * without a stack trace and exits non-zero.
 */

/**
 * Machine-readable category of an {@link RnnbowError}, stable across versions; match on it
 * rather than on the message. Most codes have their own subclass (`CONFIG` →
 * {@link ConfigError}, `CORPUS` → {@link CorpusError}, `CHECKPOINT` → {@link CheckpointError},
 * `PLUGIN` → {@link PluginError}, `UNKNOWN_PART` → {@link UnknownPartError}, `EXPORT` →
 * {@link ExportError}, `NON_FINITE` → {@link NonFiniteLossError}, `CELL_SHAPE` →
 * {@link CellShapeError}, `CONFORMANCE` → {@link CellConformanceError}); `LOGDIR`, `BACKEND` and
 * `INPUT` (bad arguments to a library call, a logdir that cannot be read, a tfjs backend that
 * cannot start) are raised as a plain {@link RnnbowError} or a {@link ViewerError}.
 *
 * @category Errors
 */
export type ErrorCode =
  | 'CONFIG'
  | 'CORPUS'
  | 'CHECKPOINT'
  | 'PLUGIN'
  | 'UNKNOWN_PART'
  | 'EXPORT'
  | 'LOGDIR'
  | 'NON_FINITE'
  | 'BACKEND'
  | 'CELL_SHAPE'
  | 'INPUT'
  | 'CONFORMANCE';

/**
 * Base class of every error rnnbow raises for a problem the user can fix. Catch it to tell those
 * from bugs; {@link formatError} prints either for a terminal.
 *
 * @example
 * ```ts
 * import { RnnbowError, train } from 'rnnbow';
 *
 * try {
 *   await train({ cell: 'lstm', corpus: { paths: ['missing/'] } });
 * } catch (err) {
 *   if (err instanceof RnnbowError && err.code === 'CORPUS') console.error(err.message, err.hint);
 *   else throw err;
 * }
 * ```
 *
 * @category Errors
 */
export class RnnbowError extends Error {
  /** Category, stable across versions, for programs that react to errors. */
  readonly code: ErrorCode;
  /** What to do about it, when there is something better than "fix the input". */
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RnnbowError';
    this.code = code;
    this.hint = hint;
  }
}

/**
 * A run configuration (JSON file, CLI flags or library object) failed validation.
 *
 * @category Errors
 */
export class ConfigError extends RnnbowError {
  constructor(message: string, hint?: string) {
    super('CONFIG', message, hint);
    this.name = 'ConfigError';
  }
}

/**
 * The training corpus is missing, empty, binary or too short.
 *
 * @category Errors
 */
export class CorpusError extends RnnbowError {
  constructor(message: string, hint?: string) {
    super('CORPUS', message, hint);
    this.name = 'CorpusError';
  }
}

/**
 * A checkpoint file is unreadable or does not match its declared cell.
 *
 * @category Errors
 */
export class CheckpointError extends RnnbowError {
  constructor(message: string, hint?: string) {
    super('CHECKPOINT', message, hint);
    this.name = 'CheckpointError';
  }
}

/**
 * A plugin could not be found, loaded or registered.
 *
 * @category Errors
 */
export class PluginError extends RnnbowError {
  /** The plugin specifier as the user gave it. */
  readonly plugin: string;
  constructor(plugin: string, message: string, hint?: string, options?: { cause?: unknown }) {
    super('PLUGIN', `plugin "${plugin}": ${message}`, hint, options);
    this.name = 'PluginError';
    this.plugin = plugin;
  }
}

/**
 * A cell, recorder or exporter name that nothing registered.
 *
 * @category Errors
 */
export class UnknownPartError extends RnnbowError {
  constructor(kind: string, name: string, known: readonly string[]) {
    super('UNKNOWN_PART', `unknown ${kind} "${name}"; known ${kind}s: ${known.join(', ') || '(none)'}`);
    this.name = 'UnknownPartError';
  }
}

/**
 * An exporter could not write (unwritable folder, disk full). Earlier flushed records stay valid.
 *
 * @category Errors
 */
export class ExportError extends RnnbowError {
  constructor(message: string, hint?: string, options?: { cause?: unknown }) {
    super('EXPORT', message, hint, options);
    this.name = 'ExportError';
  }
}

/**
 * A cell's step function returned tensors of the wrong shape or count.
 *
 * @category Errors
 */
export class CellShapeError extends RnnbowError {
  constructor(cell: string, message: string) {
    super('CELL_SHAPE', `cell "${cell}": ${message}`);
    this.name = 'CellShapeError';
  }
}

/**
 * Training produced a NaN or infinite loss.
 *
 * @category Errors
 */
export class NonFiniteLossError extends RnnbowError {
  /** Global index of the batch whose loss was not finite. */
  readonly batch: number;
  constructor(batch: number, loss: number) {
    super(
      'NON_FINITE',
      `loss became ${loss} at batch ${batch}; training stopped after flushing what was recorded`,
      'lower the learning rate, tighten --clip, or pass --on-non-finite continue to keep going',
    );
    this.name = 'NonFiniteLossError';
    this.batch = batch;
  }
}

/**
 * Formats any error for a terminal: one line for rnnbow errors, the stack for real bugs.
 *
 * @category Errors
 */
export function formatError(err: unknown): string {
  if (err instanceof RnnbowError) {
    return `rnnbow: ${err.message}${err.hint ? `\n  hint: ${err.hint}` : ''}`;
  }
  const e = err as { stack?: string; message?: string };
  return `rnnbow: internal error (please report it): ${e?.stack ?? e?.message ?? String(err)}`;
}
