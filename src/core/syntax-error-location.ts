import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** How many of a plugin's own modules are parsed looking for the one with the syntax error. */
const MAX_MODULES = 200;

/**
 * `file:line` of the syntax error that stopped a plugin from loading, found by parsing the entry
 * and then the modules it imports by relative path, as ES modules (which plugins are), or null.
 * Node's import error says what the error is but not where. Runs only on that failure path.
 */
export function syntaxErrorLocation(entry: string): string | null {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length && seen.size < MAX_MODULES) {
    const file = queue.shift()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    let source: string;
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const line = syntaxErrorLine(file, source);
    if (line !== null) return `${file}:${line}`;
    for (const spec of relativeImports(source)) queue.push(path.resolve(path.dirname(file), spec));
  }
  return null;
}

/**
 * The line of the first syntax error in `source`, or null. `node --check FILE` judges a `.js`
 * file by the nearest package.json and, on Node 20, passes some broken ES modules (a stray `}` in
 * a file without `"type": "module"`); the source on stdin with `--input-type` is parsed as what it is.
 */
function syntaxErrorLine(file: string, source: string): number | null {
  const type = file.endsWith('.cjs') ? 'commonjs' : 'module';
  const check = spawnSync(process.execPath, [`--input-type=${type}`, '--check'], { input: source, encoding: 'utf8', timeout: 10_000 });
  if (check.status === 0) return null;
  const line = /^\[stdin\]:(\d+)$/m.exec(check.stderr ?? '')?.[1];
  return line === undefined ? null : Number(line);
}

/** The relative specifiers of a module's static imports and re-exports (`./cell.js`, `../x.mjs`). */
function relativeImports(source: string): string[] {
  const specs: string[] = [];
  for (const m of source.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
    specs.push(m[1] ?? m[2]);
  }
  return specs;
}
