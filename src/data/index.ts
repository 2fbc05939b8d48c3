/**
 * The data layer: corpus loading (files, directories, the offline default, generated C),
 * vocabulary, train/validation split, minibatch streams and readable characters.
 */
export type { Corpus } from './corpus.js';
export { loadCorpus, checkMaxChars, type LoadCorpusOptions } from './load-corpus.js';
export { DEFAULT_TEXT_EXTENSIONS, ANY_EXTENSION, extensionMatcher, describeExtensions } from './text-extensions.js';
export { readTextFile, firstInvalidUtf8, fileAccessError, type TextFileContent } from './text-file.js';
export { corpusFiles } from './corpus-files.js';
export { countCodePoints, headCodePoints, isBmpOnly } from './code-points.js';
export {
  defaultCorpus,
  nodeIncludeDir,
  nodeHeaderFiles,
  DEFAULT_CORPUS_MAX_CHARS,
  DEFAULT_GENERATED_CHARS,
  type DefaultCorpusOptions,
} from './default-corpus.js';
export { generateCCorpus, generateCCorpusWithStructure, type GenerateCOptions, type GeneratedC } from './c-generator.js';
export {
  bracketPartners,
  braceSpans,
  type BracketPair,
  type CStructure,
  type IdentifierKind,
  type IdentifierRecord,
  type OpeningBracket,
} from './c-structure.js';
export { Vocabulary } from './vocabulary.js';
export { describeCorpus } from './describe-corpus.js';
export { corpusFingerprint } from './corpus-fingerprint.js';
export { checkpointRunCorpus, withResumeCorpusHint, type RunCorpus } from './resume-corpus.js';
export { allocateTokenIds, type TokenIds } from './token-ids.js';
export { splitCorpus, type CorpusSplit } from './split-corpus.js';
export {
  streamLayout,
  batchAt,
  checkBatchShape,
  minimumCorpusChars,
  type StreamLayout,
  type StreamBatch,
} from './stream-layout.js';
export { BatchStream, type BatchStreamOptions } from './batch-stream.js';
export { validationBatches, type ValidationBatchOptions } from './validation-batches.js';
export { visibleChar, describeChar, codePointLabel } from './visible-char.js';
