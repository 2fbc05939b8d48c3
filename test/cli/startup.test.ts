import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { smallCorpus, tempDir } from '../helpers/temp.js';

const dir = tempDir();
const corpus = smallCorpus(dir, 5000);

/** Packages that each take a noticeable part of a second to load. */
const HEAVY = ['@tensorflow/tfjs', 'express', 'protobufjs', 'pngjs'];

// Preloaded into the CLI's process: at exit, lists which heavy packages the main thread loaded
// (CommonJS packages land in the require cache however they were imported). Worker threads run
// preloads too (the export threads); they stay quiet.
const probe = path.join(dir, 'loaded-packages.cjs');
writeFileSync(
  probe,
  `if (require('node:worker_threads').isMainThread) process.on('exit', () => {
    const files = Object.keys(require('node:module')._cache);
    const heavy = ${JSON.stringify(HEAVY)}.filter((p) => files.some((f) => f.includes('/node_modules/' + p + '/')));
    process.stderr.write('LOADED ' + JSON.stringify(heavy) + '\\n');
  });`,
);

/** The heavy packages `rnnbow …args` loaded, and its exit status. */
function loadedBy(args: string[]): { loaded: string[]; status: number | null; stdout: string } {
  const res = spawnSync(process.execPath, ['--require', probe, CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
  const lines = res.stderr.split('\n').filter((l) => l.startsWith('LOADED '));
  if (lines.length !== 1) throw new Error(`expected one LOADED line from the main thread; stderr: ${res.stderr}`);
  return { loaded: JSON.parse(lines[0].slice('LOADED '.length)) as string[], status: res.status, stdout: res.stdout };
}

describe('rnnbow start-up loads what the command needs', () => {
  it('--help and a mistyped flag load none of tfjs, express, protobufjs or pngjs', () => {
    const help = loadedBy(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/train/);
    expect(help.loaded).toEqual([]);
    expect(loadedBy(['train', '--bogus']).loaded).toEqual([]);
  });

  it('training a built-in cell loads the exporters but neither tfjs nor the viewer; --engine tfjs loads tfjs', () => {
    const args = ['train', '--corpus', corpus, '--hidden', '4', '-n', '5', '--steps', '2', '--logdir', path.join(dir, 'runs'), '--backend', 'cpu'];
    const fused = loadedBy(args);
    expect(fused.status).toBe(0);
    expect(fused.loaded).toEqual(['protobufjs', 'pngjs']);
    const reference = loadedBy([...args, '--engine', 'tfjs']);
    expect(reference.status).toBe(0);
    expect(reference.loaded).toEqual(['@tensorflow/tfjs', 'protobufjs', 'pngjs']);
  });
});
