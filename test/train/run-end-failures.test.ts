import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError } from '../../src/core/errors.js';
import { loadCheckpoint, saveCheckpoint, toCheckpoint } from '../../src/core/checkpoint.js';
import { vanillaCell } from '../../src/cells/vanilla.js';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';
import { thrownBy } from '../helpers/thrown-by.js';

const dir = tempDir();
const base = smallRunConfig(dir);

describe('a checkpoint that cannot be written', () => {
  it('saveCheckpoint raises a CheckpointError that says why, not a raw file-system error', () => {
    const file = path.join(dir, 'no-such-folder', 'checkpoint.json');
    const err = thrownBy(() => saveCheckpoint(file, toCheckpoint('rnn', 1, ['a'], { bias: { shape: [1], data: new Float32Array(1) } })));
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).message).toBe(`cannot write checkpoint ${file}: its folder does not exist (removed while training?) (no earlier checkpoint is there)`);
  });

  it('at the end of a run: the exporters are still closed, with every record and a summary that says failed', async () => {
    // A folder where the checkpoint should go: the final save's rename fails.
    const run = train(
      { ...base, steps: 40, recorder: { name: 'truncated', options: { k: 2 } }, exporters: [{ name: 'json', options: { flushSeconds: 60 } }], runName: 'blocked-checkpoint' },
      { onStart: ({ runDir }) => mkdirSync(path.join(runDir, 'checkpoint.json')) },
    );
    const err = await run.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toMatch(/^cannot write checkpoint .*blocked-checkpoint.checkpoint\.json: a folder has its name/);
    const read = readJsonRun(path.join(base.logdir, 'blocked-checkpoint'));
    expect(read.summary?.status).toBe('failed');
    expect(read.summary?.batches).toBe(40);
    // Nothing was flushed during the run (flushSeconds 60): only closing wrote the records.
    expect(read.records.map((r) => r.batch)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(readFileSync(path.join(base.logdir, 'blocked-checkpoint', 'scalars.jsonl'), 'utf8').trim().split('\n')).toHaveLength(40);
  });
});

describe('resuming from a file that is not a checkpoint', () => {
  it('names a JSON Lines file of the run folder as such, instead of calling it damaged', () => {
    const file = path.join(dir, 'records.jsonl');
    writeFileSync(file, '{"batch":0}\n{"batch":1}\n');
    const err = thrownBy(() => loadCheckpoint(file, () => vanillaCell));
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as CheckpointError).message).toBe(`${file} holds JSON Lines (a run's records, scalars or samples), not a checkpoint`);
    expect((err as CheckpointError).hint).toMatch(/checkpoint\.json that training wrote/);
  });

  it('still calls a checkpoint cut short damaged', () => {
    const file = path.join(dir, 'cut.json');
    writeFileSync(file, '{"format":"rnnbow-checkpoint","params":{"weight_hh":[[0.1,');
    expect(() => loadCheckpoint(file, () => vanillaCell)).toThrow(/is not valid JSON/);
  });
});
