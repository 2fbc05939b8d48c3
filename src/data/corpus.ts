/**
 * The training text and where it came from: what every loader returns and what a run reports
 * about its data.
 */

/**
 * A loaded character corpus.
 *
 * @category Corpus and batches
 */
export interface Corpus {
  /** The whole training text: the files' contents concatenated in load order. */
  readonly text: string;
  /** Where the text came from, for logs and run info: the paths given, or which default was used. */
  readonly source: string;
  /** Number of files read (0 for a generated corpus). */
  readonly files: number;
  /** Files in directories skipped because they are binary (NUL bytes or invalid UTF-8). */
  readonly skipped: number;
  /** Length of `text` in characters (code points), which is also the number of tokens. */
  readonly chars: number;
  /** True when a character limit stopped reading before everything was read. */
  readonly truncated: boolean;
}
