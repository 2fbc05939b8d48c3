import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * `npx rnnbow` in a clone runs the package's own bin through a link npx caches per folder, and
 * only sets the file's execute bit when it makes that link; the build must set it itself, or a
 * re-cloned folder answers "Permission denied" (README's first command).
 */
describe('the built CLI', () => {
  it('is executable, as every bin in package.json', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> };
    const bins = Object.values(pkg.bin);
    expect(bins.length).toBeGreaterThan(0);
    for (const bin of bins) expect(statSync(bin).mode & 0o111, bin).toBe(0o111);
  });
});
