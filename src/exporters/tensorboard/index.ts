import type { ExporterDefinition } from '../../core/exporter.js';
import { TensorBoardExporter } from './exporter.js';
import { parseTensorBoardOptions } from './options.js';

/**
 * The TensorBoard exporter kind: event files that an unmodified TensorBoard loads
 * (`tensorboard --logdir runs`). Options: {@link TensorBoardOptions}.
 *
 * @category TensorBoard event files
 */
export const tensorboardExporter: ExporterDefinition = {
  name: 'tensorboard',
  description: 'TensorBoard event files (scalars, histograms, images, text, hparams, full records)',
  create(options: Record<string, unknown>) {
    return new TensorBoardExporter(parseTensorBoardOptions(options));
  },
};

export { TensorBoardExporter } from './exporter.js';
export { DEFAULT_TENSORBOARD_OPTIONS, parseTensorBoardOptions, type TensorBoardOptions } from './options.js';
export { EventFileWriter, FILE_VERSION, type EventFileWriterOptions, type WriterFileSystem } from './event-file-writer.js';
export { TAGS, PLUGINS } from './tags.js';
export { horizonLength, rowHorizon, massByDistance, meanResidual, magnitudeMatrix, DEFAULT_HORIZON_FRACTION } from './horizon.js';
export type { HistogramBucket } from './summaries.js';
export {
  tensorboardProtos,
  int64ToNumber,
  type TensorBoardProtos,
  type MessageCodec,
  type EventMessage,
  type SummaryMessage,
  type SummaryValueMessage,
  type SummaryMetadataMessage,
  type SummaryImageMessage,
  type TensorMessage,
  type TensorShapeMessage,
  type HistogramMessage,
  type HParamsPluginDataMessage,
  type SessionStartInfoMessage,
  type SessionEndInfoMessage,
  type ExperimentMessage,
  type ProtoValueMessage,
  type LayoutMessage,
  type VersionedPluginDataMessage,
  type Int64,
} from './proto.js';
export * from './reader.js';
