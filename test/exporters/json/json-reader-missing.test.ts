import { mkdirSync } from 'node:fs';
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
});
