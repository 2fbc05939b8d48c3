import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { CLI } from '../helpers/cli.js';

/**
 * Every code block in README.md and docs/*.md that is marked `<!-- doc-test -->` on the line
 * before its fence is run here exactly as written: `sh` blocks in bash (with `npx rnnbow` bound to
 * this checkout's CLI), `ts` blocks transpiled and run with Node.js, `json` blocks validated as
 * run configurations.
 */
interface Block {
  file: string;
  line: number;
  lang: string;
  code: string;
}

function markedBlocks(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 1; i < lines.length; i++) {
    const fence = /^```(\w+)/.exec(lines[i]);
    if (!fence || lines[i - 1].trim() !== '<!-- doc-test -->') continue;
    const end = lines.indexOf('```', i + 1);
    blocks.push({ file, line: i + 1, lang: fence[1], code: lines.slice(i + 1, end).join('\n') });
  }
  return blocks;
}

const files = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];
const blocks = files.flatMap(markedBlocks);
const scratch = path.resolve('test-output', 'doc-blocks');

function shim(): string {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'rnnbow-bin-'));
  const npx = path.join(bin, 'npx');
  writeFileSync(npx, `#!/bin/sh\nif [ "$1" = rnnbow ]; then shift; exec "${process.execPath}" "${CLI}" "$@"; fi\nexec "${path.join(path.dirname(process.execPath), 'npx')}" "$@"\n`);
  chmodSync(npx, 0o755);
  return bin;
}

describe('code blocks in the docs run as written', () => {
  it('finds the marked blocks', () => expect(blocks.length).toBeGreaterThanOrEqual(2));
  for (const block of blocks) {
    it(`${block.file}:${block.line} (${block.lang})`, () => {
      const cwd = mkdtempSync(path.join(os.tmpdir(), 'rnnbow-doc-'));
      if (block.lang === 'json') {
        expect(() => parseConfig(JSON.parse(block.code), `${block.file}:${block.line}`)).not.toThrow();
        return;
      }
      let command: string[];
      if (block.lang === 'sh') command = ['bash', '-euo', 'pipefail', '-c', block.code];
      else if (block.lang === 'ts') {
        mkdirSync(scratch, { recursive: true });
        // Inside the package folder, so `import ... from 'rnnbow'` resolves to this checkout.
        const file = path.join(scratch, `${path.basename(block.file, '.md')}-${block.line}.mjs`);
        writeFileSync(file, ts.transpileModule(block.code, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);
        command = [process.execPath, file];
      } else throw new Error(`no runner for ${block.lang} blocks`);
      const env = { ...process.env, PATH: `${shim()}:${process.env.PATH}` };
      const res = spawnSync(command[0], command.slice(1), { cwd, env, encoding: 'utf8', timeout: 300_000 });
      expect(res.status, `${res.stdout}\n${res.stderr}`).toBe(0);
    });
  }
});
