import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { RnnbowError } from '../../core/errors.js';
import type { ItemizeReduction } from '../../train/itemize-text.js';
import { collect } from '../parse.js';

/** `rnnbow itemize`: one sequence through a checkpoint, every itemized gradient written as JSON. */
export function itemizeCommand(): Command {
  return new Command('itemize')
    .description('itemize the gradients of one text through a checkpoint (no training)')
    .requiredOption('--checkpoint <file>', 'checkpoint.json written by training')
    .requiredOption('--text <string>', 'the sequence: inputs are text[0..n-1], targets text[1..n]')
    .addOption(new Option('--reduction <name>', 'none = full matrices').choices(['none', 'l2', 'meanAbs', 'mean']).default('l2'))
    .requiredOption('--out <file>', 'output JSON file')
    .option('--plugin <path|package>', 'load a plugin (repeatable), for plugin cells', collect)
    .action(async (flags: { checkpoint: string; text: string; reduction: ItemizeReduction; out: string; plugin?: string[] }) => {
      const [{ createRegistry }, { itemizeText }] = await Promise.all([import('../../builtins.js'), import('../../train/itemize-text.js')]);
      const registry = await createRegistry(flags.plugin ?? []);
      const output = await itemizeText(flags.checkpoint, flags.text, { reduction: flags.reduction, registry });
      let json: string;
      try {
        json = JSON.stringify(output);
      } catch (err) {
        // V8's strings end at 512 MiB: whole matrices at every step pair outgrow them quickly.
        if (!(err instanceof RangeError)) throw err;
        throw new RnnbowError(
          'INPUT',
          `the itemization of ${output.n} steps with --reduction ${flags.reduction} is too large for one JSON file`,
          flags.reduction === 'none' ? 'use a shorter --text, or a reduction (l2) that keeps one number per parameter and step pair' : 'use a shorter --text',
        );
      }
      try {
        writeFileSync(flags.out, json);
      } catch (err) {
        throw new RnnbowError('INPUT', `cannot write ${flags.out}: ${(err as NodeJS.ErrnoException).code}`);
      }
      // Per character, as train reports it; the file's `loss` is the sum over the steps.
      process.stdout.write(`itemized ${output.n} steps of a "${output.cell}" model (loss ${(output.loss / output.n).toFixed(4)} per character) -> ${flags.out}\n`);
    });
}
