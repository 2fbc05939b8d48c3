import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { writeFileAtomic } from '../../core/atomic-write.js';
import { RnnbowError } from '../../core/errors.js';
import { writeFailureReason } from '../../core/write-failure.js';
import type { ItemizePlan, ItemizeReduction } from '../../train/itemize-text.js';
import { collect } from '../parse.js';

/**
 * Characters in V8's longest string (2^29 - 24): the JSON of one itemization must fit in one.
 * Every number takes at least two of them (a digit and a separator), which gives a bound that
 * refuses only outputs that could never be written.
 */
const MAX_JSON_CHARS = 2 ** 29 - 24;

/** Flags of `rnnbow itemize` as commander parses them. */
interface ItemizeFlags {
  checkpoint: string;
  text?: string;
  textFile?: string;
  reduction: ItemizeReduction;
  out: string;
  plugin?: string[];
}

/** The sequence to itemize, from exactly one of `--text` and `--text-file`. */
function readText(flags: ItemizeFlags): string {
  if (flags.text !== undefined && flags.textFile !== undefined) {
    throw new RnnbowError('INPUT', '--text and --text-file both given', 'pass the sequence one way: --text STRING or --text-file FILE');
  }
  if (flags.textFile === undefined) {
    if (flags.text === undefined) throw new RnnbowError('INPUT', 'no text to itemize', "pass --text 'for (i = 0; i < n; i++)' or --text-file FILE");
    return flags.text;
  }
  try {
    return readFileSync(flags.textFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? (err as Error).message})`;
    throw new RnnbowError('INPUT', `--text-file ${flags.textFile} ${why}`, 'pass a UTF-8 text file; its whole content, a final newline included, is the sequence');
  }
}

/**
 * Makes sure `out` can be written before the itemization runs (a long text takes minutes):
 * its folder is created when missing; a folder in its place is refused.
 */
function prepareOutput(out: string): void {
  const fail = (why: string, hint: string) => new RnnbowError('INPUT', `cannot write --out ${out}: ${why}`, hint);
  try {
    // ENOTDIR (a file where a folder of the path should be) throws even without throwIfNoEntry.
    if (statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw fail('it is a folder', `name a file, e.g. --out ${path.join(out, 'itemized.json')}`);
    mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  } catch (err) {
    if (err instanceof RnnbowError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of its folder path is a file' : `its folder cannot be created (${code})`, 'choose an --out path in a folder you can write to');
  }
}

/**
 * The error for an itemization whose JSON cannot be one string: from the plan (`numbers`, before
 * any work), or from `JSON.stringify` itself, the backstop.
 */
function tooLargeForJson(n: number, reduction: ItemizeReduction, numbers?: number): RnnbowError {
  const what = numbers === undefined ? 'is too large for one JSON file' : `would hold ${numbers.toExponential(1)} numbers, too many for one JSON file`;
  return new RnnbowError(
    'INPUT',
    `the itemization of ${n} steps with --reduction ${reduction} ${what}`,
    reduction === 'none' ? 'use a shorter text, or a reduction (l2) that keeps one number per parameter and step pair' : 'use a shorter text: the output grows with the square of its length',
  );
}

/** Refuses, before any work, an itemization whose JSON cannot fit in one string. */
function refuseTooLarge(plan: ItemizePlan, reduction: ItemizeReduction): void {
  if (plan.numbers * 2 > MAX_JSON_CHARS) throw tooLargeForJson(plan.n, reduction, plan.numbers);
}

/** `rnnbow itemize`: one sequence through a checkpoint, every itemized gradient written as JSON. */
export function itemizeCommand(): Command {
  return new Command('itemize')
    .description('itemize the gradients of one text through a checkpoint (no training); writes JSON (docs/json-schema.md)')
    .requiredOption('--checkpoint <file>', 'checkpoint.json written by training (logdir/<run-id>/checkpoint.json)')
    .option('--text <string>', 'the sequence: inputs are text[0..n-1], targets text[1..n]; every character must be in the checkpoint\'s vocabulary')
    .option('--text-file <file>', 'read the sequence from a UTF-8 file instead (its whole content, a final newline included)')
    .addOption(new Option('--reduction <name>', 'one number per step pair (l2, meanAbs, mean) or none = full matrices').choices(['none', 'l2', 'meanAbs', 'mean']).default('l2'))
    .requiredOption('--out <file>', 'output JSON file (replaced if it exists; its folder is created)')
    .option('--plugin <path|package>', 'load a plugin (repeatable), for plugin cells', collect)
    .action(async (flags: ItemizeFlags) => {
      const text = readText(flags);
      const [{ createRegistry }, { itemizeText }] = await Promise.all([import('../../builtins.js'), import('../../train/itemize-text.js')]);
      const registry = await createRegistry(flags.plugin ?? []);
      const output = await itemizeText(flags.checkpoint, text, {
        reduction: flags.reduction,
        registry,
        // After the checkpoint and the text are checked, before the O(n²) pass.
        onPlan: (plan) => {
          refuseTooLarge(plan, flags.reduction);
          prepareOutput(flags.out);
        },
      });
      let json: string;
      try {
        json = JSON.stringify(output);
      } catch (err) {
        // V8's strings end at 512 MiB: whole matrices at every step pair outgrow them quickly.
        if (!(err instanceof RangeError)) throw err;
        throw tooLargeForJson(output.n, flags.reduction);
      }
      try {
        // Through a temporary file: a full disk must not leave a cut-off file where one was.
        writeFileAtomic(flags.out, json);
      } catch (err) {
        // The temporary file's own failure names it: "--out x.json: a folder has its name" would be false.
        const at = (err as NodeJS.ErrnoException).path;
        const where = at && path.resolve(at) !== path.resolve(flags.out) ? ` (its temporary file ${at})` : '';
        throw new RnnbowError('INPUT', `cannot write --out ${flags.out}: ${writeFailureReason(err)}${where}`, 'choose an --out path in a folder you can write to, on a disk with space');
      }
      // Per character, as train reports it; the file's `loss` is the sum over the steps.
      const steps = `${output.n} step${output.n === 1 ? '' : 's'}`;
      process.stdout.write(`itemized ${steps} of a "${output.cell}" model (loss ${(output.loss / output.n).toFixed(4)} per character) -> ${flags.out}\n`);
    });
}
