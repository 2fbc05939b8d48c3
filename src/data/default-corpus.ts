/**
 * The demo's offline corpus. Every Node.js installation that can build native addons ships its C
 * headers in `include/node` beside the `bin` folder of the node binary; those are real C, found
 * without a download. Where they are missing (some slim containers), the generated C corpus stands in.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { RnnbowError } from '../core/errors.js';
import type { Corpus } from './corpus.js';
import { generateCCorpus } from './c-generator.js';
import { countCodePoints, headCodePoints } from './code-points.js';
import { checkMaxChars, loadCorpus } from './load-corpus.js';

/**
 * Default character cap of the default corpus: all top-level Node.js headers (about 1 MB) fit.
 *
 * @category Corpus and batches
 */
export const DEFAULT_CORPUS_MAX_CHARS = 1_500_000;

/**
 * Default size of the generated corpus when the headers are absent.
 *
 * @category Corpus and batches
 */
export const DEFAULT_GENERATED_CHARS = 1_000_000;

/**
 * Options of {@link defaultCorpus}.
 *
 * @category Corpus and batches
 */
export interface DefaultCorpusOptions {
  /** Character cap (code points); default {@link DEFAULT_CORPUS_MAX_CHARS}. */
  readonly maxChars?: number;
  /** Seed of the generated corpus; default 1. */
  readonly seed?: number;
  /** Size of the generated corpus; default {@link DEFAULT_GENERATED_CHARS}, at most `maxChars`. */
  readonly generatedChars?: number;
  /** Folder to look for headers in; default {@link nodeIncludeDir}. Tests point it elsewhere. */
  readonly includeDir?: string;
}

/**
 * The `include/node` folder of the running Node.js: `<prefix>/include/node` for `<prefix>/bin/node`.
 *
 * @category Corpus and batches
 */
export function nodeIncludeDir(execPath: string = process.execPath): string {
  return path.join(path.dirname(path.dirname(execPath)), 'include', 'node');
}

/**
 * Reading order of the headers: Node's own API first (node*.h, js_native_api*.h), then libuv,
 * then the rest (V8, zlib), each group sorted by name, so a small cap still gets Node's C API.
 */
function headerRank(name: string): number {
  if (name.startsWith('node')) return 0;
  if (name.startsWith('js_native_api')) return 1;
  if (name === 'uv.h') return 2;
  return 3;
}

/** The top-level `.h` files of `dir` in reading order; empty when the folder is missing. */
export function nodeHeaderFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.h') && !n.startsWith('.'))
    .filter((n) => {
      try {
        return statSync(path.join(dir, n)).isFile();
      } catch {
        return false;
      }
    })
    .sort((a, b) => headerRank(a) - headerRank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((n) => path.join(dir, n));
}

/**
 * The demo's corpus: the top-level C headers of the Node.js running rnnbow (subfolders such as
 * openssl/ and v8's internals are left out), capped at `maxChars`; where there are none, or they
 * cannot be read, generated C. `source` says which was used and why.
 *
 * @category Corpus and batches
 */
export function defaultCorpus(options: DefaultCorpusOptions = {}): Corpus {
  const maxChars = options.maxChars ?? DEFAULT_CORPUS_MAX_CHARS;
  checkMaxChars(maxChars);
  const includeDir = options.includeDir ?? nodeIncludeDir();
  const headers = nodeHeaderFiles(includeDir);
  let reason = `no Node.js headers in ${includeDir}`;
  if (headers.length > 0) {
    try {
      const corpus = loadCorpus(headers, { maxChars });
      return { ...corpus, source: `Node.js C headers in ${includeDir}` };
    } catch (err) {
      // An unreadable or odd header folder must not break the offline demo: fall back, and say why.
      if (!(err instanceof RnnbowError)) throw err;
      reason = `Node.js headers in ${includeDir} unusable: ${err.message}`;
    }
  }
  const seed = options.seed ?? 1;
  const chars = Math.min(options.generatedChars ?? DEFAULT_GENERATED_CHARS, maxChars);
  // The generator stops at a top-level boundary just past `chars`; the cap is still a cap.
  const generated = generateCCorpus({ seed, chars });
  const text = headCodePoints(generated, maxChars);
  return {
    text,
    source: `generated C (seed ${seed}; ${reason})`,
    files: 0,
    skipped: 0,
    chars: countCodePoints(text),
    truncated: text.length < generated.length,
  };
}
