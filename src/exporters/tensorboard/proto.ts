import { join } from 'node:path';
import protobuf from 'protobufjs';
import { packageRoot } from '../../core/package-root.js';

/**
 * Typed access to TensorBoard's messages, loaded at run time from the package's `proto/` folder
 * by protobufjs. Field names are protobufjs's camelCase of the .proto names; enums are numbers.
 */

/** `tensorboard.DataType` values rnnbow uses or recognises. */
export const DataType = {
  DT_INVALID: 0,
  DT_FLOAT: 1,
  DT_DOUBLE: 2,
  DT_INT32: 3,
  DT_UINT8: 4,
  DT_INT16: 5,
  DT_INT8: 6,
  DT_STRING: 7,
  DT_INT64: 9,
  DT_BOOL: 10,
  DT_UINT16: 17,
  DT_HALF: 19,
  DT_UINT32: 22,
  DT_UINT64: 23,
} as const;

/** `tensorboard.DataClass` values. */
export const DataClass = {
  DATA_CLASS_UNKNOWN: 0,
  DATA_CLASS_SCALAR: 1,
  DATA_CLASS_TENSOR: 2,
  DATA_CLASS_BLOB_SEQUENCE: 3,
} as const;

/** `tensorboard.hparams.Status` values. */
export const HParamsStatus = {
  STATUS_UNKNOWN: 0,
  STATUS_SUCCESS: 1,
  STATUS_FAILURE: 2,
  STATUS_RUNNING: 3,
} as const;

/** `tensorboard.hparams.DataType` values. */
export const HParamsDataType = {
  DATA_TYPE_UNSET: 0,
  DATA_TYPE_STRING: 1,
  DATA_TYPE_BOOL: 2,
  DATA_TYPE_FLOAT64: 3,
} as const;

/** `tensorboard.hparams.DatasetType` values. */
export const DatasetType = {
  DATASET_UNKNOWN: 0,
  DATASET_TRAINING: 1,
  DATASET_VALIDATION: 2,
} as const;

/** `SessionLog.SessionStatus` values. */
export const SessionStatus = {
  STATUS_UNSPECIFIED: 0,
  START: 1,
  STOP: 2,
  CHECKPOINT: 3,
} as const;

/**
 * An int64 as protobufjs decodes it (a `Long`) or as a writer passes it.
 *
 * @category TensorBoard protos
 */
export type Int64 = number | protobuf.Long;

/** Converts a decoded int64 to a JS number (exact below 2^53, which steps and sizes are). */
export function int64ToNumber(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  return (v.unsigned ? v.high >>> 0 : v.high | 0) * 0x100000000 + (v.low >>> 0);
}

/**
 * `tensorboard.TensorShapeProto`.
 *
 * @category TensorBoard protos
 */
export interface TensorShapeMessage {
  /** Dimensions, outermost first. */
  dim?: {
    /** Size of the dimension. */
    size?: Int64;
    /** Optional name. */
    name?: string;
  }[];
  /** True when the rank is unknown. */
  unknownRank?: boolean;
}

/**
 * `tensorboard.TensorProto` (the fields rnnbow reads or writes).
 *
 * @category TensorBoard protos
 */
export interface TensorMessage {
  /** A `DataType` value (TensorFlow's dtype enum). */
  dtype?: number;
  /** Shape; absent or no dims = rank 0. */
  tensorShape?: TensorShapeMessage;
  /** Raw little-endian element bytes. */
  tensorContent?: Uint8Array;
  /** DT_FLOAT elements. */
  floatVal?: number[];
  /** DT_DOUBLE elements. */
  doubleVal?: number[];
  /** DT_INT32/INT16/INT8/UINT8/UINT16 elements. */
  intVal?: number[];
  /** DT_INT64 elements. */
  int64Val?: Int64[];
  /** DT_BOOL elements. */
  boolVal?: boolean[];
  /** DT_HALF elements (bit patterns). */
  halfVal?: number[];
  /** DT_UINT32 elements. */
  uint32Val?: number[];
  /** DT_UINT64 elements. */
  uint64Val?: Int64[];
  /** DT_STRING elements. */
  stringVal?: Uint8Array[];
}

/**
 * `tensorboard.HistogramProto` (legacy histogram).
 *
 * @category TensorBoard protos
 */
export interface HistogramMessage {
  /** Smallest value. */
  min?: number;
  /** Largest value. */
  max?: number;
  /** Number of values. */
  num?: number;
  /** Sum of values. */
  sum?: number;
  /** Sum of squared values. */
  sumSquares?: number;
  /** Right edge of each bucket. */
  bucketLimit?: number[];
  /** Count of each bucket. */
  bucket?: number[];
}

/**
 * `tensorboard.SummaryMetadata`.
 *
 * @category TensorBoard protos
 */
