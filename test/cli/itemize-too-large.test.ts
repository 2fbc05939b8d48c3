import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { itemizeCommand } from '../../src/cli/commands/itemize.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

const dir = tempDir();

describe('rnnbow itemize with an output too large for one JSON string', () => {
  it('says so and how to make it smaller, instead of "cannot write …: undefined"', async () => {
    const { checkpoint } = await train({ ...smallRunConfig(dir), steps: 1 });
    // V8 throws this RangeError past 512 MiB of JSON, which a real text reaches only after minutes.
    const stringify = vi.spyOn(JSON, 'stringify').mockImplementation(() => {
      throw new RangeError('Invalid string length');
    });
    try {
      const run = itemizeCommand().exitOverride().parseAsync(['--checkpoint', checkpoint, '--text', 'int main(void)', '--reduction', 'none', '--out', path.join(dir, 'big.json')], { from: 'user' });
      await expect(run).rejects.toThrow('the itemization of 13 steps with --reduction none is too large for one JSON file');
    } finally {
      stringify.mockRestore();
    }
  });
});
