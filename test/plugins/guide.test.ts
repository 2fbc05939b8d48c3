import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, requireBuild, runCli, tempDir, writeTree } from './helpers/repo.js';

/**
 * docs/plugins.md builds a plugin step by step. Its code blocks marked `file=PATH` are the whole
 * plugin, and its ```sh test block holds the commands a user runs. This test assembles the plugin
 * from the guide, installs its dev dependencies the way npm would (links to this repository's
 * build and tfjs), runs the plugin's own tests with `node --test`, then the guide's commands.
 */
const guide = readFileSync(path.join(REPO, 'docs/plugins.md'), 'utf8');

function blocks(markdown: string): { info: string; body: string }[] {
  const out: { info: string; body: string }[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) out.push({ info: m[1].trim(), body: m[2] });
  return out;
}

/** Splits a command line the way a POSIX shell would for the simple quoting the guide uses. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

const files = Object.fromEntries(
  blocks(guide)
    .map((b) => [/\bfile=(\S+)/.exec(b.info)?.[1], b.body] as const)
    .filter((e): e is readonly [string, string] => e[0] !== undefined),
);
const commands = blocks(guide)
  .filter((b) => b.info === 'sh test')
  .flatMap((b) => b.body.split('\n'))
  .filter((l) => l.startsWith('npx rnnbow '));

const project = tempDir('guide');
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('docs/plugins.md, run as written', () => {
  it('holds the whole plugin and the commands to use it', () => {
    expect(Object.keys(files).sort()).toEqual(['my-indrnn/index.js', 'my-indrnn/indrnn.js', 'my-indrnn/indrnn.test.js', 'my-indrnn/package.json']);
    expect(commands.map((c) => shellWords(c)[2])).toEqual(['parts', 'train', 'itemize']);
  });

  it('the plugin\'s own tests pass (npm test = node --test)', () => {
    requireBuild();
    writeTree(project, files);
    // What `npm install` of the dev dependencies leaves behind, pointing at this checkout.
    const modules = path.join(project, 'my-indrnn/node_modules');
    mkdirSync(path.join(modules, '@tensorflow'), { recursive: true });
    symlinkSync(REPO, path.join(modules, 'rnnbow'), 'dir');
    symlinkSync(path.join(REPO, 'node_modules/@tensorflow/tfjs'), path.join(modules, '@tensorflow/tfjs'), 'dir');
    const r = spawnSync(process.execPath, ['--test'], { cwd: path.join(project, 'my-indrnn'), encoding: 'utf8', timeout: 300_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/pass 3/);
    expect(r.stdout).toMatch(/fail 0/);
  });

  it('the guide\'s commands list, train and itemize with the plugin', () => {
    requireBuild();
    writeTree(project, files);
    for (const command of commands) {
      const r = runCli(shellWords(command).slice(2), project);
      expect(r.status, `${command}\n${r.stderr}`).toBe(0);
      if (command.includes(' parts ')) expect(r.stdout).toMatch(/^ {2}indrnn +IndRNN/m);
    }
    const records = readFileSync(path.join(project, 'runs/indrnn/records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.batch)).toEqual([0, 25, 50, 75]);
    expect(Object.keys(records[0].params).sort()).toEqual(['bias_hh', 'bias_ih', 'weight_hh', 'weight_ih']);
    expect(records[0].k).toBe(5);
    const itemized = JSON.parse(readFileSync(path.join(project, 'indrnn.json'), 'utf8'));
    expect(itemized.cell).toBe('indrnn');
    expect(itemized.n).toBe('int main(void) {'.length - 1);
  });

  it('the guide\'s config and library snippets work with the plugin', () => {
    requireBuild();
    writeTree(project, files);
    const config = blocks(guide).find((b) => b.info === 'json' && b.body.includes('"plugins"'));
    const snippet = blocks(guide).find((b) => b.info === 'js' && b.body.includes('createRegistry'));
    expect(config && snippet).toBeTruthy();
    // The config validates and names the plugin the guide built.
    const parsed = JSON.parse(config!.body);
    expect(parsed.plugins).toEqual(['./my-indrnn']);
    // The library snippet runs as written from the project folder (rnnbow installed there).
    mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    rmSync(path.join(project, 'node_modules/rnnbow'), { force: true });
    symlinkSync(REPO, path.join(project, 'node_modules/rnnbow'), 'dir');
    writeFileSync(path.join(project, 'in-code.mjs'), snippet!.body);
    const r = spawnSync(process.execPath, ['in-code.mjs'], { cwd: project, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
