/**
 * The event-file reader: runs, tags, plugins and steps of a logdir; rnnbow records decoded back
 * exactly; CRCs verified; files still being written followed incrementally; corrupt records
 * reported with file and offset and skipped.
 */
export { EventFileReader, type EventFileCursor, type FileEvent, type FileReadResult, type ReadProblem, type ReadProblemKind } from './reader-event-file.js';
export { RunReader, listRuns, type LogdirListing, type RunLocation, type RunUpdate, type RunValue, type TagSummary } from './reader-run.js';
export {
  decodeValue,
  decodeRnnbowTensor,
  legacyHistogramBuckets,
  type DecodedValue,
  type DecodedScalar,
  type DecodedHistogram,
  type DecodedImage,
  type DecodedText,
  type DecodedHParams,
  type DecodedLayout,
  type DecodedRecord,
  type DecodedRunInfo,
  type DecodedOtherTensor,
  type DecodedNothing,
} from './decode-value.js';
export { decodeTensor, type DecodedTensor } from './tensor.js';
export type { FrameScanState } from './tfrecord.js';
export { inspectLogdir, formatInspectReport, type InspectReport, type InspectedRun, type InspectedFile, type StepRange } from './inspect.js';
export type {
  Int64,
  TensorShapeMessage,
  TensorMessage,
  HistogramMessage,
  SummaryMetadataMessage,
  SummaryImageMessage,
  SummaryValueMessage,
  SummaryMessage,
  EventMessage,
  ProtoValueMessage,
  SessionStartInfoMessage,
  SessionEndInfoMessage,
  ExperimentMessage,
  HParamsPluginDataMessage,
  LayoutMessage,
  VersionedPluginDataMessage,
} from './proto.js';
export type { HistogramBucket } from './summaries.js';
export { isEventFileName } from './event-file-name.js';
