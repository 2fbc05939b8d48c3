import { mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { tempDir } from '../helpers/temp.js';

// Two trainers started together both find a name free before either creates it: a check that
// looks (existsSync) before creating sees the folder as missing, as the slower of the two would.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return { ...fs, existsSync: () => false, default: { ...fs, existsSync: () => false } };
});

const { checkRunFolder, createRunFolder } = await import('../../src/train/run-folder.js');
const dir = tempDir();

describe('createRunFolder', () => {
  it('claims a folder by creating it: a default name taken meanwhile goes on to the next suffix', () => {
    const logdir = path.join(dir, 'race');
    mkdirSync(path.join(logdir, 'run'), { recursive: true });
    mkdirSync(path.join(logdir, 'run-2'));
    expect(createRunFolder(logdir, 'run', false)).toEqual({ dir: path.join(logdir, 'run-3'), runId: 'run-3' });
    expect(statSync(path.join(logdir, 'run-3')).isDirectory()).toBe(true);
  });

  it('an explicit name taken meanwhile is refused as taken, not as an unwritable logdir', () => {
    const logdir = path.join(dir, 'race-explicit');
    mkdirSync(path.join(logdir, 'mine'), { recursive: true });
    expect(() => createRunFolder(logdir, 'mine', true)).toThrow(/run folder .*mine already exists; rnnbow never overwrites a run/);
  });
});

describe('checkRunFolder', () => {
  it('passes while the folder is there, and names a removed or replaced one', () => {
    const { dir: run } = createRunFolder(path.join(dir, 'check'), 'r', true);
    const created = statSync(run);
    expect(() => checkRunFolder(run, created, 7)).not.toThrow();
    renameSync(run, `${run}-moved`);
    expect(() => checkRunFolder(run, created, 7)).toThrow(`run folder ${run} was removed while training (at batch 7)`);
    mkdirSync(run);
    expect(() => checkRunFolder(run, created, 8)).toThrow(`run folder ${run} was replaced while training (at batch 8)`);
  });
});
