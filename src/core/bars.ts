/**
 * Bar heights of the paper's area 2: the gradient at step j summed over the losses t >= j that
 * reach it. Magnitudes enter as absolute values so the `mean` reduction (which can be negative)
 * still stacks.
 *
 * @category Gradient engine
 */
export function barHeights(byDistance: readonly (readonly number[])[]): number[] {
  const n = byDistance.length;
  const bars = new Array<number>(n).fill(0);
  for (let t = 0; t < n; t++) {
    const row = byDistance[t];
    for (let d = 0; d < row.length; d++) bars[t - d] += Math.abs(row[d]);
  }
  return bars;
}

/**
 * The batch's max gradient: the tallest bar (the overview's value). NaN if any bar is NaN.
 *
 * @category Gradient engine
 */
export function maxBar(byDistance: readonly (readonly number[])[]): number {
  let max = 0;
  for (const h of barHeights(byDistance)) {
    if (Number.isNaN(h)) return NaN;
    if (h > max) max = h;
  }
  return max;
}
