import { describe, expect, it } from 'vitest';
import { predictionsTable } from '../../../src/exporters/tensorboard/text-format.js';
import { sampleRunInfo, syntheticRecord } from './helpers.js';

/** Cells of a Markdown table line (`| a | b |` -> ['a', 'b']). */
function cells(line: string): string[] {
  return line.slice(1, -1).split('|').map((c) => c.trim());
}

describe('the predictions table as TensorBoard renders it', () => {
  const run = sampleRunInfo();
  const record = syntheticRecord(7, { n: 9 });
  const lines = predictionsTable(record, run.vocab).split('\n');
  const table = lines.filter((l) => l.startsWith('|'));

  it('has a header, a separator and one row per step, all with the same six cells', () => {
    expect(table).toHaveLength(2 + record.n);
    for (const line of table) expect(cells(line), line).toHaveLength(6);
    expect(cells(table[0])).toEqual(['t', 'input', 'label', 'prediction', 'ok', 'loss']);
    table.slice(2).forEach((line, t) => expect(cells(line)[0]).toBe(String(t)));
  });

  it('asks for no column alignment, which TensorBoard strips from every cell anyway', () => {
    expect(cells(table[1]).every((c) => /^-+$/.test(c))).toBe(true);
  });
});
