/**
 * Which run of a logdir continues which: worked out from the `config.resume` a resumed run's
 * run.json holds (as the user typed it), matched against the ids of the logdir's runs only.
 */
import { describe, expect, it } from 'vitest';
import { resumedFolder, resumedFromId, runContinuity, type RunOrigin } from '../../src/viewer/run-continuity.js';

const ids = (...list: string[]) => new Set(list);

describe('resumedFolder', () => {
  it('is the folder of the checkpoint file, whatever the file is called', () => {
    expect(resumedFolder('runs/A/checkpoint.json')).toBe('runs/A');
    expect(resumedFolder('/home/me/runs/A/checkpoint.json')).toBe('/home/me/runs/A');
    expect(resumedFolder('./runs//A/./Checkpoint.JSON')).toBe('runs/A');
    expect(resumedFolder('runs\\A\\checkpoint.json')).toBe('runs/A');
    expect(resumedFolder('runs/A/ckpt-10000')).toBe('runs/A');
    expect(resumedFolder('runs/A/checkpoint.json.bak')).toBe('runs/A');
    expect(resumedFolder('checkpoint.json')).toBe('.');
  });
});

describe('resumedFromId', () => {
  const logdirIds = ids('A', 'B', 'exp/A', 'exp/C');

  it('places a relative checkpoint path relative to the trainer\'s (relative) logdir', () => {
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: 'runs/A/checkpoint.json' }, logdirIds)).toBe('A');
    expect(resumedFromId({ id: 'B', logdir: './runs/', resume: 'runs/../runs/A/checkpoint.json' }, logdirIds)).toBe('A');
    // Trained from inside the logdir (logdir "."), or from a folder beside it.
    expect(resumedFromId({ id: 'B', logdir: '.', resume: 'A/checkpoint.json' }, logdirIds)).toBe('A');
    expect(resumedFromId({ id: 'B', logdir: '../runs', resume: '../runs/A/checkpoint.json' }, logdirIds)).toBe('A');
  });

  it('places an absolute checkpoint path relative to the trainer\'s (absolute) logdir', () => {
    expect(resumedFromId({ id: 'B', logdir: '/data/runs', resume: '/data/runs/A/checkpoint.json' }, logdirIds)).toBe('A');
    expect(resumedFromId({ id: 'B', logdir: 'C:\\data\\runs', resume: 'C:\\data\\runs\\A\\checkpoint.json' }, logdirIds)).toBe('A');
  });

  it('takes a checkpoint file of any name', () => {
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: 'runs/A/ckpt-10000' }, logdirIds)).toBe('A');
    expect(resumedFromId({ id: 'B', logdir: '/data/runs', resume: '/data/runs/A/checkpoint.json.bak' }, logdirIds)).toBe('A');
  });

  it('matches by name alone where the place depends on the trainer\'s unknown working folder (--logdir above it)', () => {
    // cd runs/A && rnnbow train --logdir .. --resume checkpoint.json: the folder has no name to go by.
    expect(resumedFromId({ id: 'B', logdir: '..', resume: 'checkpoint.json' }, logdirIds)).toBeUndefined();
    expect(resumedFromId({ id: 'B', logdir: '../..', resume: '../A/checkpoint.json' }, logdirIds)).toBe('A');
  });

  it('finds the resumed run in another folder of a logdir served from above the trainer\'s', () => {
    // The viewer serves `runs`; B was trained with --logdir runs/exp, so its id is exp/B.
    expect(resumedFromId({ id: 'exp/B', logdir: 'runs/exp', resume: 'runs/exp/A/checkpoint.json' }, logdirIds)).toBe('exp/A');
    expect(resumedFromId({ id: 'exp/B', logdir: 'runs/exp', resume: 'runs/A/checkpoint.json' }, logdirIds)).toBe('A');
  });

  it('links nothing for a checkpoint outside the logdir, even when a run here has its folder\'s name', () => {
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: 'elsewhere/A/checkpoint.json' }, logdirIds)).toBeUndefined();
    expect(resumedFromId({ id: 'B', logdir: '/data/runs', resume: '/tmp/A/checkpoint.json' }, logdirIds)).toBeUndefined();
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: 'checkpoint.json' }, logdirIds)).toBeUndefined();
    // The trainer's logdir itself is no run folder of it.
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: 'runs' }, logdirIds)).toBeUndefined();
  });

  it('links nothing for a folder that is not a run here, and never a run to itself', () => {
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: 'runs/Z/checkpoint.json' }, logdirIds)).toBeUndefined();
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: 'runs/B/checkpoint.json' }, logdirIds)).toBeUndefined();
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: '' }, logdirIds)).toBeUndefined();
    expect(resumedFromId({ id: 'B', logdir: 'runs' }, logdirIds)).toBeUndefined();
    // run.json is untrusted: a resume that is not a string links nothing.
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: { path: 'runs/A' } }, logdirIds)).toBeUndefined();
  });

  it('matches by the folder\'s name when the trainer\'s working folder cannot be known', () => {
    // One path relative, the other absolute: only the last parts of the path can be compared.
    expect(resumedFromId({ id: 'B', logdir: 'runs', resume: '/home/me/runs/A/checkpoint.json' }, logdirIds)).toBe('A');
    expect(resumedFromId({ id: 'B', logdir: '/data/runs', resume: 'runs/exp/C/checkpoint.json' }, logdirIds)).toBe('exp/C');
    // The longest id that matches wins.
    expect(resumedFromId({ id: 'B', logdir: '/data/runs', resume: 'runs/exp/A/checkpoint.json' }, logdirIds)).toBe('exp/A');
    // A run.json without a logdir (written by hand): the same.
    expect(resumedFromId({ id: 'B', resume: 'somewhere/A/checkpoint.json' }, logdirIds)).toBe('A');
    expect(resumedFromId({ id: 'B', logdir: '/data/runs', resume: 'runs/Z/checkpoint.json' }, logdirIds)).toBeUndefined();
  });
});

