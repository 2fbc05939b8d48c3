import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/builtins.js';
import { PluginError } from '../../src/core/errors.js';
import { resolvePlugin } from '../../src/core/plugin-loader.js';
import { tempDir, writeTree } from './helpers/repo.js';

// Each fixture is a plugin folder as a user would write it; none imports a package, so they load
// from a temporary folder outside the repository.
const root = tempDir('loader');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fixture(name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  writeTree(dir, { 'package.json': JSON.stringify({ name, type: 'module', main: 'index.js' }), ...files });
  return dir;
}

/** A registration literal, as definePlugin would build it (fixtures import nothing). */
const plugin = (name: string, parts: string) => `{ kind: 'rnnbow-plugin', name: '${name}', cells: [], recorders: [], exporters: [], ${parts} }`;
const recorder = (name: string) => `{ name: '${name}', description: 'test', create: () => ({ description: '${name}', plan: () => null }) }`;

async function loadError(specs: string[]): Promise<PluginError> {
  try {
    await createRegistry(specs, root);
  } catch (err) {
    expect(err).toBeInstanceOf(PluginError);
    return err as PluginError;
  }
  throw new Error(`loading ${specs.join(', ')} did not fail`);
}

describe('plugin loading reports a bad plugin by name and cause', () => {
  it('file not found', async () => {
    const err = await loadError(['./no-such-plugin']);
    expect(err.plugin).toBe('./no-such-plugin');
    expect(err.message).toBe(`plugin "./no-such-plugin": file not found: ${path.join(root, 'no-such-plugin')}`);
    expect(err.hint).toMatch(/path/);
  });

  it('package not installed', async () => {
    const err = await loadError(['rnnbow-plugin-that-is-not-installed']);
    expect(err.message).toMatch(/^plugin "rnnbow-plugin-that-is-not-installed": package not found from /);
    expect(err.hint).toMatch(/npm install rnnbow-plugin-that-is-not-installed/);
  });

  it('package.json main pointing at a missing file', async () => {
    const dir = path.join(root, 'bad-main');
    writeTree(dir, { 'package.json': JSON.stringify({ name: 'x', type: 'module', main: 'dist/index.js' }) });
    const err = await loadError([dir]);
    expect(err.message).toContain(`file not found: ${path.join(dir, 'dist/index.js')} (named by "main"`);
  });

  it('folder without package.json or index.js', async () => {
    const dir = path.join(root, 'empty-folder');
    writeTree(dir, { 'README.md': 'nothing here' });
    const err = await loadError([dir]);
    expect(err.message).toMatch(/has no package\.json "exports" or "main" and no index\.js/);
  });

  it('no registration exported', async () => {
    const dir = fixture('no-registration', { 'index.js': 'export const cells = []; export function helper() {}' });
    const err = await loadError([dir]);
    expect(err.message).toMatch(/exports no registration/);
    expect(err.message).toContain('exports cells, helper');
    expect(err.hint).toMatch(/export default definePlugin/);
  });

  it('throws while loading', async () => {
    const dir = fixture('throws', { 'index.js': "throw new TypeError('cannot read the weights file');" });
    const err = await loadError([dir]);
    expect(err.message).toMatch(/throws while loading .*index\.js: TypeError: cannot read the weights file/);
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it('imports something that is not installed', async () => {
    const dir = fixture('missing-dep', { 'index.js': "import 'rnnbow-dependency-that-does-not-exist';\nexport default {};" });
    const err = await loadError([dir]);
    expect(err.message).toMatch(/throws while loading/);
    expect(err.message).toContain('rnnbow-dependency-that-does-not-exist');
  });

  it('a cell whose name clashes with a built-in', async () => {
    const dir = fixture('clash-builtin', {
      'index.js': `export default ${plugin('clash', "cells: [{ name: 'lstm', description: 'x', state: ['h'], params: () => [], step: (ctx, x, s) => s }]")};`,
    });
    const err = await loadError([dir]);
    expect(err.message).toBe(`plugin "${dir}": cell "lstm" is already registered by rnnbow (built-in)`);
    expect(err.hint).toMatch(/rename the cell/);
  });

  it('a recorder whose name clashes with another plugin', async () => {
    const a = fixture('first', { 'index.js': `export default ${plugin('first', `recorders: [${recorder('shared-name')}]`)};` });
    const b = fixture('second', { 'index.js': `export default ${plugin('second', `recorders: [${recorder('shared-name')}]`)};` });
    const err = await loadError([a, b]);
    expect(err.plugin).toBe(b);
    expect(err.message).toBe(`plugin "${b}": recorder "shared-name" is already registered by ${a}`);
  });

  it('the same name twice in one plugin', async () => {
    const dir = fixture('twice', { 'index.js': `export default ${plugin('twice', `recorders: [${recorder('r')}, ${recorder('r')}]`)};` });
    expect((await loadError([dir])).message).toMatch(/registers recorder "r" twice/);
  });

  it('a cell whose step returns the wrong shape, caught at load', async () => {
    // Returns the one-hot input [rows, inputSize] instead of a [rows, hiddenSize] state.
    const dir = fixture('wrong-shape', {
      'index.js': `export default ${plugin('wrong-shape', "cells: [{ name: 'echo', description: 'x', state: ['h'], params: () => [], step: (ctx, x) => [x] }]")};`,
    });
    const err = await loadError([dir]);
    expect(err.message).toBe(`plugin "${dir}": cell "echo": state "h" must be [rows, 3] = [2, 3], step returned [2,5]`);
  });

  it('a cell whose step returns too few state tensors', async () => {
    const dir = fixture('too-few', {
      'index.js': `export default ${plugin('too-few', "cells: [{ name: 'half-lstm', description: 'x', state: ['h', 'c'], params: () => [], step: (ctx, x, [h]) => [h] }]")};`,
    });
    expect((await loadError([dir])).message).toMatch(/cell "half-lstm": step must return 2 state tensor\(s\) \(h, c\), got 1/);
  });

  it('a cell whose params() throws', async () => {
    const dir = fixture('params-throw', {
      'index.js': `export default ${plugin('params-throw', "cells: [{ name: 'p', description: 'x', state: ['h'], params: () => { throw new Error('no dims'); }, step: (c, x, s) => s }]")};`,
    });
    expect((await loadError([dir])).message).toBe(`plugin "${dir}": cell "p" fails the load-time probe: no dims`);
  });

  it('a cell without a step function', async () => {
    const dir = fixture('no-step', { 'index.js': `export default ${plugin('no-step', "cells: [{ name: 'lazy', description: 'x', state: ['h'], params: () => [] }]")};` });
    expect((await loadError([dir])).message).toBe(`plugin "${dir}": cell "lazy" has no step() function`);
  });

  it('a recorder without a name', async () => {
    const dir = fixture('nameless', { 'index.js': `export default ${plugin('nameless', "recorders: [{ description: 'x', create() {} }]")};` });
    expect((await loadError([dir])).message).toBe(`plugin "${dir}": a recorder has no name`);
  });

  it('a failed plugin leaves the registry without any of its parts', async () => {
    // One good recorder, then a clashing cell: nothing of the plugin may remain registered.
    const dir = fixture('half-good', {
      'index.js': `export default ${plugin('half-good', `recorders: [${recorder('good-one')}], cells: [{ name: 'rnn', description: 'x', state: ['h'], params: () => [], step: (c, x, s) => s }]`)};`,
    });
    const { PartRegistry } = await import('../../src/core/registry.js');
    const { builtinPlugin } = await import('../../src/builtins.js');
    const { loadPlugins } = await import('../../src/core/plugin-loader.js');
    const registry = new PartRegistry();
    registry.register(builtinPlugin, 'rnnbow (built-in)');
    await expect(loadPlugins(registry, [dir])).rejects.toThrow(/cell "rnn" is already registered/);
    expect(registry.names('recorder')).not.toContain('good-one');
  });

  it('resolves a folder through package.json "exports" with conditions', () => {
    const dir = path.join(root, 'conditional');
    writeTree(dir, {
      'package.json': JSON.stringify({ name: 'c', type: 'module', exports: { '.': { types: './index.d.ts', import: './lib/plugin.js', require: './cjs/plugin.cjs' } } }),
      'lib/plugin.js': 'export default {};',
    });
    expect(resolvePlugin(dir)).toBe(path.join(dir, 'lib/plugin.js'));
  });

  it('resolves an installed package by name from node_modules', () => {
    const project = path.join(root, 'project');
    writeTree(project, {
      'node_modules/@acme/rnnbow-cells/package.json': JSON.stringify({ name: '@acme/rnnbow-cells', type: 'module', exports: { import: './esm/index.js' } }),
      'node_modules/@acme/rnnbow-cells/esm/index.js': 'export default {};',
    });
    expect(resolvePlugin('@acme/rnnbow-cells', path.join(project, 'src'))).toBe(path.join(project, 'node_modules/@acme/rnnbow-cells/esm/index.js'));
  });
});

describe('inversify ContainerModule plugins get the same checks', () => {
  it('registers a module that binds a recorder, and refuses one that clashes or binds a broken cell', async () => {
    const { ContainerModule } = await import('inversify');
    const { PartRegistry } = await import('../../src/core/registry.js');
    const { builtinPlugin } = await import('../../src/builtins.js');
    const { TOKENS } = await import('../../src/core/tokens.js');
    const registry = new PartRegistry();
    registry.register(builtinPlugin, 'rnnbow (built-in)');
    const good = new ContainerModule(({ bind }) => {
      bind(TOKENS.Recorder).toConstantValue({ name: 'from-module', description: 'x', create: () => ({ description: 'x', plan: () => null }) });
    });
    registry.registerModule(good, 'good-module');
    expect(registry.names('recorder')).toContain('from-module');

    const clashing = new ContainerModule(({ bind }) => {
      bind(TOKENS.Recorder).toConstantValue({ name: 'from-module', description: 'x', create: () => ({ description: 'x', plan: () => null }) });
    });
    expect(() => registry.registerModule(clashing, 'clashing-module')).toThrow('plugin "clashing-module": recorder "from-module" is already registered by good-module');
    expect(registry.names('recorder').filter((n) => n === 'from-module')).toHaveLength(1);

    const broken = new ContainerModule(({ bind }) => {
      bind(TOKENS.Cell).toConstantValue({ name: 'echo', description: 'x', state: ['h'], params: () => [], step: (_ctx: unknown, x: unknown) => [x] });
    });
    expect(() => registry.registerModule(broken, 'broken-module')).toThrow(/plugin "broken-module": cell "echo": state "h" must be \[rows, 3\]/);
    expect(registry.names('cell')).not.toContain('echo');
  });
});
