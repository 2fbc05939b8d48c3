/**
 * Which files in a corpus directory count as text. Only named extensions are read so that a source
 * tree's object files, images and archives are never even opened; binary files that do match are
 * still detected and skipped.
 */
import { ConfigError } from '../core/errors.js';

/**
 * Extensions read from directories by default: common source, markup and plain-text files.
 *
 * @category Corpus and batches
 */
export const DEFAULT_TEXT_EXTENSIONS: readonly string[] = Object.freeze([
  '.c', '.h', '.cc', '.cpp', '.cxx', '.hh', '.hpp', '.hxx', '.inl',
  '.py', '.js', '.mjs', '.cjs', '.ts', '.tsx', '.jsx',
  '.rs', '.go', '.java', '.kt', '.scala', '.swift', '.cs', '.m', '.rb', '.pl', '.pm', '.php',
  '.lua', '.hs', '.ml', '.sh', '.bash', '.sql',
  '.md', '.txt', '.rst', '.tex', '.html', '.css', '.xml', '.json', '.yaml', '.yml', '.toml',
]);

/** The extension list entry that accepts every file name. */
export const ANY_EXTENSION = '*';

/**
 * Builds the file-name test for a list of extensions (`".c"` or `"c"`, case-insensitive; `"*"`
 * accepts every name). An empty list or a non-string entry is a {@link ConfigError}.
 */
export function extensionMatcher(extensions: readonly string[]): (fileName: string) => boolean {
  if (!Array.isArray(extensions) || extensions.length === 0) {
    throw new ConfigError('corpus extensions must be a non-empty list such as [".c", ".h"] (or ["*"] for every file)');
  }
  const wanted = new Set<string>();
  for (const ext of extensions) {
    if (typeof ext !== 'string' || ext.trim() === '' || ext.trim() === '.') {
      throw new ConfigError(`corpus extension ${JSON.stringify(ext)} is not an extension such as ".c"`);
    }
    const e = ext.trim().toLowerCase();
    wanted.add(e === ANY_EXTENSION || e.startsWith('.') ? e : `.${e}`);
  }
  if (wanted.has(ANY_EXTENSION)) return () => true;
  return (fileName) => {
    const dot = fileName.lastIndexOf('.');
    return dot > 0 && wanted.has(fileName.slice(dot).toLowerCase());
  };
}

/** A short form of an extension list for messages: the first few, then how many more. */
export function describeExtensions(extensions: readonly string[], shown = 6): string {
  const head = extensions.slice(0, shown).join(' ');
  return extensions.length > shown ? `${head} (+${extensions.length - shown} more)` : head;
}
