// Fitting SVG text into narrow panels (side by side below ~1280 px, or a narrow window). SVG text
// never wraps or clips by itself, so a long title runs under its neighbours or off the edge.

const ELLIPSIS = '…';
/** Smallest font a line is shrunk to before it is cut: below this it is no longer readable. */
const MIN_FONT = 10;

/**
 * Makes a one-line text element (with or without tspans) fit `maxWidth`: first a little smaller
 * (down to {@link MIN_FONT} px), then cut at the end with "…". A cut text gets a <title>, so its
 * whole wording is a tooltip away.
 */
export function fitLine(sel, maxWidth) {
  const node = sel?.node();
  if (!node) return;
  node.querySelector(':scope > title')?.remove();
  const width = node.getComputedTextLength();
  if (width <= maxWidth) return;
  const size = Number(sel.attr('font-size')) || 12;
  const smaller = Math.max(Math.min(MIN_FONT, size), (size * maxWidth) / width);
  sel.attr('font-size', smaller.toFixed(2));
  if (node.getComputedTextLength() <= maxWidth) return;
  const full = node.textContent;
  cutToWidth(node, maxWidth);
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  title.textContent = full;
  node.insertBefore(title, node.firstChild);
}

/** Shortens the last pieces of text in `node` (tspans, or its own text) until it fits, ending in "…". */
function cutToWidth(node, maxWidth) {
  const tspans = [...node.querySelectorAll('tspan')];
  const pieces = tspans.length ? tspans : [node];
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i];
    const text = piece.textContent;
    // Longest prefix of this piece that fits with the ellipsis (binary search: one layout per try).
    let lo = 0;
    let hi = text.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      piece.textContent = text.slice(0, mid).trimEnd() + ELLIPSIS;
      if (node.getComputedTextLength() <= maxWidth) lo = mid;
      else hi = mid - 1;
    }
    piece.textContent = lo > 0 ? text.slice(0, lo).trimEnd() + ELLIPSIS : ELLIPSIS;
    if (node.getComputedTextLength() <= maxWidth) return;
    piece.textContent = ''; // not even "…" fits after the earlier pieces: cut into those
  }
}

/**
 * Breaks a plain text element into lines of at most `maxWidth` (at spaces), each a tspan under
 * the previous one, `lineHeight` px apart, centred vertically on the element's own y.
 */
export function wrapLines(sel, maxWidth, lineHeight) {
  const node = sel?.node();
  if (!node || node.getComputedTextLength() <= maxWidth) return;
  const words = node.textContent.split(/\s+/).filter(Boolean);
  const x = sel.attr('x');
  sel.text(null);
  const lines = [];
  let line = sel.append('tspan').attr('x', x);
  for (const word of words) {
    const before = line.text();
    line.text(before ? `${before} ${word}` : word);
    if (before && line.node().getComputedTextLength() > maxWidth) {
      line.text(before);
      lines.push(line);
      line = sel.append('tspan').attr('x', x).text(word);
    }
  }
  lines.push(line);
  lines.forEach((l, i) => l.attr('dy', i === 0 ? -((lines.length - 1) * lineHeight) / 2 : lineHeight));
  for (const l of lines) fitLine(l, maxWidth);
}
