import type { RecordSummary } from './record-summary.js';

/** Where a record's bytes are, so one request reads one record and nothing else. */
export interface RecordLocation {
  /** Which of the run's files (index into the source's file list). */
  file: number;
  /** Byte offset of the record (a JSON line, or an event file frame). */
  offset: number;
  /** Byte length (0 when the reader finds the length itself). */
  length: number;
}

function grow<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(a: T, size: number): T {
  const next = new (a.constructor as new (n: number) => T)(size);
  next.set(a);
  return next;
}

/**
 * The summaries and locations of a run's records in growable typed arrays (a column store): about
 * 100 bytes per record for a vanilla RNN, so 100,000 recorded batches stay small and every range
 * query is a binary search plus one pass over numbers.
 *
 * Records normally arrive in batch order; if one arrives out of order a sorted permutation is
 * built the next time a range is asked for. Positions ("ranks") below are in batch order.
 */
export class RecordIndex {
  /** Records held. */
  count = 0;
  private cap = 0;
  private batches = new Float64Array(0);
  private wallTimes = new Float64Array(0);
  private corpusOffsets = new Float64Array(0);
  private ns = new Uint32Array(0);
  private meanLosses = new Float64Array(0);
  private residuals = new Float64Array(0);
  private masses = new Float64Array(0);
  private flags = new Uint8Array(0);
  private files = new Uint16Array(0);
  private offsets = new Float64Array(0);
  private lengths = new Uint32Array(0);
  private seriesMax = new Float64Array(0);
  private massByDistance = new Float64Array(0);
  private sorted = true;
  private order: Uint32Array | null = null;

  constructor(
    /** Number of series each record has a max for. */
    readonly seriesCount: number,
    /** Distance slots kept per record. */
    readonly width: number,
  ) {}

  /** Appends one record's summary and location. */
  push(s: RecordSummary, at: RecordLocation): void {
    if (this.count === this.cap) this.reserve(Math.max(1024, this.cap * 2));
    const i = this.count;
    if (i > 0 && s.batch < this.batches[i - 1]) this.sorted = false;
    this.order = null;
    this.batches[i] = s.batch;
    this.wallTimes[i] = s.wallTime;
    this.corpusOffsets[i] = s.corpusOffset;
    this.ns[i] = s.n;
    this.meanLosses[i] = s.meanLoss;
    this.residuals[i] = s.residual;
    this.masses[i] = s.mass;
    this.flags[i] = s.nonFinite ? 1 : 0;
    this.files[i] = at.file;
    this.offsets[i] = at.offset;
    this.lengths[i] = at.length;
    for (let k = 0; k < this.seriesCount; k++) this.seriesMax[i * this.seriesCount + k] = s.seriesMax[k] ?? -1;
    for (let d = 0; d < this.width; d++) this.massByDistance[i * this.width + d] = s.massByDistance[d] ?? 0;
    this.count++;
  }

  private reserve(cap: number): void {
    this.batches = grow(this.batches, cap);
    this.wallTimes = grow(this.wallTimes, cap);
    this.corpusOffsets = grow(this.corpusOffsets, cap);
    this.ns = grow(this.ns, cap);
    this.meanLosses = grow(this.meanLosses, cap);
    this.residuals = grow(this.residuals, cap);
    this.masses = grow(this.masses, cap);
    this.flags = grow(this.flags, cap);
    this.files = grow(this.files, cap);
    this.offsets = grow(this.offsets, cap);
    this.lengths = grow(this.lengths, cap);
    this.seriesMax = grow(this.seriesMax, cap * this.seriesCount);
    this.massByDistance = grow(this.massByDistance, cap * this.width);
    this.cap = cap;
  }

  /** Record slot of the record at rank `r` (rank = position in batch order). */
  slot(r: number): number {
    if (this.sorted) return r;
    if (!this.order) {
      const order = new Uint32Array(this.count);
      for (let i = 0; i < order.length; i++) order[i] = i;
      // Stable: a batch recorded twice keeps its arrival order.
      const b = this.batches;
      this.order = order.sort((x, y) => b[x] - b[y] || x - y);
    }
    return this.order[r];
  }

  /** Batch number of rank `r`. */
  batchAt(r: number): number {
    return this.batches[this.slot(r)];
  }

  /** First rank whose batch is >= `batch` (`count` if none). */
  lowerBound(batch: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.batchAt(mid) < batch) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rank of `batch`, or -1 when it was not recorded (the last copy when recorded twice). */
  rankOf(batch: number): number {
    const r = this.lowerBound(batch + 1) - 1;
    return r >= 0 && this.batchAt(r) === batch ? r : -1;
  }

  /** Rank of the recorded batch closest to `batch` (ties go to the earlier), -1 when empty. */
  nearestRank(batch: number): number {
    if (this.count === 0) return -1;
    const r = this.lowerBound(batch);
    if (r === 0) return 0;
    if (r === this.count) return this.count - 1;
    return batch - this.batchAt(r - 1) <= this.batchAt(r) - batch ? r - 1 : r;
  }

  /** Where the record at rank `r` is. */
  location(r: number): RecordLocation {
    const i = this.slot(r);
    return { file: this.files[i], offset: this.offsets[i], length: this.lengths[i] };
  }

  /** Max of series `k` at rank `r`. */
  seriesMaxAt(r: number, k: number): number {
    return this.seriesMax[this.slot(r) * this.seriesCount + k];
  }

  /** Primary-series mass by distance at rank `r` (a view, do not keep). */
  massByDistanceAt(r: number): Float64Array {
    const i = this.slot(r);
    return this.massByDistance.subarray(i * this.width, (i + 1) * this.width);
  }

  /** The scalar facts of rank `r`. */
  factsAt(r: number): { batch: number; wallTime: number; corpusOffset: number; n: number; meanLoss: number; residual: number; mass: number; nonFinite: boolean } {
    const i = this.slot(r);
    return {
      batch: this.batches[i],
      wallTime: this.wallTimes[i],
      corpusOffset: this.corpusOffsets[i],
      n: this.ns[i],
      meanLoss: this.meanLosses[i],
      residual: this.residuals[i],
      mass: this.masses[i],
      nonFinite: this.flags[i] === 1,
    };
  }

  /** Bytes held by the arrays (for the benchmark's memory report). */
  get bytes(): number {
    return [this.batches, this.wallTimes, this.corpusOffsets, this.ns, this.meanLosses, this.residuals, this.masses, this.flags, this.files, this.offsets, this.lengths, this.seriesMax, this.massByDistance].reduce(
      (s, a) => s + a.byteLength,
      0,
    );
  }
}
