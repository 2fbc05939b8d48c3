/**
 * Loading a training corpus from files and directories (`--corpus`, repeatable; `--max-chars`).
 */
import { lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { ConfigError, CorpusError } from '../core/errors.js';
import type { Corpus } from './corpus.js';
import { countCodePoints, MAX_TEXT_UNITS, tooLargeText } from './code-points.js';
import { corpusFiles } from './corpus-files.js';
import { DEFAULT_TEXT_EXTENSIONS, describeExtensions, extensionMatcher } from './text-extensions.js';
import { fileAccessError, readTextFile } from './text-file.js';

/**
 * Options of {@link loadCorpus}.
 *
 * @category Corpus and batches
 */
export interface LoadCorpusOptions {
  /**
   * Stop once this many characters (code points) are read; the last file read is cut there. Files
   * past the limit are never opened, so a kernel tree with a few-megabyte limit loads in moments.
   * Default: no limit.
   */
  readonly maxChars?: number;
  /**
   * Extensions of the files read from directories (`".c"` or `"c"`, case-insensitive; `"*"` for
   * all). Files named explicitly are read whatever their extension. Default
   * {@link DEFAULT_TEXT_EXTENSIONS}.
   */
  readonly extensions?: readonly string[];
  /**
   * The most UTF-16 units the text may have; past it loading stops with a {@link CorpusError}
   * suggesting `--max-chars`. Default and upper bound {@link MAX_TEXT_UNITS}, the longest string
   * there can be (tests lower it).
   */
  readonly maxTextUnits?: number;
  /**
   * Called after each file is read (or skipped as binary), with the totals so far: a tree of
   * tens of thousands of files takes seconds, and a caller can show that it moves.
   */
  readonly onProgress?: (read: CorpusReadProgress) => void;
}

/**
 * Totals passed to {@link LoadCorpusOptions.onProgress}.
 *
 * @category Corpus and batches
 */
export interface CorpusReadProgress {
  /** Files read so far. */
  readonly files: number;
  /** Binary files skipped so far. */
  readonly skipped: number;
  /** Characters (code points) read so far. */
  readonly chars: number;
}

/** What a path that is neither a file nor a folder is, for the message: `a named pipe (FIFO)`. */
function specialFileKind(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}

/**
 * The error for a path that does not exist because it is a symbolic link to nothing, which says
 * where the link points (`corpus path not found` alone sends the user looking at a path that is
 * there); undefined when `path` is no such link.
 */
function danglingLinkError(path: string): CorpusError | undefined {
  try {
    if (!lstatSync(path).isSymbolicLink()) return undefined;
    return new CorpusError(`corpus path ${path} is a symbolic link to ${readlinkSync(path)}, which does not exist`, 'point --corpus at the files themselves, or fix the link');
  } catch {
    return undefined;
  }
}

/** Checks a `maxChars` option: a positive integer or `Infinity`; otherwise a {@link ConfigError}. */
export function checkMaxChars(maxChars: number): void {
  if (maxChars === Infinity) return;
  if (typeof maxChars !== 'number' || !Number.isInteger(maxChars) || maxChars < 1) {
    throw new ConfigError(`--max-chars must be a positive integer, got ${JSON.stringify(maxChars)}`);
  }
}

/**
 * Reads a character corpus from UTF-8 files and directories, in the order given. Directories are
 * walked recursively in sorted name order (deterministic), skipping hidden entries and reading only
 * files with the given extensions; matching files that turn out binary are skipped and counted in
 * `skipped`. Contents are concatenated exactly as stored (a leading byte-order mark dropped).
 *
 * Throws a {@link CorpusError} with a one-line message when a path is missing or unreadable, when a
 * file named explicitly is binary (NUL bytes or invalid UTF-8; the message names it), or when
 * nothing is left: empty files, a directory with no matching files, or only binary ones.
 *
 * @category Corpus and batches
 */
export function loadCorpus(paths: readonly string[], options: LoadCorpusOptions = {}): Corpus {
  if (!Array.isArray(paths) || paths.length === 0) {
    throw new CorpusError('no corpus given', 'pass --corpus PATH (a UTF-8 file or a directory of source files)');
  }
  const maxChars = options.maxChars ?? Infinity;
  checkMaxChars(maxChars);
  const extensions = options.extensions ?? DEFAULT_TEXT_EXTENSIONS;
  const accept = extensionMatcher(extensions);
  const maxUnits = Math.min(options.maxTextUnits ?? MAX_TEXT_UNITS, MAX_TEXT_UNITS);

  const parts: string[] = [];
  let chars = 0;
  let files = 0;
  let skipped = 0;
  let truncated = false;
  /** Why each path gave no text, for the message when the whole corpus is empty. */
  const emptyReasons: string[] = [];

  /** UTF-16 units read so far: the joined text must fit in one string. */
  let units = 0;
  const add = (text: string, cut: boolean): void => {
    units += text.length;
    if (units > maxUnits) throw tooLargeText(`the corpus (${paths.join(', ')})`);
    parts.push(text);
    chars += countCodePoints(text);
    files++;
    if (cut) truncated = true;
    progress();
  };
  const progress = () => options.onProgress?.({ files, skipped, chars });

  for (const path of paths) {
    if (chars >= maxChars) {
      truncated = true;
      break;
    }
    let stats;
    try {
      stats = statSync(path);
    } catch (err) {
      throw ((err as { code?: string }).code === 'ENOENT' ? danglingLinkError(path) : undefined) ?? fileAccessError(path, err);
    }
    if (stats.isFile()) {
      const content = readTextFile(path, maxChars - chars, maxUnits);
      if (content.kind === 'binary') {
        throw new CorpusError(
          `corpus file ${path} is binary: it ${content.reason}`,
          content.hint,
        );
      }
      if (content.text.length === 0) emptyReasons.push(`file ${path} is empty`);
      add(content.text, content.truncated);
    } else if (stats.isDirectory()) {
      const before = chars;
      const skippedBefore = skipped;
      let matched = 0;
      for (const file of corpusFiles(path, accept)) {
        if (chars >= maxChars) {
          truncated = true;
          break;
        }
        matched++;
        const content = readTextFile(file, maxChars - chars, maxUnits);
        if (content.kind === 'binary') {
          skipped++;
          progress();
          continue;
        }
        add(content.text, content.truncated);
      }
      const binary = skipped - skippedBefore;
      if (chars === before) {
        if (matched === 0) {
          emptyReasons.push(`directory ${path} has no files ending in ${describeExtensions(extensions)}`);
        } else if (binary === matched) {
          emptyReasons.push(`directory ${path} has only binary files (${binary} skipped)`);
        } else {
          emptyReasons.push(`the files in directory ${path} are empty`);
        }
      }
    } else {
      throw new CorpusError(
        `corpus path ${path} is neither a regular file nor a directory: it is ${specialFileKind(stats)}`,
        'rnnbow reads regular files and folders; save the text to a file first (e.g. command > corpus.txt)',
      );
    }
  }

  if (chars === 0) {
    throw new CorpusError(
      `corpus is empty: ${emptyReasons.join('; ')}`,
      'point --corpus at UTF-8 text files, or at a directory holding files with the extensions read (see docs/corpus.md)',
    );
  }
  return { text: parts.join(''), source: paths.join(', '), files, skipped, chars, truncated };
}
