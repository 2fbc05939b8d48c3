/**
 * rnnbow: see how a recurrent network learns. Train RNN/LSTM/GRU cells (or your own), record
 * itemized gradients — how much gradient each step's loss sends back to every earlier step — and
 * export them to TensorBoard, JSON and the built-in RNNbow viewer.
 *
 * @packageDocumentation
 */

// Parts and their registration (what plugin authors need).
export type { CellContext, CellDefinition, CellDims } from './core/cell.js';
export type { GradientRecorder, RecordPlan, RecorderContext, RecorderDefinition, RecorderSpec } from './core/recorder.js';
export type { Exporter, ExporterDefinition } from './core/exporter.js';
export type { BatchRecord, RecordedParam, RunInfo, RunSummary, TrainingScalars } from './core/record.js';
export type { ConstantInit, ParamInit, ParamSpec, ParamStore, ParamTensor } from './core/params.js';
export { definePlugin, isPlugin, pluginModule, type PluginParts, type RnnbowPlugin } from './core/plugin.js';
export { TOKENS } from './core/tokens.js';
export { PartRegistry, type PartKind } from './core/registry.js';
export { createRegistry, builtinPlugin } from './builtins.js';
export { loadPlugins, importPlugin, resolvePlugin } from './core/plugin-loader.js';

// Built-in parts.
export { vanillaCell } from './cells/vanilla.js';
export { lstmCell } from './cells/lstm.js';
export { gruCell } from './cells/gru.js';
export { fullRecorder } from './recorders/full.js';
export { truncatedRecorder } from './recorders/truncated.js';
export { periodicRecorder } from './recorders/periodic.js';
export { JSON_QUEUE_CHARS, jsonExporter, JsonExporter } from './exporters/json/json-exporter.js';
export type { LineFileSystem } from './exporters/line-file.js';
export { readJsonRun, isJsonRun, type JsonRun, type ReadProblem, type ScalarLine, type SampleLine } from './exporters/json/json-reader.js';
export {
  tensorboardExporter,
  TensorBoardExporter,
  EventFileWriter,
  DEFAULT_TENSORBOARD_OPTIONS,
  type TensorBoardOptions,
  type EventFileWriterOptions,
  type WriterFileSystem,
} from './exporters/tensorboard/index.js';
// Everything the event-file reader offers (its ReadProblem is re-exported as EventFileProblem).
export * from './exporters/tensorboard/reader.js';
export type { ReadProblem as EventFileProblem } from './exporters/tensorboard/reader.js';

// The viewer (what `rnnbow serve` runs), for embedding in your own tools.
export { startViewer, DEFAULT_HOST, DEFAULT_PORT, ViewerError, type ViewerOptions, type ViewerServer, type RefreshIntervals } from './viewer/index.js';

// The gradient engine.
export type {
  Batch,
  EngineResult,
  GradientEngine,
  ItemizedParam,
  ItemizedSequence,
  ItemizeRequest,
  Reduction,
  State,
  Prediction,
} from './core/engine.js';
export { REDUCTIONS, ENGINE_PREFERENCES } from './core/engine.js';
export type { Optimizer, ClippingOptimizer, OptimizerKind, OptimizerState } from './train/optimizer.js';
export { TfjsEngine } from './core/engine/tfjs-engine.js';
export type { ItemizedSlot } from './core/engine/itemization-builder.js';
export { createEngine, type EnginePreference } from './core/engine/create-engine.js';
export { initParams, modelParams, zeroState, HEAD_BIAS, HEAD_WEIGHT } from './core/model.js';
export { barHeights, maxBar } from './core/bars.js';
export { setupBackend, hasTfjsNode, type BackendName } from './core/backend.js';

// Running things.
export { parseConfig, loadConfigFile, learningRate, DEFAULT_RECORDER, ConfigValidationError, type ConfigIssue, type RunConfig, type RunConfigInput, type CorpusConfig, type PartConfig } from './core/config.js';
export { train, type TrainOptions, type TrainResult, type TrainingMessageKind, type TrainingProgress } from './train/trainer.js';
export { itemizeText, itemizeOutputNumbers, type ItemizeOutput, type ItemizePlan, type ItemizeReduction, type ItemizeTextOptions, type Nested } from './train/itemize-text.js';
export { loadCheckpoint, saveCheckpoint, toCheckpoint, type CheckpointJson, type LoadedCheckpoint, type TrainingState } from './core/checkpoint.js';
export { SeededRandom } from './core/random.js';

// Data.
export { loadCorpus, type CorpusReadProgress, type LoadCorpusOptions } from './data/load-corpus.js';
export { MAX_TEXT_UNITS } from './data/code-points.js';
export { defaultCorpus, nodeIncludeDir, DEFAULT_CORPUS_MAX_CHARS, DEFAULT_GENERATED_CHARS, type DefaultCorpusOptions } from './data/default-corpus.js';
export { DEFAULT_TEXT_EXTENSIONS } from './data/text-extensions.js';
export { generateCCorpus, generateCCorpusWithStructure, type GenerateCOptions, type GeneratedC } from './data/c-generator.js';
export { bracketPartners, braceSpans, type CStructure, type BracketPair, type IdentifierRecord, type OpeningBracket, type IdentifierKind } from './data/c-structure.js';
// The data pipeline docs/corpus.md describes, for experiments that cut batches as training does.
export { splitCorpus, type CorpusSplit } from './data/split-corpus.js';
export { BatchStream, type BatchStreamOptions } from './data/batch-stream.js';
export { validationBatches, type ValidationBatchOptions } from './data/validation-batches.js';
export type { StreamBatch, StreamLayout } from './data/stream-layout.js';
export type { Corpus } from './data/corpus.js';
export { allocateTokenIds, type TokenIds } from './data/token-ids.js';
export { corpusFingerprint } from './data/corpus-fingerprint.js';
export { describeCorpus } from './data/describe-corpus.js';
export { Vocabulary } from './data/vocabulary.js';
export { visibleChar } from './data/visible-char.js';

// Errors.
export {
  RnnbowError,
  ConfigError,
  CorpusError,
  CheckpointError,
  PluginError,
  UnknownPartError,
  ExportError,
  CellShapeError,
  NonFiniteLossError,
  formatError,
  type ErrorCode,
} from './core/errors.js';

// Conformance suite: plugin authors run it on their cells (framework-agnostic).
export {
  runCellConformance,
  assertCellConformance,
  formatConformanceReport,
  CellConformanceError,
  type CellConformanceOptions,
  type CellConformanceReport,
  type ConformanceCheck,
  type ConformanceCheckName,
} from './testing/index.js';
