// Legend rows: entries placed left to right, wrapping onto a new row where the next one does not
// fit. One helper for every legend of a panel, so none of them drops an entry on a narrow panel.

/**
 * Places legend entries (d3 selections of `g` elements, each drawn at its own origin) in rows
 * that wrap, and says how many rows that took, so the chart around the legend can make room.
 *
 * Why: a legend that stops where the next entry does not fit silently leaves shades unnamed on a
 * phone or in compare mode, while the chart still draws them; wrapping names every one. Each
 * entry's width is measured (getBBox), never guessed from its text's length.
 *
 * Everything on one row starts at `left` when it all fits between `left` and `right`; otherwise
 * every row starts at `wrapLeft` (a narrow panel may start its rows further left to gain room).
 * An entry wraps only when it is not the first of its row, so an entry wider than the room still
 * gets a row of its own rather than being dropped.
 *
 * @param {import('d3').Selection[]} entries the entries, in reading order; each one's `transform` is set
 * @param {object} place where the rows go, in the coordinates of the entries' parent
 * @param {number} place.left left edge of the one row when everything fits on it
 * @param {number} place.right right edge no entry may pass (unless it is alone on its row)
 * @param {number} place.top y of the first row's origin
 * @param {number} place.rowHeight distance between two rows' origins
 * @param {number} [place.spacing] space after each entry (px)
 * @param {number} [place.wrapLeft] left edge of every row when the entries take more than one (default `left`)
 * @param {(i: number) => number} [place.gapBefore] extra space before entry i when it does not start a row
 * @returns {number} rows used (0 for no entries)
 */
export function layoutLegendRows(entries, { left, right, top, rowHeight, spacing = 8, wrapLeft = left, gapBefore = () => 0 }) {
  if (!entries.length) return 0;
  const widths = entries.map((e) => e.node().getBBox().width);
  const total = widths.reduce((a, w) => a + w + spacing, 0);
  const start = total <= right - left ? left : wrapLeft;
  let x = start;
  let row = 0;
  entries.forEach((e, i) => {
    const gap = gapBefore(i);
    if (x > start && x + gap + widths[i] > right) {
      row++;
      x = start;
    } else x += gap;
    e.attr('transform', `translate(${x},${top + row * rowHeight})`);
    x += widths[i] + spacing;
  });
  return row + 1;
}
