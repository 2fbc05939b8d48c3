import { DataType, tensorboardProtos, type HParamsPluginDataMessage, type LayoutMessage, type SummaryMetadataMessage, type SummaryValueMessage, type TensorMessage } from './proto.js';
import { PLUGINS, TAGS } from './tags.js';
import { doubleTensor, floatScalarTensor, stringTensor } from './tensor.js';

/**
 * Builders of one `Summary.Value` per kind, each in the form TensorBoard's own `summary_v2`
 * writers produce (tensor value + plugin metadata). Every value carries its metadata; the
 * writer drops it from all but the first value of a tag, as TensorBoard's writers do.
 */

/** Optional text TensorBoard shows with a tag. */
export interface ValueDescription {
  /** Markdown shown in the dashboard's tooltip/description of the tag. */
  description?: string;
}

/** Serialized `{version: 0}` payloads, built once (they never change). */
let versionContent: Record<'scalars' | 'histograms' | 'images' | 'text', Uint8Array> | null = null;

function pluginContent(kind: 'scalars' | 'histograms' | 'images' | 'text'): Uint8Array {
  if (!versionContent) {
    const p = tensorboardProtos();
    versionContent = {
      scalars: p.ScalarPluginData.encode({ version: 0 }),
      histograms: p.HistogramPluginData.encode({ version: 0 }),
      images: p.ImagePluginData.encode({ version: 0 }),
      text: p.TextPluginData.encode({ version: 0 }),
    };
  }
  return versionContent[kind];
}

const utf8 = new TextEncoder();

function metadata(pluginName: string, content: Uint8Array, opts?: ValueDescription): SummaryMetadataMessage {
  const md: SummaryMetadataMessage = { pluginData: { pluginName, content } };
  if (opts?.description) md.summaryDescription = opts.description;
  return md;
}

/** A scalar: rank-0 DT_FLOAT tensor, plugin `scalars` (the only numeric form every TensorBoard loader reads). */
export function scalarValue(tag: string, value: number, opts?: ValueDescription): SummaryValueMessage {
  return { tag, metadata: metadata(PLUGINS.scalars, pluginContent('scalars'), opts), tensor: floatScalarTensor(value) };
}

/**
 * One histogram bucket: the interval [left, right] holding `count`.
 *
 * @category TensorBoard event files
 */
export interface HistogramBucket {
  /** Left edge. */
  left: number;
  /** Right edge. */
  right: number;
  /** Mass (count) in the bucket. */
  count: number;
}

/** A histogram: `[k, 3]` DT_DOUBLE tensor of (left, right, count) rows, plugin `histograms`. */
export function histogramValue(tag: string, buckets: readonly HistogramBucket[], opts?: ValueDescription): SummaryValueMessage {
  const flat = new Float64Array(buckets.length * 3);
  buckets.forEach((b, i) => {
    flat[3 * i] = b.left;
    flat[3 * i + 1] = b.right;
    flat[3 * i + 2] = b.count;
  });
  return { tag, metadata: metadata(PLUGINS.histograms, pluginContent('histograms'), opts), tensor: doubleTensor(flat, [buckets.length, 3]) };
}

/**
 * Images of one size: DT_STRING `[2 + k]` holding width and height as decimal text, then k encoded
 * images (PNG), plugin `images`.
 */
export function imageValue(tag: string, width: number, height: number, images: readonly Uint8Array[], opts?: ValueDescription): SummaryValueMessage {
  const tensor = stringTensor([String(width), String(height), ...images], [2 + images.length]);
  return { tag, metadata: metadata(PLUGINS.images, pluginContent('images'), opts), tensor };
}

/** Markdown text: a rank-0 DT_STRING tensor, plugin `text`. */
export function textValue(tag: string, markdown: string, opts?: ValueDescription): SummaryValueMessage {
  return { tag, metadata: metadata(PLUGINS.text, pluginContent('text'), opts), tensor: stringTensor([markdown], []) };
}

/** The custom-scalars layout: tag `custom_scalars__config__`, a rank-0 DT_STRING holding the Layout. */
export function customScalarsValue(layout: LayoutMessage): SummaryValueMessage {
  const bytes = tensorboardProtos().Layout.encode({ ...layout, version: 0 });
  return { tag: TAGS.customScalarsLayout, metadata: metadata(PLUGINS.customScalars, new Uint8Array(0)), tensor: stringTensor([bytes], []) };
}

/** The empty float tensor TensorBoard's hparams writers attach (the payload is in the metadata). */
function nullTensor(): TensorMessage {
  return { dtype: DataType.DT_FLOAT, tensorShape: { dim: [{ size: 0 }] } };
}

/**
 * An hparams value: the payload is `plugin_data.content`, a serialized HParamsPluginData
 * (version 0) with exactly one of experiment / session start / session end.
 */
export function hparamsValue(tag: string, data: Omit<HParamsPluginDataMessage, 'version'>): SummaryValueMessage {
  const content = tensorboardProtos().HParamsPluginData.encode({ version: 0, ...data });
  return { tag, metadata: metadata(PLUGINS.hparams, content), tensor: nullTensor() };
}

/**
 * An rnnbow record: DT_STRING `[2]` = [JSON skeleton (UTF-8), float64 little-endian numbers]
 * (see rnnbow-codec.ts), plugin `rnnbow` whose content names the schema.
 */
export function rnnbowValue(tag: string, schema: string, version: number, skeleton: string, numbers: Uint8Array): SummaryValueMessage {
  const content = utf8.encode(JSON.stringify({ schema, version, encoding: 'json+f64' }));
  return { tag, metadata: metadata(PLUGINS.rnnbow, content), tensor: stringTensor([skeleton, numbers], [2]) };
}