export interface SummaryMetadataMessage {
  /** The plugin that owns the tag and its payload. */
  pluginData?: {
    /** Plugin name (`scalars`, `histograms`, `rnnbow`, ...). */
    pluginName?: string;
    /** The plugin's own serialized payload. */
    content?: Uint8Array;
  };
  /** Display name. */
  displayName?: string;
  /** Markdown description. */
  summaryDescription?: string;
  /** A `DataClass` value. */
  dataClass?: number;
}

/**
 * `tensorboard.Summary.Image` (legacy image).
 *
 * @category TensorBoard protos
 */
export interface SummaryImageMessage {
  /** Height in pixels. */
  height?: number;
  /** Width in pixels. */
  width?: number;
  /** Colour space code. */
  colorspace?: number;
  /** Encoded image (PNG). */
  encodedImageString?: Uint8Array;
}

/**
 * `tensorboard.Summary.Value`.
 *
 * @category TensorBoard protos
 */
export interface SummaryValueMessage {
  /** Tag (series name). */
  tag?: string;
  /** Plugin association; TensorBoard keeps the first per (run, tag). */
  metadata?: SummaryMetadataMessage;
  /** Legacy float32 scalar. */
  simpleValue?: number;
  /** Legacy image. */
  image?: SummaryImageMessage;
  /** Legacy histogram. */
  histo?: HistogramMessage;
  /** Tensor value (the modern form of every kind). */
  tensor?: TensorMessage;
}

/**
 * `tensorboard.Summary`.
 *
 * @category TensorBoard protos
 */
export interface SummaryMessage {
  /** Values of the summary. */
  value?: SummaryValueMessage[];
}

/**
 * `tensorboard.Event`.
 *
 * @category TensorBoard protos
 */
export interface EventMessage {
  /** Seconds since the epoch. */
  wallTime?: number;
  /** Global step. */
  step?: Int64;
  /** File version marker of the first record. */
  fileVersion?: string;
  /** Summary payload. */
  summary?: SummaryMessage;
  /** Session log (START/STOP/CHECKPOINT). */
  sessionLog?: {
    /** SessionLog.SessionStatus (1 = START, 2 = STOP, 3 = CHECKPOINT). */
    status?: number;
    /** Checkpoint path, for CHECKPOINT entries. */
    checkpointPath?: string;
    /** Free-form message. */
    msg?: string;
  };
  /** Serialized GraphDef (not used by rnnbow). */
  graphDef?: Uint8Array;
  /** Serialized MetaGraphDef (not used by rnnbow). */
  metaGraphDef?: Uint8Array;
  /** Writer identification (first record). */
  sourceMetadata?: {
    /** Name of the program that wrote the file. */
    writer?: string;
  };
}

/**
 * `google.protobuf.Value` as used in hparams (one of the fields set).
 *
 * @category TensorBoard protos
 */
export interface ProtoValueMessage {
  /** A number. */
  numberValue?: number;
  /** A string. */
  stringValue?: string;
  /** A boolean. */
  boolValue?: boolean;
}

/**
 * `tensorboard.hparams.SessionStartInfo`.
 *
 * @category TensorBoard protos
 */
export interface SessionStartInfoMessage {
  /** Hyperparameter values by name. */
  hparams?: Record<string, ProtoValueMessage>;
  /** Where checkpoints are. */
  modelUri?: string;
  /** Session group name (empty = its own). */
  groupName?: string;
  /** Start time, seconds since the epoch. */
  startTimeSecs?: number;
}

/**
 * `tensorboard.hparams.SessionEndInfo`.
 *
 * @category TensorBoard protos
 */
export interface SessionEndInfoMessage {
  /** An `HParamsStatus` value. */
  status?: number;
  /** End time, seconds since the epoch. */
  endTimeSecs?: number;
}

/**
 * `tensorboard.hparams.Experiment` (the parts rnnbow writes).
 *
 * @category TensorBoard protos
 */
export interface ExperimentMessage {
  /** Markdown description. */
  description?: string;
  /** Creation time, seconds since the epoch. */
  timeCreatedSecs?: number;
  /** Declared hyperparameters. */
  hparamInfos?: {
    /** Hyperparameter name. */
    name?: string;
    /** Label in the dashboard. */
    displayName?: string;
    /** Description. */
    description?: string;
    /** An `HParamsDataType` value. */
    type?: number;
  }[];
  /** Declared metrics (scalar tags). */
  metricInfos?: {
    /** The scalar series: run-relative group and tag. */
    name?: {
      /** Sub-run, empty for the session's own folder. */
      group?: string;
      /** Scalar tag. */
      tag?: string;
    };
    /** Label in the dashboard. */
    displayName?: string;
    /** Description. */
    description?: string;
    /** A `DatasetType` value. */
    datasetType?: number;
  }[];
}

/**
 * `tensorboard.hparams.HParamsPluginData`.
 *
 * @category TensorBoard protos
 */
export interface HParamsPluginDataMessage {
  /** Must be 0. */
  version?: number;
  /** Experiment declaration. */
  experiment?: ExperimentMessage;
  /** A session's start (its hparams). */
  sessionStartInfo?: SessionStartInfoMessage;
  /** A session's end (its status). */
  sessionEndInfo?: SessionEndInfoMessage;
}

