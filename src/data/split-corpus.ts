/**
 * Train/validation split of a token sequence. Validation is the tail, one contiguous piece, so
 * that its sequences read like the training text (a random scatter of characters would not) and
 * offsets stay simple: validation offset o is corpus offset `validationStart + o`.
 */
import { ConfigError } from '../core/errors.js';
import type { TokenIds } from './token-ids.js';

/**
 * The two parts of a split corpus; both are views of the ids passed in, not copies.
 *
 * @category Corpus and batches
 */
export interface CorpusSplit<Ids extends TokenIds = Int32Array> {
  /** Token ids `[0, validationStart)`. */
  readonly train: Ids;
  /** Token ids `[validationStart, length)`: the last `floor(length * validationFraction)` tokens. */
  readonly validation: Ids;
  /** Corpus offset of the first validation token (= `train.length`). */
  readonly validationStart: number;
}

/**
 * Splits `ids` into a training head and a validation tail of `floor(ids.length *
 * validationFraction)` tokens. The fraction must be in `[0, 1)`; 0 gives an empty validation part.
 *
 * @category Corpus and batches
 */
export function splitCorpus<Ids extends TokenIds = Int32Array>(ids: Ids, validationFraction: number): CorpusSplit<Ids> {
  if (typeof validationFraction !== 'number' || !(validationFraction >= 0 && validationFraction < 1)) {
    throw new ConfigError(`validation fraction must be at least 0 and below 1, got ${typeof validationFraction === 'number' ? validationFraction : JSON.stringify(validationFraction)}`);
  }
  const validationLength = Math.floor(ids.length * validationFraction);
  const validationStart = ids.length - validationLength;
  return {
    // subarray keeps the array's type; TypeScript only knows it of each member of the union.
    train: ids.subarray(0, validationStart) as Ids,
    validation: ids.subarray(validationStart) as Ids,
    validationStart,
  };
}
