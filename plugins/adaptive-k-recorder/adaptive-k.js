/**
 * The arithmetic of the adaptive-k recorder, free of any import so it can be tested on its own.
 *
 * A record itemized up to distance kMax (with the residual beyond kMax measured) holds, for each
 * step j, magnitudes m[j+d][d] of the gradient that loss j+d sends back to j, for d = 0..kMax, and
 * residual[j] for everything further. Truncating at k < kMax drops the terms d = k+1..kMax and the
 * residual. Their sum's magnitude is not known exactly from magnitudes alone, but the triangle
 * inequality bounds it (l2, meanAbs), and for the signed `mean` reduction, which is linear, the
 * sum of the parts is exact.
 */

/**
 * Per step j, a bound on the magnitude of what truncating at `k` drops.
 *
 * @param {import('rnnbow').RecordedParam} param itemized with distances up to kMax >= k
 * @param {number} k
 * @returns {number[]}
 */
export function droppedBound(param, k) {
  const n = param.byDistance.length;
  const out = new Array(n).fill(0);
  for (let t = 0; t < n; t++) {
    const row = param.byDistance[t];
    for (let d = k + 1; d < row.length; d++) out[t - d] += Math.abs(row[d]);
  }
  if (param.residual) for (let j = 0; j < n; j++) out[j] += Math.abs(param.residual[j]);
  return out;
}

/**
 * The residual a record cut to `k` carries: exact for the linear `mean` reduction (the signed sum
 * of the dropped parts), the {@link droppedBound} upper bound for `l2` and `meanAbs`.
 *
 * @param {import('rnnbow').RecordedParam} param
 * @param {number} k
 * @param {import('rnnbow').Reduction} reduction
 * @returns {number[]}
 */
export function residualAfterCut(param, k, reduction) {
  if (reduction !== 'mean') return droppedBound(param, k);
  const n = param.byDistance.length;
  const out = param.residual ? [...param.residual] : new Array(n).fill(0);
  for (let t = 0; t < n; t++) {
    const row = param.byDistance[t];
    for (let d = k + 1; d < row.length; d++) out[t - d] += row[d];
  }
  return out;
}

/**
 * The largest bar of a record: max over j of Σ_t |m[t][j]| plus what lies beyond the record's k.
 *
 * @param {import('rnnbow').RecordedParam} param
 * @returns {number}
 */
export function largestBar(param) {
  const bars = droppedBound(param, -1);
  return bars.reduce((a, b) => Math.max(a, b), 0);
}

/**
 * The smallest k whose dropped gradient is at most `epsilon` times the record's largest bar at
 * every step (the paper's ‖S_k − ∂h/∂W‖ < ε, section 4.2.2, made relative); the record's own k when
 * even that is not enough.
 *
 * @param {import('rnnbow').RecordedParam} param itemized up to distance `kAvailable`
 * @param {number} epsilon relative threshold, e.g. 0.05
 * @param {number} kAvailable the record's k (n - 1 for a full record)
 * @returns {number}
 */
export function chooseK(param, epsilon, kAvailable) {
  const limit = epsilon * largestBar(param);
  for (let k = 0; k < kAvailable; k++) {
    if (droppedBound(param, k).every((v) => v <= limit)) return k;
  }
  return kAvailable;
}

/**
 * A copy of `record` truncated to distance `k`: rows and gate rows cut to d <= k, residuals set
 * by {@link residualAfterCut}, `k` and `maxGradient` updated. A `k` at or beyond the record's own
 * returns it unchanged.
 *
 * @param {import('rnnbow').BatchRecord} record
 * @param {number} k
 * @returns {import('rnnbow').BatchRecord}
 */
export function cutRecord(record, k) {
  const available = record.k ?? record.n - 1;
  if (k >= available) return record;
  /** @param {number[][]} rows */
  const cut = (rows) => rows.map((row) => row.slice(0, k + 1));
  /** @type {Record<string, import('rnnbow').RecordedParam>} */
  const params = {};
  for (const [name, p] of Object.entries(record.params)) {
    params[name] = {
      byDistance: cut(p.byDistance),
      ...(p.gates ? { gates: Object.fromEntries(Object.entries(p.gates).map(([g, rows]) => [g, cut(rows)])) } : {}),
      residual: residualAfterCut(p, k, record.reduction),
    };
  }
  const bars = new Array(record.n).fill(0);
  params[record.primary].byDistance.forEach((row, t) => row.forEach((m, d) => (bars[t - d] += Math.abs(m))));
  return { ...record, k, params, maxGradient: bars.reduce((a, b) => Math.max(a, b), 0) };
}