describe('runContinuity', () => {
  const run = (id: string, startedAt: string, resume?: string): RunOrigin => ({ id, startedAt, logdir: 'runs', resume });

  it('links a resumed run both ways; runs without links are left out', () => {
    const links = runContinuity([run('A', '2026-01-01T00:00:00Z'), run('B', '2026-01-01T01:00:00Z', 'runs/A/checkpoint.json'), run('X', '2026-01-01T02:00:00Z')]);
    expect(Object.fromEntries(links)).toEqual({ A: { continuedIn: ['B'] }, B: { resumedFrom: 'A' } });
  });

  it('lists two resumes of one run newest first', () => {
    const links = runContinuity([
      run('A', '2026-01-01T00:00:00Z'),
      run('B', '2026-01-01T01:00:00Z', 'runs/A/checkpoint.json'),
      run('C', '2026-01-01T03:00:00Z', 'runs/A/checkpoint.json'),
      run('D', '2026-01-01T02:00:00Z', '/abs/elsewhere/A/checkpoint.json'), // absolute vs relative logdir: by name
    ]);
    expect(links.get('A')).toEqual({ continuedIn: ['C', 'D', 'B'] });
    for (const id of ['B', 'C', 'D']) expect(links.get(id)).toEqual({ resumedFrom: 'A' });
  });

  it('follows a chain A -> B -> C: the middle run has both links', () => {
    const links = runContinuity([
      run('C', '2026-01-01T02:00:00Z', 'runs/B/checkpoint.json'),
      run('A', '2026-01-01T00:00:00Z'),
      run('B', '2026-01-01T01:00:00Z', 'runs/A/checkpoint.json'),
    ]);
    expect(links.get('A')).toEqual({ continuedIn: ['B'] });
    expect(links.get('B')).toEqual({ resumedFrom: 'A', continuedIn: ['C'] });
    expect(links.get('C')).toEqual({ resumedFrom: 'B' });
  });

  it('gives a run resumed from a checkpoint outside the logdir no link, and its namesake no continuation', () => {
    const links = runContinuity([run('A', '2026-01-01T00:00:00Z'), run('B', '2026-01-01T01:00:00Z', 'backup/A/checkpoint.json')]);
    expect(links.size).toBe(0);
  });

  it('orders runs with the same (or no) start time by id, newest name first', () => {
    const links = runContinuity([run('A', ''), { id: 'r1', resume: 'runs/A/checkpoint.json', logdir: 'runs' }, { id: 'r2', resume: 'runs/A/checkpoint.json', logdir: 'runs' }]);
    expect(links.get('A')?.continuedIn).toEqual(['r2', 'r1']);
  });

  it('never links a run to one that started after it (two runs matched by name could name each other)', () => {
    const links = runContinuity([
      { id: 'A', logdir: 'runs', resume: '/backup/B/checkpoint.json', startedAt: '2026-01-01T00:00:00Z' },
      run('B', '2026-01-01T01:00:00Z', 'runs/A/checkpoint.json'),
    ]);
    expect(links.get('A')).toEqual({ continuedIn: ['B'] });
    expect(links.get('B')).toEqual({ resumedFrom: 'A' });
  });
});
