/**
 * Token id arrays. A corpus of hundreds of megabytes is held as ids for the whole run, so the
 * narrowest array that fits the vocabulary is worth having: one byte per character for up to 256
 * distinct characters (most source code), not four.
 */

/**
 * Token ids of a text, one per character: any integer typed array wide enough for the vocabulary.
 *
 * @category Corpus and batches
 */
export type TokenIds = Int32Array | Uint16Array | Uint8Array;

/**
 * An empty id array of `length`, the narrowest that holds ids `0..vocabSize-1`.
 *
 * @category Corpus and batches
 */
export function allocateTokenIds(length: number, vocabSize: number): TokenIds {
  if (vocabSize <= 0x100) return new Uint8Array(length);
  if (vocabSize <= 0x10000) return new Uint16Array(length);
  return new Int32Array(length);
}
