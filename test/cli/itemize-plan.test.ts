import { describe, expect, it } from 'vitest';
import { itemizeText, type ItemizePlan } from '../../src/train/itemize-text.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

/** Every number in a JSON value, counted by walking it (independent of how the plan is computed). */
function countNumbers(value: unknown): number {
  if (typeof value === 'number') return 1;
  if (Array.isArray(value)) return value.reduce((s: number, v) => s + countNumbers(v), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((s: number, v) => s + countNumbers(v), 0);
  return 0;
}

describe('itemizeText announces what it will compute before the O(n²) pass', () => {
  const dir = tempDir();
  const runs = Promise.all((['rnn', 'lstm'] as const).map((cell) => train({ ...smallRunConfig(dir), cell, steps: 1, runName: cell })));

  it('the planned count is the number of values in the output, for every reduction and cell', async () => {
    for (const { checkpoint } of await runs) {
      for (const reduction of ['l2', 'none'] as const) {
        let plan: ItemizePlan | undefined;
        const out = await itemizeText(checkpoint, 'int main(void)', { reduction, onPlan: (p) => (plan = p) });
        const { gradients, itemized, gates, losses, predictions } = out;
        expect(plan, `${out.cell} ${reduction}`).toEqual({ n: 13, pairs: (13 * 14) / 2, numbers: countNumbers({ gradients, itemized, gates, losses, predictions }) });
      }
    }
  });

  it('a plan that throws stops it, and the error is the caller\'s', async () => {
    const [{ checkpoint }] = await runs;
    const stop = new Error('too big');
    await expect(itemizeText(checkpoint, 'int main', { onPlan: () => { throw stop; } })).rejects.toBe(stop);
  });

  it('refuses an onPlan that is not a function', async () => {
    const [{ checkpoint }] = await runs;
    await expect(itemizeText(checkpoint, 'int main', { onPlan: 'yes' as never })).rejects.toThrow('itemizeText: onPlan must be a function');
  });
});
