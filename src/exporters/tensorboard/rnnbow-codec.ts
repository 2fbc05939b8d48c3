/**
 * Lossless encoding of rnnbow's records for the `rnnbow` plugin tensors. A record becomes
 * (1) a JSON "skeleton" in which every array of numbers is replaced by `{"$f64":[start,length]}`,
 * every array of such arrays (a ragged matrix such as `byDistance`) by
 * `{"$f64":[start,total],"$rows":[length0,length1,...]}`, and every number JSON cannot hold
 * exactly (NaN, ±Infinity, -0) by `{"$f64":index}`, and
 * (2) one float64 little-endian buffer holding those numbers. Other numbers stay inline: JSON
 * round-trips finite doubles exactly. Object keys that start with `$` are written with one more
 * `$`, so user data (a config) can never be mistaken for a marker.
 */

/** Marker key of a number reference. */
const MARK = '$f64';
/** Marker key of the row lengths of a ragged matrix. */
const ROWS = '$rows';

/** The two parts of an encoded value. */
export interface EncodedStructure {
  /** JSON text of the skeleton. */
  readonly skeleton: string;
  /** The numbers the skeleton points into. */
  readonly numbers: Float64Array;
}

class NumberSink {
  data = new Float64Array(1024);
  length = 0;
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Float64Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

function isNumberArray(a: unknown): a is number[] {
  if (!Array.isArray(a) || a.length === 0) return false;
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number') return false;
  return true;
}

function isMatrix(a: unknown[]): a is number[][] {
  if (a.length === 0) return false;
  for (let i = 0; i < a.length; i++) if (!isNumberArray(a[i])) return false;
  return true;
}

function pushAll(sink: NumberSink, values: readonly number[]): void {
  sink.reserve(values.length);
  const data = sink.data;
  let at = sink.length;
  for (let i = 0; i < values.length; i++) data[at++] = values[i];
  sink.length = at;
}

function jsonSafe(x: number): boolean {
  return Number.isFinite(x) && !Object.is(x, -0);
}

function toSkeleton(value: unknown, sink: NumberSink): unknown {
  if (typeof value === 'number') {
    if (jsonSafe(value)) return value;
    sink.reserve(1);
    sink.data[sink.length] = value;
    return { [MARK]: sink.length++ };
  }
  if (Array.isArray(value)) {
    if (isNumberArray(value)) {
      const start = sink.length;
      pushAll(sink, value);
      return { [MARK]: [start, value.length] };
    }
    if (isMatrix(value)) {
      const start = sink.length;
      const rows = new Array<number>(value.length);
      for (let i = 0; i < value.length; i++) {
        rows[i] = value[i].length;
        pushAll(sink, value[i]);
      }
      return { [MARK]: [start, sink.length - start], [ROWS]: rows };
    }
    return value.map((v) => toSkeleton(v, sink));
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return toSkeleton(Array.from(value as unknown as ArrayLike<number>), sink);
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[k.startsWith('$') ? `$${k}` : k] = toSkeleton(v, sink);
    }
    return out;
  }
  return value;
}

/** Encodes any JSON-like value (objects, arrays, strings, booleans, null, numbers of any kind). */
export function encodeStructure(value: unknown): EncodedStructure {
  const sink = new NumberSink();
  const skeleton = JSON.stringify(toSkeleton(value, sink));
  return { skeleton, numbers: sink.data.subarray(0, sink.length) };
}

function fromSkeleton(node: unknown, numbers: Float64Array): unknown {
  if (Array.isArray(node)) return node.map((v) => fromSkeleton(v, numbers));
  if (node !== null && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length === 2 && keys.includes(MARK) && keys.includes(ROWS)) return matrixFrom(node as Record<string, unknown>, numbers);
    if (keys.length === 1 && keys[0] === MARK) {
      const ref = (node as Record<string, unknown>)[MARK];
      if (typeof ref === 'number') {
        if (!Number.isInteger(ref) || ref < 0 || ref >= numbers.length) throw new Error(`number reference ${ref} out of range (${numbers.length} numbers)`);
        return numbers[ref];
      }
      if (Array.isArray(ref) && ref.length === 2) {
        const [start, len] = ref as number[];
        if (!Number.isInteger(start) || !Number.isInteger(len) || start < 0 || len < 0 || start + len > numbers.length) {
          throw new Error(`number range [${start}, ${len}] out of range (${numbers.length} numbers)`);
        }
        return Array.from(numbers.subarray(start, start + len));
      }
      throw new Error(`malformed number reference ${JSON.stringify(ref)}`);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k.startsWith('$$') ? k.slice(1) : k] = fromSkeleton(v, numbers);
    return out;
  }
  return node;
}

function matrixFrom(node: Record<string, unknown>, numbers: Float64Array): number[][] {
  const ref = node[MARK];
  const rows = node[ROWS];
  if (!Array.isArray(ref) || ref.length !== 2 || !Array.isArray(rows)) throw new Error(`malformed matrix reference ${JSON.stringify(node)}`);
  const [start, total] = ref as number[];
  const sum = (rows as number[]).reduce((a, b) => a + b, 0);
  if (!Number.isInteger(start) || start < 0 || sum !== total || start + total > numbers.length || !(rows as unknown[]).every((r) => Number.isInteger(r) && (r as number) >= 0)) {
    throw new Error(`matrix reference [${start}, ${total}] with rows summing to ${sum} does not fit ${numbers.length} numbers`);
  }
  const out: number[][] = [];
  let at = start;
  for (const len of rows as number[]) {
    out.push(Array.from(numbers.subarray(at, at + len)));
    at += len;
  }
  return out;
}

/** Inverse of {@link encodeStructure}. Throws an Error on a malformed skeleton. */
export function decodeStructure(skeleton: string, numbers: Float64Array): unknown {
  return fromSkeleton(JSON.parse(skeleton), numbers);
}
