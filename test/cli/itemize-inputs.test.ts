import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { itemizeCommand } from '../../src/cli/commands/itemize.js';
import { formatError, RnnbowError } from '../../src/core/errors.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

const dir = tempDir();
const trained = train({ ...smallRunConfig(dir), steps: 1 });

/** Runs `rnnbow itemize ARGS` in-process; resolves to what it printed or rejects with what it threw. */
async function itemize(args: string[]): Promise<string> {
  const printed: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    printed.push(String(chunk));
    return true;
  });
  try {
    await itemizeCommand().exitOverride().parseAsync(args, { from: 'user' });
  } finally {
    write.mockRestore();
  }
  return printed.join('');
}

/** The error `rnnbow itemize ARGS` stops with, checked to print as one line and a hint, no stack. */
async function refusal(args: string[]): Promise<RnnbowError> {
  const err = await itemize(args).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, args.join(' ')).toBeInstanceOf(RnnbowError);
  const e = err as RnnbowError;
  expect(e.hint, e.message).toBeTruthy();
  const lines = formatError(e).split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^ {2}hint: /);
  return e;
}

afterEach(() => vi.restoreAllMocks());

describe('rnnbow itemize: checkpoint paths a student gets wrong', () => {
  it('a run folder instead of its checkpoint.json points at the file inside', async () => {
    const { runDir } = await trained;
    const e = await refusal(['--checkpoint', runDir, '--text', 'int main', '--out', path.join(dir, 'a.json')]);
    expect(e.message).toBe(`checkpoint ${runDir} is a folder, not a checkpoint file`);
    expect(e.hint).toBe(`pass the file inside it: ${path.join(runDir, 'checkpoint.json')}`);
  });

  it('a missing file, a file cut short and one from a newer version say what to pass', async () => {
    const { checkpoint } = await trained;
    const missing = await refusal(['--checkpoint', path.join(dir, 'nope.json'), '--text', 'int main', '--out', path.join(dir, 'a.json')]);
    expect(missing.message).toMatch(/nope\.json does not exist$/);
    expect(missing.hint).toMatch(/checkpoint\.json/);

    const cut = path.join(dir, 'cut.json');
    writeFileSync(cut, readFileSync(checkpoint, 'utf8').slice(0, 200));
    expect((await refusal(['--checkpoint', cut, '--text', 'int main', '--out', path.join(dir, 'a.json')])).message).toMatch(/is not valid JSON/);

    const newer = path.join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ ...JSON.parse(readFileSync(checkpoint, 'utf8')), version: 2 }));
    const fromNewer = await refusal(['--checkpoint', newer, '--text', 'int main', '--out', path.join(dir, 'a.json')]);
    expect(fromNewer.message).toMatch(/unsupported checkpoint version 2/);
    expect(fromNewer.hint).toMatch(/newer rnnbow: upgrade/);
  });

  it('--resume gets the same help as itemize: the loader is one', async () => {
    const { runDir } = await trained;
    const resume = (from: string) => train({ ...smallRunConfig(dir), steps: 1, resume: from }).then(() => null, (e: unknown) => e as RnnbowError);
    const folder = await resume(runDir);
    expect(folder?.message).toBe(`checkpoint ${runDir} is a folder, not a checkpoint file`);
    expect(folder?.hint).toBe(`pass the file inside it: ${path.join(runDir, 'checkpoint.json')}`);
    const through = await resume(path.join(runDir, 'run.json', 'checkpoint.json'));
    expect(through?.message).toMatch(/does not exist$/);
  });
});

describe('rnnbow itemize: the text', () => {
  it('an empty or one-character text explains why two are needed', async () => {
    const { checkpoint } = await trained;
    for (const text of ['', 'i']) {
      const e = await refusal(['--checkpoint', checkpoint, '--text', text, '--out', path.join(dir, 'a.json')]);
      expect(e.message).toMatch(`got ${text.length}`);
      expect(e.hint).toMatch(/n\+1 characters gives n steps/);
    }
  });

  it('a character outside the vocabulary is named with its position', async () => {
    const { checkpoint } = await trained;
    const e = await refusal(['--checkpoint', checkpoint, '--text', 'int é', '--out', path.join(dir, 'a.json')]);
    expect(e.message).toMatch(/"é" \(U\+00E9\) at position 4 is not in the vocabulary/);
  });

  it('--text-file gives the same itemization as the same text in --text, a final newline included', async () => {
    const { checkpoint } = await trained;
    const text = 'int main(void)\n{\n  return 0;\n}\n';
    const file = path.join(dir, 'snippet.c');
    writeFileSync(file, text);
    await itemize(['--checkpoint', checkpoint, '--text-file', file, '--out', path.join(dir, 'from-file.json')]);
    await itemize(['--checkpoint', checkpoint, '--text', text, '--out', path.join(dir, 'from-flag.json')]);
    const fromFile = JSON.parse(readFileSync(path.join(dir, 'from-file.json'), 'utf8'));
    expect(fromFile.text).toBe(text);
    expect(fromFile.n).toBe(text.length - 1);
    expect(fromFile).toEqual(JSON.parse(readFileSync(path.join(dir, 'from-flag.json'), 'utf8')));
  });

  it('refuses no text, both --text and --text-file, and a --text-file that does not exist', async () => {
    const { checkpoint } = await trained;
    const out = ['--out', path.join(dir, 'a.json')];
    expect((await refusal(['--checkpoint', checkpoint, ...out])).message).toBe('no text to itemize');
    expect((await refusal(['--checkpoint', checkpoint, '--text', 'ab', '--text-file', 'x.c', ...out])).message).toBe('--text and --text-file both given');
    expect((await refusal(['--checkpoint', checkpoint, '--text-file', path.join(dir, 'none.c'), ...out])).message).toMatch(/none\.c does not exist$/);
  });

  it('says "1 step", not "1 steps"', async () => {
    const { checkpoint } = await trained;
    expect(await itemize(['--checkpoint', checkpoint, '--text', 'in', '--out', path.join(dir, 'one.json')])).toMatch(/^itemized 1 step of a "rnn" model/);
  });
});

