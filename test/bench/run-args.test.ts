import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** The compiled bench (`npm test` builds before running the suite). */
const BENCH = path.resolve('dist/bench/run.js');

const bench = (args: string[]) => spawnSync(process.execPath, [BENCH, ...args], { encoding: 'utf8', timeout: 60_000 });

/** `npm run bench -- …`: help and mistakes answer at once instead of starting an 11-minute run. */
describe('bench command line', () => {
  it('prints its options for --help', () => {
    const res = bench(['--help']);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/--quick/);
    expect(res.stdout).toMatch(/--skip <sections>/);
    expect(res.stdout).toMatch(/tensorboard, viewer/);
  });

  for (const [args, message] of [
    [['--skp', 'numpy'], /unknown option '--skp'/],
    [['--skip', 'numpy,numpi'], /unknown section "numpi"; choose from machine, itemized/],
    [['--runs', '0'], /expected a positive integer/],
    [['--seconds', 'soon'], /expected a positive number/],
  ] as const) {
    it(`rejects ${args.join(' ')} with a one-line reason`, () => {
      const res = bench([...args]);
      expect(res.status).toBe(1);
      expect(res.stderr).toMatch(message);
      expect(res.stdout).not.toMatch(/machine:/);
    });
  }
});
