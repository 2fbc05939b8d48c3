import { describe, expect, it } from 'vitest';
import { demoCommand } from '../../src/cli/commands/demo.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { CONFIG_FLAGS } from '../../src/cli/config-flags.js';
import { RunConfigSchema } from '../../src/core/config.js';

describe('the map from config fields to the flags that set them', () => {
  it('names only flags the commands have, and only fields the config has', () => {
    const commands = { train: trainCommand(), demo: demoCommand() };
    const fields = Object.keys(RunConfigSchema.shape);
    for (const [name, map] of Object.entries(CONFIG_FLAGS)) {
      const longs = commands[name as keyof typeof commands].options.map((o) => o.long);
      for (const [field, flag] of Object.entries(map)) {
        expect(longs, `${name} ${flag}`).toContain(flag);
        expect(fields, field).toContain(field.split('.')[0]);
      }
    }
  });

  it('covers every train flag that sets a config field of the same meaning', () => {
    // The train flags with no config field of their own: they pick the file or shape the recorder.
    const notFields = new Set(['--config', '--recorder-opt', '--k', '--every', '--no-residual', '--residual', '--help', '--serve', '--port', '--host']);
    const mapped = new Set(Object.values(CONFIG_FLAGS.train));
    const unmapped = trainCommand().options.map((o) => o.long!).filter((f) => !notFields.has(f) && !mapped.has(f));
    expect(unmapped).toEqual([]);
  });
});
