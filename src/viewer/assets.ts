import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../core/package-root.js';

/** One static file of the page, held in memory. */
export interface Asset {
  /** Content-Type header. */
  type: string;
  /** Bytes. */
  body: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The folder of the page's files (`viewer/` in the package). */
export function pageDir(): string {
  return path.join(packageRoot(), 'viewer');
}

/** d3's browser bundle from the installed d3 package (served locally: the page works offline). */
export function d3BundlePath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('d3')), 'd3.min.js');
}

/**
 * Loads the page's files once, at start, into a fixed table keyed by URL path. Requests are looked
 * up in this table and nothing else, so no request path ever reaches the file system.
 */
export function loadAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  const dir = pageDir();
  for (const name of readdirSync(dir)) {
    const type = TYPES[path.extname(name)];
    if (!type) continue;
    const body = readFileSync(path.join(dir, name));
    assets.set(name === 'index.html' ? '/' : `/assets/${name}`, { type, body });
  }
  assets.set('/vendor/d3.min.js', { type: TYPES['.js'], body: readFileSync(d3BundlePath()) });
  return assets;
}
