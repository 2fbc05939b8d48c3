import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { CheckpointError } from '../../src/core/errors.js';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

// The first checkpoint write fails as a disk that is full for a moment does; later ones succeed.
let failures = 1;
vi.mock('../../src/core/atomic-write.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/core/atomic-write.js')>();
  return {
    writeFileAtomic(file: string, data: string | Uint8Array) {
      if (path.basename(file) === 'checkpoint.json' && failures-- > 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      real.writeFileAtomic(file, data);
    },
  };
});

const dir = tempDir();

describe('a checkpoint write that fails during training', () => {
  it('ends the run failed, and the checkpoint saved at the end resumes after the last batch trained', async () => {
    const config = { ...smallRunConfig(dir), steps: 25, checkpointEvery: 10, runName: 'full-for-a-moment' };
    const err = await train(config).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(/cannot write checkpoint .*: the disk is full \(no earlier checkpoint is there\)$/);
    const runDir = path.join(config.logdir, 'full-for-a-moment');
    const summary = readJsonRun(runDir).summary;
    expect([summary?.status, summary?.batches]).toEqual(['failed', 10]);
    // Batches 0..9 were trained before the failed save (after batch 9): a resume starts at 10.
    expect(JSON.parse(readFileSync(path.join(runDir, 'checkpoint.json'), 'utf8')).training.batch).toBe(10);
  });
});
