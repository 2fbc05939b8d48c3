import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Path of the compiled CLI (`npm test` builds before running the suite). */
export const CLI = path.resolve('dist/src/cli/main.js');

/** Runs the compiled `rnnbow` CLI synchronously. */
export function runCli(args: string[], options: { cwd?: string; timeout?: number } = {}) {
  const res = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, encoding: 'utf8', timeout: options.timeout ?? 120_000 });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}
