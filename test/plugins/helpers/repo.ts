import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run plugins and the CLI from here, as a user would from their project). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The compiled CLI; tests that load plugins the way users do run it in a child process. */
export const CLI = path.join(REPO, 'dist/src/cli/main.js');

/**
 * Plugins import `rnnbow` by name, which resolves to the compiled package (dist/), so these tests
 * need a build: `npm test` builds first; when running vitest alone, run `npx tsc -p .` before.
 */
export function requireBuild(): void {
  for (const file of [CLI, path.join(REPO, 'dist/src/index.js'), path.join(REPO, 'dist/src/testing/conformance.js')]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build first (npx tsc -p .)`);
  }
}

/** Result of a child process. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `rnnbow ...args` (the compiled CLI) from `cwd` (default: the repository root). */
export function runCli(args: readonly string[], cwd = REPO): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs an ES module script with plain Node from `cwd` (default: the repository root, where
 * `import ... from 'rnnbow'` resolves to the package itself) and parses the JSON its last line prints.
 */
export function runScript<T>(source: string, cwd = REPO): T {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', source], { cwd, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`script exited with ${r.status}:\n${r.stderr}\n${r.stdout}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `rnnbow-${prefix}-`));
}

/** Writes files (relative path -> content) under `dir`, creating folders. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** A small C-like corpus (a few kB) for short training runs. */
export function writeCorpus(dir: string): string {
  const lines = ['int x = 1;', 'for (i = 0; i < n; i++) {', '  y += x;', '}', 'return 0;', '/* comment */', 'char *s = "abc";'];
  let text = '';
  let seed = 7;
  for (let i = 0; i < 500; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    text += lines[seed % lines.length] + '\n';
  }
  const file = path.join(dir, 'corpus.c');
  writeFileSync(file, text);
  return file;
}
