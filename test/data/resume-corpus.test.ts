import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, CorpusError } from '../../src/core/errors.js';
import { checkpointRunCorpus, withResumeCorpusHint } from '../../src/data/resume-corpus.js';
import { tempTree } from './temp-tree.js';

describe('withResumeCorpusHint', () => {
  const runInfo = (corpus: object) => JSON.stringify({ corpus: { source: 'kernel, my notes.txt', chars: 10, files: 2 }, config: { corpus } });
  const root = tempTree({
    'run/run.json': runInfo({ paths: ['kernel', 'my notes.txt'], maxChars: 5000, validationFraction: 0.1 }),
    'run/checkpoint.json': '{}',
    'default/run.json': runInfo({ paths: [], validationFraction: 0.1 }),
    'default/checkpoint.json': '{}',
    'bare/checkpoint.json': '{}',
  });
  const checkpoint = (dir: string) => path.join(root, dir, 'checkpoint.json');
  const lacks = new CorpusError("the corpus has 3 character(s) the checkpoint's vocabulary lacks: \"x\"", 'resume on text made of the same characters, or start a new run');

  it('reads the corpus options of the checkpoint\'s run from the run.json beside it', () => {
    expect(checkpointRunCorpus(checkpoint('run'))).toEqual({ source: 'kernel, my notes.txt', paths: ['kernel', 'my notes.txt'], maxChars: 5000, validationFraction: 0.1 });
    expect(checkpointRunCorpus(checkpoint('bare'))).toBeUndefined();
  });

  it('names the flags to add when a run resumed without --corpus fails on its corpus', () => {
    const out = withResumeCorpusHint(lacks, checkpoint('run'), []) as CorpusError;
    expect(out).toBeInstanceOf(CorpusError);
    expect(out.message).toBe(lacks.message);
    expect(out.hint).toBe(`--resume does not bring back the corpus: add --corpus kernel --corpus 'my notes.txt' --max-chars 5000 (from ${path.join(root, 'run', 'run.json')})`);
    const unknown = withResumeCorpusHint(lacks, checkpoint('bare'), []) as CorpusError;
    expect(unknown.hint).toMatch(/^--resume does not bring back the corpus: pass the --corpus/);
    // The checkpoint's run read the default corpus too: the general hint, no empty flag list.
    expect((withResumeCorpusHint(lacks, checkpoint('default'), []) as CorpusError).hint).toMatch(/pass the --corpus/);
  });

  it('leaves other errors, runs with a corpus and fresh runs alone', () => {
    expect(withResumeCorpusHint(lacks, checkpoint('run'), ['kernel'])).toBe(lacks);
    expect(withResumeCorpusHint(lacks, undefined, [])).toBe(lacks);
    const other = new CheckpointError('bad checkpoint');
    expect(withResumeCorpusHint(other, checkpoint('run'), [])).toBe(other);
  });
});
