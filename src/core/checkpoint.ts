import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CellDefinition } from './cell.js';
import { writeFileAtomic } from './atomic-write.js';
import { CheckpointError } from './errors.js';
import { writeFailureReason } from './write-failure.js';
import { modelParams } from './model.js';
import type { ParamStore } from './params.js';
import { sizeOf } from './params.js';

/** Format tag of checkpoint files. */
export const CHECKPOINT_FORMAT = 'rnnbow-checkpoint';

/**
 * A checkpoint as JSON, with PyTorch parameter names so weights move between rnnbow and other
 * tools: matrices as nested arrays `[rows][cols]`, vectors as arrays.
 *
 * @category Checkpoints and itemizing
 */
export interface CheckpointJson {
  /** Always `rnnbow-checkpoint`. */
  format: typeof CHECKPOINT_FORMAT;
  /** Format version (1). */
  version: 1;
  /** Cell name. */
  cell: string;
  /** Hidden size H. */
  hiddenSize: number;
  /** Vocabulary: `vocab[id]` is the character of token id `id`. */
  vocab: string[];
  /** Parameters by name (cell's and output head's): `[rows][cols]` or `[size]`, row-major. */
  params: Record<string, number[] | number[][]>;
  /** Optional training state for `--resume`. */
  training?: TrainingState;
}

/**
 * Where training stood when a checkpoint was written, so `--resume` continues seamlessly.
 *
 * @category Checkpoints and itemizing
 */
export interface TrainingState {
  /** Global index of the next batch. */
  batch: number;
  /** Optimizer moments (an {@link OptimizerState}). */
  optimizer?: unknown;
  /** Carried recurrent state per component, `[B * H]` each. */
  state?: number[][];
  /**
   * Fingerprint of the training text's ids (`corpusFingerprint`): a resumed run on other text
   * says so, since batch indices then address other windows (absent in older checkpoints).
   */
  corpus?: string;
  /** The smoothed training loss so far, so a resumed run's goes on rather than restarting. */
  smoothedLoss?: number;
  /**
   * Steps per sequence (n) the run trained with: a batch index addresses other text under
   * another n, so a resumed run with another `-n` says so and starts its state afresh (absent in
   * older checkpoints).
   */
  seqLength?: number;
  /** Sequences per batch (B) the run trained with, which its carried state is for (absent in older checkpoints). */
  batchSize?: number;
}

/**
 * A checkpoint after validation.
 *
 * @category Checkpoints and itemizing
 */
export interface LoadedCheckpoint {
  /** The cell it was made for. */
  cell: CellDefinition;
  /** Hidden size. */
  hiddenSize: number;
  /** Vocabulary. */
  vocab: string[];
  /** Parameters. */
  params: ParamStore;
  /** Training state, if the checkpoint was written during training. */
  training?: TrainingState;
}

/**
 * Converts a parameter store to checkpoint JSON (the inverse of {@link loadCheckpoint}'s
 * parsing); pass the result to {@link saveCheckpoint}. `training` is present only in checkpoints
 * a run can resume from.
 *
 * @category Checkpoints and itemizing
 */
export function toCheckpoint(cell: string, hiddenSize: number, vocab: string[], params: ParamStore, training?: CheckpointJson['training']): CheckpointJson {
  const out: CheckpointJson['params'] = {};
  for (const [name, p] of Object.entries(params)) {
    if (p.shape.length === 1) out[name] = Array.from(p.data);
    else {
      const [rows, cols] = p.shape;
      out[name] = Array.from({ length: rows }, (_, r) => Array.from(p.data.subarray(r * cols, (r + 1) * cols)));
    }
  }
  return { format: CHECKPOINT_FORMAT, version: 1, cell, hiddenSize, vocab, params: out, ...(training ? { training } : {}) };
}

/**
 * Writes a checkpoint atomically (a temporary file renamed into place), so a crash mid-write
 * leaves the previous checkpoint whole.
 *
 * @throws {@link CheckpointError} when the file cannot be written (a folder that is read-only or
 * was removed, a full disk); the previous checkpoint at `file`, if any, is then left as it was.
 *
 * @category Checkpoints and itemizing
 */
export function saveCheckpoint(file: string, checkpoint: CheckpointJson): void {
  const text = JSON.stringify(checkpoint);
  try {
    writeFileAtomic(file, text);
  } catch (err) {
    const kept = existsSync(file) ? 'the previous checkpoint there is intact' : 'no earlier checkpoint is there';
    throw new CheckpointError(`cannot write checkpoint ${file}: ${writeFailureReason(err)} (${kept})`, 'check that the run folder exists and is writable and that the disk has space');
  }
}

function flatten(file: string, name: string, value: unknown, shape: readonly number[]): Float32Array {
  const expected = shape.length === 1 ? `[${shape[0]}]` : `[${shape[0]} x ${shape[1]}]`;
  const bad = (why: string) => new CheckpointError(`${file}: parameter "${name}" ${why}; expected ${expected}`);
  const data = new Float32Array(sizeOf(shape));
  if (!Array.isArray(value)) throw bad('is not an array');
  if (shape.length === 1) {
    if (value.length !== shape[0]) throw bad(`has ${value.length} values`);
    value.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`has a non-number at [${i}]`);
      data[i] = v;
    });
    return data;
  }
  const [rows, cols] = shape;
  if (value.length !== rows) throw bad(`has ${value.length} rows`);
  value.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== cols) throw bad(`row ${r} has ${Array.isArray(row) ? row.length : 'no'} columns`);
    row.forEach((v, c) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`has a non-number at [${r}][${c}]`);
      data[r * cols + c] = v;
    });
  });
  return data;
}

