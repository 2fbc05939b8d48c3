import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RnnbowError } from '../../../src/core/errors.js';
import { readJsonRun } from '../../../src/exporters/json/json-reader.js';
import { tempDir } from '../../helpers/temp.js';

describe('readJsonRun on a folder that is not a JSON run', () => {
  const dir = tempDir();
  it('says the folder is missing, or has no run.json (a TensorBoard-only run), as an RnnbowError', () => {
    const missing = path.join(dir, 'nope');
    expect(() => readJsonRun(missing)).toThrow(RnnbowError);
    expect(() => readJsonRun(missing)).toThrow(`readJsonRun: ${missing} does not exist`);
    const tbOnly = path.join(dir, 'tb-only');
    mkdirSync(tbOnly);
    expect(() => readJsonRun(tbOnly)).toThrow(`readJsonRun: ${tbOnly} has no run.json`);
  });

  it('says a damaged run.json is one, as an RnnbowError with a hint (was a bare SyntaxError: "internal error")', () => {
    for (const [name, text, message] of [
      ['cut', '{"runId": "x", "cell": "rn', /run\.json is not valid JSON/],
      ['null', 'null', /run\.json holds null, not a run description/],
      ['array', '[1, 2]', /run\.json holds an array, not a run description/],
    ] as const) {
      const run = path.join(dir, name);
      mkdirSync(run);
      writeFileSync(path.join(run, 'run.json'), text);
      let err: unknown;
      try {
        readJsonRun(run);
      } catch (e) {
        err = e;
      }
      expect(err, name).toBeInstanceOf(RnnbowError);
      expect((err as RnnbowError).message).toMatch(message);
      expect((err as RnnbowError).hint).toBeTruthy();
    }
  });
});
