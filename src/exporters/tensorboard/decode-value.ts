import type { BatchRecord, RunInfo } from '../../core/record.js';
import { RECORD_SCHEMA, RUN_SCHEMA } from './record-summaries.js';
import { decodeStructure } from './rnnbow-codec.js';
import { PLUGINS } from './tags.js';
import { tensorboardProtos, type HParamsPluginDataMessage, type LayoutMessage, type SummaryValueMessage } from './proto.js';
import type { HistogramBucket } from './summaries.js';
import { decodeTensor, readFloat64, type DecodedTensor } from './tensor.js';

const utf8 = new TextDecoder('utf-8');

/**
 * A scalar (plugin `scalars`, or a legacy `simple_value`).
 *
 * @category TensorBoard event files
 */
export interface DecodedScalar {
  /** Discriminator. */
  readonly kind: 'scalar';
  /** The number. */
  readonly value: number;
}

/**
 * A histogram (plugin `histograms`, or a legacy `histo` converted as TensorBoard does).
 *
 * @category TensorBoard event files
 */
export interface DecodedHistogram {
  /** Discriminator. */
  readonly kind: 'histogram';
  /** Buckets in order. */
  readonly buckets: HistogramBucket[];
}

/**
 * Images of one size (plugin `images`, or a legacy image).
 *
 * @category TensorBoard event files
 */
export interface DecodedImage {
  /** Discriminator. */
  readonly kind: 'image';
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** Encoded images (PNG). */
  readonly images: Uint8Array[];
}

/**
 * Text (plugin `text`).
 *
 * @category TensorBoard event files
 */
export interface DecodedText {
  /** Discriminator. */
  readonly kind: 'text';
  /** Strings, row-major. */
  readonly text: string[];
  /** Tensor shape ([] for one string). */
  readonly shape: number[];
}

/**
 * An hparams payload (plugin `hparams`; the data is in the tag's metadata).
 *
 * @category TensorBoard event files
 */
export interface DecodedHParams {
  /** Discriminator. */
  readonly kind: 'hparams';
  /** The payload. */
  readonly data: HParamsPluginDataMessage;
}

/**
 * A custom-scalars layout.
 *
 * @category TensorBoard event files
 */
export interface DecodedLayout {
  /** Discriminator. */
  readonly kind: 'custom_scalars';
  /** The layout. */
  readonly layout: LayoutMessage;
}

/**
 * An rnnbow record (tag `rnnbow/record`).
 *
 * @category TensorBoard event files
 */
export interface DecodedRecord {
  /** Discriminator. */
  readonly kind: 'rnnbow-record';
  /** The record, exactly as written. */
  readonly record: BatchRecord;
}

/**
 * The rnnbow RunInfo (tag `rnnbow/run`).
 *
 * @category TensorBoard event files
 */
export interface DecodedRunInfo {
  /** Discriminator. */
  readonly kind: 'rnnbow-run';
  /** The run info, exactly as written. */
  readonly run: RunInfo;
}

/**
 * Any other tensor.
 *
 * @category TensorBoard event files
 */
export interface DecodedOtherTensor {
  /** Discriminator. */
  readonly kind: 'tensor';
  /** The tensor. */
  readonly tensor: DecodedTensor;
}

/**
 * A value with no data (no tensor and no legacy field).
 *
 * @category TensorBoard event files
 */
export interface DecodedNothing {
  /** Discriminator. */
  readonly kind: 'none';
}

/**
 * A summary value decoded by what it holds.
 *
 * @category TensorBoard event files
 */
export type DecodedValue =
  | DecodedScalar
  | DecodedHistogram
  | DecodedImage
  | DecodedText
  | DecodedHParams
  | DecodedLayout
  | DecodedRecord
  | DecodedRunInfo
  | DecodedOtherTensor
  | DecodedNothing;

/** The `rnnbow` plugin's metadata content: which schema a tensor holds. */
export interface RnnbowContent {
  /** Schema name (`rnnbow-batch`, `rnnbow-run`). */
  schema: string;
  /** Schema version. */
  version: number;
}

/** Parses the `rnnbow` plugin content (JSON); null when it is not one. */
export function parseRnnbowContent(content: Uint8Array | undefined): RnnbowContent | null {
  if (!content || content.length === 0) return null;
  try {
    const v = JSON.parse(utf8.decode(content)) as Partial<RnnbowContent>;
    return typeof v.schema === 'string' && typeof v.version === 'number' ? { schema: v.schema, version: v.version } : null;
  } catch {
    return null;
  }
}

/**
 * Decodes the `[skeleton, numbers]` string tensor of an rnnbow value. Throws on malformed data.
 *
 * @category TensorBoard event files
 */
export function decodeRnnbowTensor(tensor: DecodedTensor): unknown {
  if (tensor.kind !== 'string' || tensor.values.length !== 2) throw new Error(`expected a DT_STRING [2] tensor, got ${tensor.dtype} [${tensor.shape}]`);
  const [skeleton, numbers] = tensor.values;
  if (numbers.length % 8 !== 0) throw new Error(`number buffer of ${numbers.length} bytes is not a whole number of float64s`);
  return decodeStructure(utf8.decode(skeleton), readFloat64(numbers));
}

