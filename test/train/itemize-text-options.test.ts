import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { itemizeText } from '../../src/train/itemize-text.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

describe('itemizeText refuses options it would otherwise take silently', () => {
  const dir = tempDir();
  const trained = train({ ...smallRunConfig(dir), steps: 1 });
  const refused = async (text: unknown, options: object) => itemizeText((await trained).checkpoint, text as string, options).then(() => null, (e: unknown) => e);

  it('names a reduction, engine or backend that does not exist, a misspelt option and a text that is not a string', async () => {
    const cases: [unknown, object, RegExp][] = [
      ['int main', { reduction: 'L2' }, /reduction must be one of none, l2, meanAbs, mean, got "L2"/],
      ['int main', { engine: 'gpu' }, /engine must be one of auto, fused, tfjs, got "gpu"/],
      ['int main', { backend: 'foo' }, /backend must be one of auto, cpu, wasm, tensorflow, got "foo"/],
      ['int main', { reductoin: 'none' }, /unknown option "reductoin"; known options: reduction, registry, engine, backend/],
      [12345, {}, /the text must be a string, got number/],
    ];
    for (const [text, options, message] of cases) {
      const err = await refused(text, options);
      expect(err, JSON.stringify(options)).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(message);
    }
  });

  it('still itemizes with valid options', async () => {
    const out = await itemizeText((await trained).checkpoint, 'int main', { reduction: 'meanAbs', engine: 'fused' });
    expect(out.reduction).toBe('meanAbs');
    expect(out.n).toBe(7);
  });
});
