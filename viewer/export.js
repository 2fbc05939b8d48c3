// Export of the current view: every chart SVG on the page composed into one SVG (positions as on
// screen, white background, a title line), downloaded as .svg or rendered to .png at 2x.

const NS = 'http://www.w3.org/2000/svg';
const TITLE_HEIGHT = 28;

/** The composed SVG's text and size. */
export function composeSvg(container, title) {
  const box = container.getBoundingClientRect();
  const parts = [...container.querySelectorAll('svg.exportable')];
  let width = 0;
  let height = 0;
  for (const s of parts) {
    const r = s.getBoundingClientRect();
    width = Math.max(width, r.right - box.left);
    height = Math.max(height, r.bottom - box.top);
  }
  width = Math.ceil(width + 8);
  height = Math.ceil(height + TITLE_HEIGHT + 8);
  const out = document.createElementNS(NS, 'svg');
  out.setAttribute('xmlns', NS);
  out.setAttribute('width', String(width));
  out.setAttribute('height', String(height));
  out.setAttribute('viewBox', `0 0 ${width} ${height}`);
  out.setAttribute('font-family', 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif');
  const bg = document.createElementNS(NS, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  out.appendChild(bg);
  const t = document.createElementNS(NS, 'text');
  t.setAttribute('x', '12');
  t.setAttribute('y', '19');
  t.setAttribute('font-size', '14');
  t.setAttribute('font-weight', '700');
  t.setAttribute('fill', '#1f2933');
  t.textContent = title;
  out.appendChild(t);
  for (const s of parts) {
    const r = s.getBoundingClientRect();
    const copy = s.cloneNode(true);
    copy.setAttribute('x', String(r.left - box.left));
    copy.setAttribute('y', String(r.top - box.top + TITLE_HEIGHT));
    copy.setAttribute('width', String(r.width));
    copy.setAttribute('height', String(r.height));
    // Interaction layers are not part of the picture.
    for (const el of copy.querySelectorAll('.ov-overlay, .hz-overlay, .brush .overlay, .brush .handle, title')) el.remove();
    out.appendChild(copy);
  }
  return { text: '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(out), width, height };
}

function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 5000);
}

/** Downloads the view as SVG. */
export function exportSvg(container, title, name) {
  const { text } = composeSvg(container, title);
  download(`${name}.svg`, new Blob([text], { type: 'image/svg+xml' }));
}

/** Downloads the view as PNG (2x for sharp text). */
export async function exportPng(container, title, name) {
  const { text, width, height } = composeSvg(container, title);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const scale = 2;
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(img, 0, 0, width, height);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  download(`${name}.png`, blob);
}
