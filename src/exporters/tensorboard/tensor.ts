import { DataType, int64ToNumber, type TensorMessage } from './proto.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const utf8 = new TextEncoder();

/** Little-endian bytes of float64 values (a view, not a copy, on little-endian machines). */
export function float64Bytes(values: ArrayLike<number>): Uint8Array {
  const arr = values instanceof Float64Array ? values : Float64Array.from(values);
  if (LITTLE_ENDIAN) return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  const out = Buffer.allocUnsafe(arr.length * 8);
  for (let i = 0; i < arr.length; i++) out.writeDoubleLE(arr[i], i * 8);
  return out;
}

/** Reads little-endian float64 values from bytes at any alignment. */
export function readFloat64(bytes: Uint8Array): Float64Array {
  const n = Math.floor(bytes.length / 8);
  const out = new Float64Array(n);
  if (LITTLE_ENDIAN) {
    new Uint8Array(out.buffer).set(bytes.subarray(0, n * 8));
    return out;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
  return out;
}

function shapeOf(shape: readonly number[]) {
  return { dim: shape.map((size) => ({ size })) };
}

/**
 * A DT_DOUBLE tensor in `tensor_content` (exact float64, including NaN and ±Infinity).
 * `values` is row-major with `shape`'s element count; `shape` [] is a rank-0 scalar.
 */
export function doubleTensor(values: ArrayLike<number>, shape: readonly number[]): TensorMessage {
  return { dtype: DataType.DT_DOUBLE, tensorShape: shapeOf(shape), tensorContent: float64Bytes(values) };
}

/**
 * A rank-0 DT_FLOAT tensor, as `tf.summary.scalar` writes one. TensorBoard's default (fast)
 * loader reads scalars only as DT_FLOAT (or `simple_value`) and drops a DT_DOUBLE one without
 * a word, so scalars are float32 whatever their source's precision.
 */
export function floatScalarTensor(value: number): TensorMessage {
  return { dtype: DataType.DT_FLOAT, tensorShape: shapeOf([]), floatVal: [value] };
}

/** A DT_STRING tensor of UTF-8 strings or raw bytes, row-major with `shape`. */
export function stringTensor(values: readonly (string | Uint8Array)[], shape: readonly number[]): TensorMessage {
  return {
    dtype: DataType.DT_STRING,
    tensorShape: shapeOf(shape),
    stringVal: values.map((v) => (typeof v === 'string' ? utf8.encode(v) : v)),
  };
}

/**
 * A tensor decoded to JS arrays.
 *
 * @category TensorBoard event files
 */
export type DecodedTensor =
  | {
      /** Numeric element type name (`DT_DOUBLE`, `DT_FLOAT`, ...). */
      readonly dtype: string;
      /** Dimensions, outermost first. */
      readonly shape: number[];
      /** Discriminator. */
      readonly kind: 'numeric';
      /** Elements, row-major, widened to float64 (int64 beyond 2^53 loses precision). */
      readonly values: Float64Array;
    }
  | {
      /** `DT_STRING`. */
      readonly dtype: string;
      /** Dimensions, outermost first. */
      readonly shape: number[];
      /** Discriminator. */
      readonly kind: 'string';
      /** Elements as raw bytes, row-major. */
      readonly values: Uint8Array[];
    };

const NAMES = Object.fromEntries(Object.entries(DataType).map(([k, v]) => [v, k])) as Record<number, string>;

/** Bytes per element and reader of `tensor_content` for each numeric dtype. */
const CONTENT_READERS: Record<number, { size: number; read: (v: DataView, at: number) => number }> = {
  [DataType.DT_FLOAT]: { size: 4, read: (v, at) => v.getFloat32(at, true) },
  [DataType.DT_DOUBLE]: { size: 8, read: (v, at) => v.getFloat64(at, true) },
  [DataType.DT_INT32]: { size: 4, read: (v, at) => v.getInt32(at, true) },
  [DataType.DT_UINT8]: { size: 1, read: (v, at) => v.getUint8(at) },
  [DataType.DT_INT16]: { size: 2, read: (v, at) => v.getInt16(at, true) },
  [DataType.DT_INT8]: { size: 1, read: (v, at) => v.getInt8(at) },
  [DataType.DT_INT64]: { size: 8, read: (v, at) => Number(v.getBigInt64(at, true)) },
  [DataType.DT_BOOL]: { size: 1, read: (v, at) => v.getUint8(at) },
  [DataType.DT_UINT16]: { size: 2, read: (v, at) => v.getUint16(at, true) },
  [DataType.DT_UINT32]: { size: 4, read: (v, at) => v.getUint32(at, true) },
  [DataType.DT_UINT64]: { size: 8, read: (v, at) => Number(v.getBigUint64(at, true)) },
};

/** The list field TensorBoard reads for each dtype when `tensor_content` is empty. */
function typedList(t: TensorMessage): ArrayLike<number> | undefined {
  switch (t.dtype) {
    case DataType.DT_FLOAT:
      return t.floatVal;
    case DataType.DT_DOUBLE:
      return t.doubleVal;
    case DataType.DT_INT32:
    case DataType.DT_INT16:
    case DataType.DT_INT8:
    case DataType.DT_UINT8:
    case DataType.DT_UINT16:
      return t.intVal;
    case DataType.DT_INT64:
      return t.int64Val?.map(int64ToNumber);
    case DataType.DT_BOOL:
      return t.boolVal?.map((b) => (b ? 1 : 0));
    case DataType.DT_UINT32:
      return t.uint32Val;
    case DataType.DT_UINT64:
      return t.uint64Val?.map(int64ToNumber);
    default:
      return undefined;
  }
}

/**
 * Decodes a TensorProto the way TensorBoard does (`tensor_util.make_ndarray`): `tensor_content`
 * must hold exactly every element; a typed list holds every element or one that is broadcast.
 * Throws an Error naming the mismatch otherwise.
 *
 * @category TensorBoard event files
 */
export function decodeTensor(t: TensorMessage): DecodedTensor {
  const shape = (t.tensorShape?.dim ?? []).map((d) => int64ToNumber(d.size));
  const count = shape.reduce((a, b) => a * b, 1);
  const dtype = NAMES[t.dtype ?? 0] ?? `DT_${t.dtype}`;
  if (t.dtype === DataType.DT_STRING) {
    const list = t.stringVal ?? [];
    if (list.length === count) return { dtype, shape, kind: 'string', values: [...list] };
    if (list.length === 1) return { dtype, shape, kind: 'string', values: Array.from({ length: count }, () => list[0]) };
    throw new Error(`DT_STRING tensor of shape [${shape}] holds ${list.length} strings`);
  }
  const reader = CONTENT_READERS[t.dtype ?? 0];
  if (!reader) throw new Error(`unsupported tensor dtype ${dtype}`);
  const content = t.tensorContent;
  if (content && content.length > 0) {
    if (content.length !== count * reader.size) {
      throw new Error(`${dtype} tensor of shape [${shape}] has ${content.length} content bytes, expected ${count * reader.size}`);
    }
    if (t.dtype === DataType.DT_DOUBLE) return { dtype, shape, kind: 'numeric', values: readFloat64(content) };
    const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = reader.read(view, i * reader.size);
    return { dtype, shape, kind: 'numeric', values };
  }
  const list = typedList(t) ?? [];
  if (list.length === count) return { dtype, shape, kind: 'numeric', values: Float64Array.from(list) };
  if (list.length === 1) return { dtype, shape, kind: 'numeric', values: new Float64Array(count).fill(list[0]) };
  if (count === 0 && list.length === 0) return { dtype, shape, kind: 'numeric', values: new Float64Array(0) };
  throw new Error(`${dtype} tensor of shape [${shape}] holds ${list.length} values`);
}
