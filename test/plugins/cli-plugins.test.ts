import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir, writeCorpus, writeTree } from './helpers/repo.js';

// These run the compiled CLI in a child process: plugins load exactly as they do for a user.
const root = tempDir('cli');
let corpus = '';
beforeAll(() => {
  requireBuild();
  corpus = writeCorpus(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * A plugin folder far from any node_modules, as a user keeps one next to a globally installed CLI:
 * it imports rnnbow, tfjs and inversify by name and must get the copies the CLI runs. Its recorder
 * throws rnnbow's own ConfigError, which the CLI can only print as a one-line user error if the
 * class is the CLI's own (a second copy of rnnbow would make it an "internal error").
 */
const standalone = {
  'package.json': JSON.stringify({ name: 'standalone-plugin', type: 'module', exports: './index.js' }),
  'index.js': `
import * as tf from '@tensorflow/tfjs';
import { ContainerModule } from 'inversify';
import { ConfigError, TOKENS } from 'rnnbow';

/** @type {import('rnnbow').CellDefinition} */
const leaky = {
  name: 'leaky',
  description: 'leaky tanh cell: h + a(tanh(W x + b + u*h) - h), a = 0.5',
  state: ['h'],
  params: ({ inputSize, hiddenSize }) => [
    { name: 'weight_ih', shape: [hiddenSize, inputSize] },
    { name: 'bias_ih', shape: [hiddenSize] },
    { name: 'weight_hh', shape: [hiddenSize] },
  ],
  step: (ctx, x, [h]) => {
    const a = tf.tanh(tf.add(ctx.linear('weight_ih', x, 'bias_ih'), ctx.elementwise('weight_hh', h)));
    return [tf.add(h, tf.mul(0.5, tf.sub(a, h)))];
  },
};

/** @type {import('rnnbow').RecorderDefinition} */
const strict = {
  name: 'strict',
  description: 'records every batch in full; option fail=true refuses',
  create(options) {
    if (options.fail === true || options.fail === 'true') throw new ConfigError('recorder "strict": refusing as asked (fail=true)');
    return { description: 'strict', plan: () => ({ k: null, residual: false }) };
  },
};

export default new ContainerModule(({ bind }) => {
  bind(TOKENS.Cell).toConstantValue(leaky);
  bind(TOKENS.Recorder).toConstantValue(strict);
});
`,
};

describe('plugins through the CLI', () => {
  it('lists the example plugins\' parts next to the built-ins', () => {
    const r = runCli(['parts', '--plugin', './plugins/mgu-cell', '--plugin', './plugins/adaptive-k-recorder']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ {2}mgu +Minimal Gated Unit/m);
    expect(r.stdout).toMatch(/^ {2}adaptive-k +itemize up to kMax/m);
    expect(r.stdout).toMatch(/^ {2}lstm +LSTM/m);
  });

  it('loads a plugin folder outside any project with the CLI\'s own rnnbow, tfjs and inversify', () => {
    const dir = path.join(root, 'standalone');
    writeTree(dir, standalone);
    const logdir = path.join(root, 'runs');
    const common = ['--plugin', dir, '--cell', 'leaky', '--hidden', '6', '--corpus', corpus, '--logdir', logdir, '--export', 'json'];
    const ok = runCli(['train', ...common, '--steps', '3', '--recorder', 'strict', '--every', '1', '--run-name', 'leaky']);
    expect(ok.stderr).not.toMatch(/rnnbow:|Error/);
    expect(ok.status).toBe(0);
    const records = readFileSync(path.join(logdir, 'leaky/records.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(3);
    // weight_hh enters through ctx.elementwise: itemized like the linear weights.
    expect(Object.keys(records[0].params).sort()).toEqual(['bias_ih', 'weight_hh', 'weight_ih']);

    const refused = runCli(['train', ...common, '--steps', '1', '--recorder', 'strict', '--recorder-opt', 'fail=true', '--run-name', 'refused']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe('rnnbow: recorder "strict": refusing as asked (fail=true)\n');
  });

  it('reports a syntax error with its location, in one line', () => {
    const dir = path.join(root, 'syntax');
    writeTree(dir, { 'package.json': JSON.stringify({ name: 's', type: 'module', main: 'index.js' }), 'index.js': 'export default {\n  name: "x",\n' });
    const r = runCli(['parts', '--plugin', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`rnnbow: plugin "${dir}": throws while loading: syntax error at ${path.join(dir, 'index.js')}:3: Unexpected end of input\n`);
  });

  it('finds a syntax error in a module the entry imports, and in a lone file without package.json', () => {
    const dir = path.join(root, 'syntax-deep');
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 's2', type: 'module', main: 'index.js' }),
      'index.js': "import { cell } from './cells/leaky.js';\nexport default { kind: 'rnnbow-plugin', name: 's2', cells: [cell] };\n",
      'cells/leaky.js': "import * as tf from '@tensorflow/tfjs';\nexport const cell = {\n  name: 'leaky',\n}};\n",
    });
    const deep = runCli(['parts', '--plugin', dir]);
    expect(deep.stderr).toMatch(new RegExp(`syntax error at ${path.join(dir, 'cells', 'leaky.js').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: Unexpected token`));
    // A single .js file, no package.json: Node 20's own --check passes this file.
    const lone = path.join(root, 'lone-syntax.js');
    writeTree(root, { 'lone-syntax.js': "import x from 'y';\nexport default {\n  a: 1,\n}}\n" });
    const single = runCli(['parts', '--plugin', lone]);
    expect(single.stderr).toMatch(new RegExp(`syntax error at ${lone.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: Unexpected token`));
  });

  it('refuses a cell with wrong shapes before anything is written', () => {
    const dir = path.join(root, 'wrong-shape');
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'w', type: 'module', main: 'index.js' }),
      'index.js': `import { definePlugin } from 'rnnbow';
export default definePlugin({ name: 'w', cells: [{ name: 'wide', description: 'x', state: ['h'], params: () => [], step: (ctx, x, [h]) => [h.concat(h, 1)] }] });`,
    });
    const logdir = path.join(root, 'never-written');
    const r = runCli(['train', '--plugin', dir, '--cell', 'wide', '--corpus', corpus, '--logdir', logdir, '--steps', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`rnnbow: plugin "${dir}": cell "wide": state "h" must be [rows, 3] = [2, 3], step returned [2,6]\n  hint: a cell's params() must declare what step() uses, and step() must return one [rows, hiddenSize] tensor per state component\n`);
    expect(existsSync(logdir)).toBe(false);
  });

  it('reports a missing plugin in one line and exits 1', () => {
    const r = runCli(['itemize', '--plugin', './plugins/no-such-plugin', '--checkpoint', 'x.json', '--text', 'ab', '--out', path.join(root, 'x.json')]);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(`rnnbow: plugin "./plugins/no-such-plugin": file not found: ${path.resolve('plugins/no-such-plugin')}`);
  });
});
