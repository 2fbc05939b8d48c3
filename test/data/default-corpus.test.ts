import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { generateCCorpus } from '../../src/data/c-generator.js';
import { defaultCorpus, nodeHeaderFiles, nodeIncludeDir } from '../../src/data/default-corpus.js';
import { tempTree } from './temp-tree.js';

describe('nodeIncludeDir', () => {
  it('is include/node beside the bin folder of the node binary', () => {
    expect(nodeIncludeDir('/opt/node-v20/bin/node')).toBe(path.join('/opt/node-v20', 'include', 'node'));
    expect(nodeIncludeDir()).toBe(path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node'));
  });
});

describe('defaultCorpus', () => {
  const include = tempTree({
    'v8.h': 'V8\n',
    'zlib.h': 'ZLIB\n',
    'uv.h': 'UV\n',
    'node_api.h': 'NODE_API\n',
    'node.h': 'NODE\n',
    'js_native_api.h': 'JSNAPI\n',
    'common.gypi': 'not a header\n',
    'openssl/ssl.h': 'OPENSSL\n',
    'uv/unix.h': 'UV_UNIX\n',
  });

  it("picks the top-level headers, Node's own API first", () => {
    expect(nodeHeaderFiles(include).map((f) => path.basename(f))).toEqual([
      'node.h', 'node_api.h', 'js_native_api.h', 'uv.h', 'v8.h', 'zlib.h',
    ]);
    const c = defaultCorpus({ includeDir: include });
    expect(c.text).toBe('NODE\nNODE_API\nJSNAPI\nUV\nV8\nZLIB\n');
    expect(c.files).toBe(6);
    expect(c.source).toBe(`Node.js C headers in ${include}`);
  });

  it('caps the headers at maxChars', () => {
    const c = defaultCorpus({ includeDir: include, maxChars: 12 });
    expect(c.text).toBe('NODE\nNODE_AP');
    expect(c.truncated).toBe(true);
  });

  it('generates C when the include folder does not exist', () => {
    const missing = path.join(include, 'does-not-exist');
    const c = defaultCorpus({ includeDir: missing, seed: 3, generatedChars: 5000 });
    expect(c.source).toBe(`generated C (seed 3; no Node.js headers in ${missing})`);
    expect(c.files).toBe(0);
    expect(c.text).toBe(generateCCorpus({ seed: 3, chars: 5000 }));
    expect(c.chars).toBe(c.text.length);
    expect(c.text).toContain('#include <');
  });

  it('keeps the generated corpus within maxChars', () => {
    const c = defaultCorpus({ includeDir: '/nonexistent/include/node', maxChars: 2000 });
    expect(c.text.length).toBe(2000);
    expect(c.truncated).toBe(true);
    expect(c.text).toBe(generateCCorpus({ seed: 1, chars: 2000 }).slice(0, 2000));
  });

  it('falls back to generated C, saying why, when the headers cannot be used', () => {
    const broken = tempTree({ 'node.h': new Uint8Array([0x23, 0x00]) });
    const c = defaultCorpus({ includeDir: broken, generatedChars: 1000 });
    expect(c.source).toMatch(/^generated C \(seed 1; Node\.js headers in .* unusable: corpus file .*node\.h is binary/);
  });

  it('rejects a bad maxChars before choosing', () => {
    expect(() => defaultCorpus({ includeDir: '/nonexistent', maxChars: 0 })).toThrow(ConfigError);
  });

  it("uses this machine's Node.js headers exactly when they are there", () => {
    const headers = nodeHeaderFiles(nodeIncludeDir());
    const c = defaultCorpus({ maxChars: 300_000 });
    if (headers.length > 0) {
      expect(c.source).toBe(`Node.js C headers in ${nodeIncludeDir()}`);
      expect(c.files).toBeGreaterThan(0);
      expect(c.text).toMatch(/#include|#define/);
    } else {
      expect(c.source).toMatch(/^generated C/);
    }
    expect(c.chars).toBeLessThanOrEqual(300_000);
  });
});
