/**
 * Train/validation split of a token sequence. Validation is the tail, one contiguous piece, so
 * that its sequences read like the training text (a random scatter of characters would not) and
 * offsets stay simple: validation offset o is corpus offset `validationStart + o`.
 */
import { ConfigError } from '../core/errors.js';

/** The two parts of a split corpus; both are views of the ids passed in, not copies. */
export interface CorpusSplit {
  /** Token ids `[0, validationStart)`. */
  readonly train: Int32Array;
  /** Token ids `[validationStart, length)`: the last `floor(length * validationFraction)` tokens. */
  readonly validation: Int32Array;
  /** Corpus offset of the first validation token (= `train.length`). */
  readonly validationStart: number;
}

/**
 * Splits `ids` into a training head and a validation tail of `floor(ids.length *
 * validationFraction)` tokens. The fraction must be in `[0, 1)`; 0 gives an empty validation part.
 */
export function splitCorpus(ids: Int32Array, validationFraction: number): CorpusSplit {
  if (typeof validationFraction !== 'number' || !(validationFraction >= 0 && validationFraction < 1)) {
    throw new ConfigError(`validation fraction must be at least 0 and below 1, got ${typeof validationFraction === 'number' ? validationFraction : JSON.stringify(validationFraction)}`);
  }
  const validationLength = Math.floor(ids.length * validationFraction);
  const validationStart = ids.length - validationLength;
  return {
    train: ids.subarray(0, validationStart),
    validation: ids.subarray(validationStart),
    validationStart,
  };
}