describe('rnnbow itemize: the output path', () => {
  it('creates a missing folder for --out', async () => {
    const { checkpoint } = await trained;
    const out = path.join(dir, 'new', 'deeper', 'itemized.json');
    await itemize(['--checkpoint', checkpoint, '--text', 'int main', '--out', out]);
    expect(JSON.parse(readFileSync(out, 'utf8')).n).toBe(7);
  });

  it('replaces an existing file', async () => {
    const { checkpoint } = await trained;
    const out = path.join(dir, 'existing.json');
    writeFileSync(out, 'old');
    await itemize(['--checkpoint', checkpoint, '--text', 'int', '--out', out]);
    expect(JSON.parse(readFileSync(out, 'utf8')).n).toBe(2);
    // Written through a temporary sibling, which the rename leaves no trace of.
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('writes through a symbolic link to its target, and the link stays a link', async () => {
    const { checkpoint } = await trained;
    const target = path.join(dir, 'link-target.json');
    const link = path.join(dir, 'link.json');
    writeFileSync(target, 'old');
    symlinkSync(target, link);
    await itemize(['--checkpoint', checkpoint, '--text', 'int', '--out', link]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).n).toBe(2);
  });

  it('keeps an existing file whole when the new one cannot be written', async () => {
    const { checkpoint } = await trained;
    const out = path.join(dir, 'kept.json');
    writeFileSync(out, 'old');
    // A folder where the temporary file goes makes the write fail after the itemization ran.
    const blocker = path.join(dir, `.kept.json.${process.pid}.tmp`);
    mkdirSync(blocker);
    try {
      const e = await refusal(['--checkpoint', checkpoint, '--text', 'int', '--out', out]);
      // The temporary file's name is writeFileAtomic's (src/core/atomic-write.ts).
      expect(e.message).toBe(`cannot write --out ${out}: a folder has its name (its temporary file ${blocker})`);
      expect(readFileSync(out, 'utf8')).toBe('old');
    } finally {
      rmSync(blocker, { recursive: true });
    }
  });

  it('refuses a folder as --out, naming a file to use instead', async () => {
    const { checkpoint } = await trained;
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    const e = await refusal(['--checkpoint', checkpoint, '--text', 'int main', '--out', folder]);
    expect(e.message).toBe(`cannot write --out ${folder}: it is a folder`);
    expect(e.hint).toBe(`name a file, e.g. --out ${path.join(folder, 'itemized.json')}`);
  });

  it('refuses an --out or --checkpoint path that goes through a file as if it were a folder', async () => {
    const { checkpoint } = await trained;
    const out = path.join(checkpoint, 'itemized.json');
    expect((await refusal(['--checkpoint', checkpoint, '--text', 'int main', '--out', out])).message).toBe(`cannot write --out ${out}: a part of its folder path is a file`);
    const through = path.join(checkpoint, 'checkpoint.json');
    expect((await refusal(['--checkpoint', through, '--text', 'int main', '--out', path.join(dir, 'a.json')])).message).toBe(`checkpoint ${through} does not exist`);
  });

  it('refuses, before any work, a text whose full matrices could not fit in one JSON file', async () => {
    const { checkpoint } = await trained;
    // H = 8 and V ≈ 60: about 600 numbers per step pair with --reduction none, 500k pairs at n = 1000.
    const text = 'int main(void) { return 0; }\n'.repeat(40).slice(0, 1001);
    const out = path.join(dir, 'never', 'big.json');
    const e = await refusal(['--checkpoint', checkpoint, '--text', text, '--reduction', 'none', '--out', out]);
    expect(e.message).toMatch(/^the itemization of 1000 steps with --reduction none would hold [\d.]+e\+8 numbers, too many for one JSON file$/);
    expect(existsSync(path.dirname(out))).toBe(false);
  });
});
