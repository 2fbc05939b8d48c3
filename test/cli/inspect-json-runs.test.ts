import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inspectCommand, jsonOnlyRuns } from '../../src/cli/commands/inspect.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

/** Runs `rnnbow inspect LOGDIR` in-process and returns what it printed. */
async function inspect(logdir: string): Promise<string> {
  const printed: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  await inspectCommand().exitOverride().parseAsync([logdir], { from: 'user' });
  vi.restoreAllMocks();
  return printed.join('');
}

afterEach(() => vi.restoreAllMocks());

describe('rnnbow inspect on runs written with --export json only', () => {
  const dir = tempDir();
  const config = smallRunConfig(dir);

  it('names the JSON runs it cannot read instead of looking like an empty logdir', async () => {
    const logdir = path.join(dir, 'json-only');
    await train({ ...config, logdir, steps: 1, runName: 'a' });
    await train({ ...config, logdir, steps: 1, runName: 'b' });
    const printed = await inspect(logdir);
    expect(printed).toMatch(/^logdir .*: 0 runs,/);
    expect(printed).toContain('JSON runs without event files (2; inspect reads TensorBoard event files only):\n  a\n  b\n');
    expect(printed).toContain(`rnnbow serve --logdir ${logdir}`);
  });

  it('says nothing more when every JSON run has its event files, and lists only the others in a mixed logdir', async () => {
    const logdir = path.join(dir, 'mixed');
    await train({ ...config, logdir, steps: 1, runName: 'both', exporters: ['json', 'tensorboard'] });
    expect(await inspect(logdir)).not.toContain('JSON runs without event files');
    await train({ ...config, logdir, steps: 1, runName: 'json' });
    expect(await inspect(logdir)).toContain('JSON runs without event files (1; inspect reads TensorBoard event files only):\n  json\n');
  });

  it('a run folder given as the logdir is "."', () => {
    expect(jsonOnlyRuns({ runs: [], ignoredFiles: ['checkpoint.json', 'run.json', 'records.jsonl'] })).toEqual(['.']);
    expect(jsonOnlyRuns({ runs: [{ name: '.' } as never], ignoredFiles: ['run.json'] })).toEqual([]);
  });
});