function expectRecord(v: unknown): BatchRecord {
  const r = v as BatchRecord;
  if (!r || typeof r !== 'object' || typeof r.runId !== 'string' || typeof r.batch !== 'number' || typeof r.params !== 'object' || r.params === null) {
    throw new Error('not an rnnbow BatchRecord (runId, batch or params missing)');
  }
  return r;
}

function expectRun(v: unknown): RunInfo {
  const r = v as RunInfo;
  if (!r || typeof r !== 'object' || typeof r.runId !== 'string' || !Array.isArray(r.vocab)) {
    throw new Error('not an rnnbow RunInfo (runId or vocab missing)');
  }
  return r;
}

/**
 * Decodes one value given the plugin and metadata content its tag was first written with (the
 * run's first metadata wins, as in TensorBoard). Legacy `simple_value`, `histo` and `image`
 * values are converted as TensorBoard converts them. Throws an Error on malformed data.
 *
 * @category TensorBoard event files
 */
export function decodeValue(value: SummaryValueMessage, plugin: string | null, content?: Uint8Array): DecodedValue {
  const own = Object.prototype.hasOwnProperty;
  if (own.call(value, 'simpleValue') && value.simpleValue !== undefined) return { kind: 'scalar', value: value.simpleValue };
  if (value.histo) return { kind: 'histogram', buckets: legacyHistogramBuckets(value.histo) };
  if (value.image) {
    return { kind: 'image', width: value.image.width ?? 0, height: value.image.height ?? 0, images: [value.image.encodedImageString ?? new Uint8Array(0)] };
  }
  if (plugin === PLUGINS.hparams) {
    return { kind: 'hparams', data: tensorboardProtos().HParamsPluginData.decode(content ?? new Uint8Array(0)) };
  }
  if (!value.tensor) return { kind: 'none' };
  const tensor = decodeTensor(value.tensor);
  switch (plugin) {
    case PLUGINS.scalars:
      if (tensor.kind !== 'numeric' || tensor.values.length !== 1) throw new Error(`scalar tensor must hold one number, got ${tensor.dtype} [${tensor.shape}]`);
      return { kind: 'scalar', value: tensor.values[0] };
    case PLUGINS.histograms: {
      if (tensor.kind !== 'numeric' || (tensor.values.length > 0 && (tensor.shape.length !== 2 || tensor.shape[1] !== 3))) {
        throw new Error(`histogram tensor must be numeric [k, 3], got ${tensor.dtype} [${tensor.shape}]`);
      }
      const buckets: HistogramBucket[] = [];
      for (let i = 0; i + 2 < tensor.values.length; i += 3) buckets.push({ left: tensor.values[i], right: tensor.values[i + 1], count: tensor.values[i + 2] });
      return { kind: 'histogram', buckets };
    }
    case PLUGINS.images: {
      if (tensor.kind !== 'string' || tensor.values.length < 2) throw new Error(`image tensor must be DT_STRING [2 + k], got ${tensor.dtype} [${tensor.shape}]`);
      return { kind: 'image', width: Number(utf8.decode(tensor.values[0])), height: Number(utf8.decode(tensor.values[1])), images: tensor.values.slice(2) };
    }
    case PLUGINS.text:
      if (tensor.kind !== 'string') throw new Error(`text tensor must be DT_STRING, got ${tensor.dtype}`);
      return { kind: 'text', text: tensor.values.map((b) => utf8.decode(b)), shape: tensor.shape };
    case PLUGINS.customScalars:
      if (tensor.kind !== 'string' || tensor.values.length !== 1) throw new Error('custom scalars layout must be one DT_STRING');
      return { kind: 'custom_scalars', layout: tensorboardProtos().Layout.decode(tensor.values[0]) };
    case PLUGINS.rnnbow: {
      const schema = parseRnnbowContent(content);
      if (schema?.schema === RECORD_SCHEMA.name) return { kind: 'rnnbow-record', record: expectRecord(decodeRnnbowTensor(tensor)) };
      if (schema?.schema === RUN_SCHEMA.name) return { kind: 'rnnbow-run', run: expectRun(decodeRnnbowTensor(tensor)) };
      return { kind: 'tensor', tensor };
    }
    default:
      return { kind: 'tensor', tensor };
  }
}

/**
 * TensorBoard's conversion of a legacy HistogramProto to buckets: empty buckets at both ends
 * dropped, the first left edge replaced by `min`, the last right edge by `max`.
 *
 * @category TensorBoard event files
 */
export function legacyHistogramBuckets(h: { min?: number; max?: number; bucketLimit?: number[]; bucket?: number[] }): HistogramBucket[] {
  const limits = h.bucketLimit ?? [];
  const counts = h.bucket ?? [];
  let first = 0;
  let last = counts.length - 1;
  while (first <= last && !(counts[first] > 0)) first++;
  while (last >= first && !(counts[last] > 0)) last--;
  if (first > last) return [];
  const buckets: HistogramBucket[] = [];
  for (let i = first; i <= last; i++) {
    const left = i === first ? (h.min ?? 0) : limits[i - 1];
    const right = i === last ? (h.max ?? 0) : limits[i];
    buckets.push({ left, right, count: counts[i] });
  }
  return buckets;
}
