/**
 * The one line a run prints about its training text, so that what was read (and what was not)
 * shows at start-up rather than only in run.json.
 */
import type { Corpus } from './corpus.js';

/** `1,567` */
function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * Describes a loaded corpus in one line: where it came from, how many files and characters, and
 * anything left out, e.g. `corpus: src/ (34 files, 1,567 characters; 2 binary files skipped;
 * cut at the character limit)`. Skipped files and a cut are named because both silently change
 * what the model learns from.
 *
 * @category Corpus and batches
 */
export function describeCorpus(corpus: Omit<Corpus, 'text'>, maxChars?: number): string {
  const parts = [corpus.files > 0 ? `${count(corpus.files)} file${corpus.files === 1 ? '' : 's'}, ${count(corpus.chars)} characters` : `${count(corpus.chars)} characters`];
  if (corpus.skipped > 0) parts.push(`${count(corpus.skipped)} binary file${corpus.skipped === 1 ? '' : 's'} skipped`);
  if (corpus.truncated) parts.push(maxChars !== undefined && Number.isFinite(maxChars) ? `cut at --max-chars ${maxChars}` : 'cut at the character limit');
  return `corpus: ${corpus.source} (${parts.join('; ')})`;
}
