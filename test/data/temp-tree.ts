/**
 * Temporary folders of files for corpus tests, removed after the suite.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * Creates a fresh temporary folder holding `files` (relative path -> contents) and registers its
 * removal after the current test file. Returns the folder's path.
 */
export function tempTree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'rnnbow-data-'));
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return root;
}