const WHERE_CHECKPOINTS_ARE = 'pass the checkpoint.json that training wrote into its run folder (logdir/<run-id>/checkpoint.json)';

/**
 * The file's JSON, or a {@link CheckpointError} that says what to pass instead: users hand over
 * the run folder, a mistyped path or a file cut short by a crash far more often than bad JSON.
 */
function readCheckpointJson(file: string): Partial<CheckpointJson> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') {
      const inside = path.join(file, 'checkpoint.json');
      const hint = existsSync(inside) ? `pass the file inside it: ${inside}` : WHERE_CHECKPOINTS_ARE;
      throw new CheckpointError(`checkpoint ${file} is a folder, not a checkpoint file`, hint);
    }
    // ENOTDIR: a file stands where the path wants a folder (run.json/checkpoint.json).
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CheckpointError(`checkpoint ${file} does not exist`, WHERE_CHECKPOINTS_ARE);
    throw new CheckpointError(`cannot read checkpoint ${file}: ${code ?? (err as Error).message}`, 'check the file\'s permissions');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    // records.jsonl or scalars.jsonl of the same run folder, passed by mistake.
    if (isJsonLines(text)) throw new CheckpointError(`${file} holds JSON Lines (a run's records, scalars or samples), not a checkpoint`, WHERE_CHECKPOINTS_ARE);
    throw new CheckpointError(
      `checkpoint ${file} is not valid JSON: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 120)}`,
      'rnnbow writes checkpoints whole, so this one was damaged or edited after it was written; use another checkpoint, or train again',
    );
  }
}

/** True when the first line of `text` is JSON on its own and more lines follow: JSON Lines, not one JSON document. */
function isJsonLines(text: string): boolean {
  const end = text.indexOf('\n');
  if (end < 0 || text.slice(end + 1).trim() === '') return false;
  try {
    JSON.parse(text.slice(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads and validates a checkpoint. `resolveCell` looks the cell name up (throwing for unknown
 * names); every parameter must be present with the cell's shapes.
 *
 * @example
 * ```ts
 * import { createRegistry, loadCheckpoint } from 'rnnbow';
 *
 * const registry = await createRegistry(['./my-indrnn']);   // the plugins the run was trained with
 * const ckpt = loadCheckpoint('runs/my-run/checkpoint.json', (name) => registry.cell(name));
 * ```
 *
 * @throws {@link CheckpointError} when the file is missing, not a checkpoint, of another version,
 * or its parameters do not match the cell's; whatever `resolveCell` throws for an unknown cell
 * (a {@link PartRegistry} throws an {@link UnknownPartError}).
 *
 * @category Checkpoints and itemizing
 */
export function loadCheckpoint(file: string, resolveCell: (name: string) => CellDefinition): LoadedCheckpoint {
  const json = readCheckpointJson(file);
  if (typeof json !== 'object' || json === null || json.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(`${file} is not an rnnbow checkpoint (missing "format": "${CHECKPOINT_FORMAT}")`, WHERE_CHECKPOINTS_ARE);
  }
  if (json.version !== 1) {
    const newer = typeof json.version === 'number' && json.version > 1;
    throw new CheckpointError(
      `${file}: unsupported checkpoint version ${JSON.stringify(json.version)} (this rnnbow reads version 1)`,
      newer ? 'it was written by a newer rnnbow: upgrade rnnbow to read it' : WHERE_CHECKPOINTS_ARE,
    );
  }
  if (typeof json.cell !== 'string') throw new CheckpointError(`${file}: "cell" must be a cell name`);
  let cell: CellDefinition;
  try {
    cell = resolveCell(json.cell);
  } catch (err) {
    throw new CheckpointError(`${file}: ${(err as Error).message}`, 'load the plugin that defines this cell with --plugin');
  }
  const H = json.hiddenSize;
  if (typeof H !== 'number' || !Number.isInteger(H) || H < 1) throw new CheckpointError(`${file}: "hiddenSize" must be a positive integer, got ${JSON.stringify(H)}`);
  const vocab = json.vocab;
  if (!Array.isArray(vocab) || vocab.length < 1 || vocab.some((c) => typeof c !== 'string' || [...c].length !== 1)) {
    throw new CheckpointError(`${file}: "vocab" must be a non-empty array of single characters`);
  }
  if (new Set(vocab).size !== vocab.length) throw new CheckpointError(`${file}: "vocab" has duplicate characters`);
  const params: ParamStore = {};
  const given = json.params ?? {};
  const specs = modelParams(cell, { inputSize: vocab.length, hiddenSize: H });
  for (const spec of specs) {
    if (!(spec.name in given)) throw new CheckpointError(`${file}: parameter "${spec.name}" is missing for cell "${cell.name}"`);
    params[spec.name] = { shape: [...spec.shape], data: flatten(file, spec.name, given[spec.name], spec.shape) };
  }
  const extra = Object.keys(given).filter((n) => !specs.some((s) => s.name === n));
  if (extra.length) throw new CheckpointError(`${file}: unknown parameter(s) ${extra.join(', ')} for cell "${cell.name}"`);
  return { cell, hiddenSize: H, vocab, params, training: json.training };
}
