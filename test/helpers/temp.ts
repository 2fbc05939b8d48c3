import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { generateCCorpus } from '../../src/data/c-generator.js';

/** A temporary folder removed after the file's tests. */
export function tempDir(prefix = 'rnnbow-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a small generated C corpus into `dir` and returns its path. */
export function smallCorpus(dir: string, chars = 20_000, seed = 3): string {
  const file = path.join(dir, 'corpus.c');
  writeFileSync(file, generateCCorpus({ seed, chars }));
  return file;
}

/**
 * A quick training config over `corpus` (default: a small one written into `dir`): H = 8, n = 10,
 * JSON only, runs under `dir`/runs, scalars every batch and nothing else scheduled.
 */
export function smallRunConfig(dir: string, corpus = smallCorpus(dir)) {
  return {
    corpus: { paths: [corpus] },
    hiddenSize: 8,
    seqLength: 10,
    exporters: ['json'],
    logdir: path.join(dir, 'runs'),
    sampleEvery: 0,
    validateEvery: 0,
    checkpointEvery: 0,
    logEvery: 1,
    backend: 'cpu' as const,
  };
}