/**
 * `tensorboard.Layout` of the custom-scalars dashboard.
 *
 * @category TensorBoard protos
 */
export interface LayoutMessage {
  /** Must be 0. */
  version?: number;
  /** Categories, top to bottom. */
  category?: {
    /** Category title. */
    title?: string;
    /** Collapsed by default. */
    closed?: boolean;
    /** Charts in the category. */
    chart?: {
      /** Chart title. */
      title?: string;
      /** A line chart of every tag matching these regular expressions. */
      multiline?: {
        /** Tag regular expressions. */
        tag?: string[];
      };
      /** A chart of a value with lower and upper bounds. */
      margin?: {
        /** The series drawn. */
        series?: {
          /** Tag of the value. */
          value?: string;
          /** Tag of the lower bound. */
          lower?: string;
          /** Tag of the upper bound. */
          upper?: string;
        }[];
      };
    }[];
  }[];
}

/**
 * `{version}` payload of the scalars, histograms and text plugins; images add a flag.
 *
 * @category TensorBoard protos
 */
export interface VersionedPluginDataMessage {
  /** Must be 0. */
  version?: number;
  /** Images only: set by TensorBoard for converted legacy images. */
  convertedToTensor?: boolean;
}

/** An encoder/decoder pair for one message type. */
export interface MessageCodec<T> {
  /** Serializes a message. */
  encode(message: T): Uint8Array;
  /** Parses bytes; throws on malformed input. */
  decode(bytes: Uint8Array): T;
}

/** Codecs of every message rnnbow writes or reads on its own. */
export interface TensorBoardProtos {
  /** `tensorboard.Event`. */
  readonly Event: MessageCodec<EventMessage>;
  /** `tensorboard.Summary`. */
  readonly Summary: MessageCodec<SummaryMessage>;
  /** `tensorboard.TensorProto`. */
  readonly TensorProto: MessageCodec<TensorMessage>;
  /** `tensorboard.Layout`. */
  readonly Layout: MessageCodec<LayoutMessage>;
  /** `tensorboard.hparams.HParamsPluginData`. */
  readonly HParamsPluginData: MessageCodec<HParamsPluginDataMessage>;
  /** `tensorboard.ScalarPluginData`. */
  readonly ScalarPluginData: MessageCodec<VersionedPluginDataMessage>;
  /** `tensorboard.HistogramPluginData`. */
  readonly HistogramPluginData: MessageCodec<VersionedPluginDataMessage>;
  /** `tensorboard.ImagePluginData`. */
  readonly ImagePluginData: MessageCodec<VersionedPluginDataMessage>;
  /** `tensorboard.TextPluginData`. */
  readonly TextPluginData: MessageCodec<VersionedPluginDataMessage>;
}

/** .proto files, relative to the package's proto/ folder. */
const PROTO_FILES = [
  'tensorboard/event.proto',
  'tensorboard/plugins/scalar.proto',
  'tensorboard/plugins/histogram.proto',
  'tensorboard/plugins/image.proto',
  'tensorboard/plugins/text.proto',
  'tensorboard/plugins/custom_scalar.proto',
  'tensorboard/plugins/hparams.proto',
];

/** The package's proto/ folder (at the package root, beside src/ and dist/). */
export function protoDir(): string {
  return join(packageRoot(), 'proto');
}

function codec<T>(root: protobuf.Root, name: string): MessageCodec<T> {
  const type = root.lookupType(name);
  return {
    encode: (message: T) => type.encode(message as unknown as Record<string, unknown>).finish(),
    decode: (bytes: Uint8Array) => type.decode(bytes) as unknown as T,
  };
}

let cached: TensorBoardProtos | null = null;

/** Loads (once per process) and returns the message codecs. */
export function tensorboardProtos(): TensorBoardProtos {
  if (cached) return cached;
  const base = protoDir();
  const root = new protobuf.Root();
  // Imports name paths relative to proto/, like protoc's include path.
  root.resolvePath = (_origin: string, target: string) => (target.startsWith(base) ? target : join(base, target));
  root.loadSync(PROTO_FILES.map((f) => join(base, f)));
  root.resolveAll();
  cached = {
    Event: codec(root, 'tensorboard.Event'),
    Summary: codec(root, 'tensorboard.Summary'),
    TensorProto: codec(root, 'tensorboard.TensorProto'),
    Layout: codec(root, 'tensorboard.Layout'),
    HParamsPluginData: codec(root, 'tensorboard.hparams.HParamsPluginData'),
    ScalarPluginData: codec(root, 'tensorboard.ScalarPluginData'),
    HistogramPluginData: codec(root, 'tensorboard.HistogramPluginData'),
    ImagePluginData: codec(root, 'tensorboard.ImagePluginData'),
    TextPluginData: codec(root, 'tensorboard.TextPluginData'),
  };
  return cached;
}
