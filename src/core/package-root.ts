import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder of rnnbow's own package.json, found by walking up from this file, so assets (proto/,
 * the viewer page) resolve the same from src/ under vitest, from dist/ and from an installed package.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === 'rnnbow') return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('rnnbow: cannot find the package root (package.json named "rnnbow")');
    dir = up;
  }
}

/** rnnbow's version from package.json. */
export function packageVersion(): string {
  return JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
}
