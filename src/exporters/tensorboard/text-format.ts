/**
 * Markdown for TensorBoard's text dashboard, which renders with Python-Markdown (tables and fenced
 * code extensions) and then sanitizes the HTML. Characters are made visible and every character
 * Markdown or HTML would interpret is written as a numeric entity, so any text survives as text.
 */

import { visibleChar } from '../../data/visible-char.js';

/** Characters Markdown (with tables) or HTML would treat as syntax. */
const SPECIAL = new Set(['&', '<', '>', '|', '\\', '`', '*', '_', '[', ']', '(', ')', '{', '}', '#', '+', '-', '.', '!', '~', ':', '"', "'", '=', '^', '$']);

/**
 * A control character inside running text (a generated sample) as a one-glyph symbol: the
 * control pictures ␀..␟ and ␡ keep the text's shape, where a token's own cell uses the viewer's
 * and CLI's `visibleChar` (`U+0007`), so a label reads the same everywhere. Any other character
 * is returned as it is.
 */
export function controlPicture(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  // U+2400..U+241F are the "control pictures" of C0 controls, U+2421 that of DEL.
  if (code < 0x20) return String.fromCodePoint(0x2400 + code);
  return code === 0x7f ? '\u2421' : ch;
}

/** Escapes text for a Markdown table cell or paragraph: specials become numeric entities. */
export function escapeMarkdown(text: string): string {
  let out = '';
  for (const ch of text) out += SPECIAL.has(ch) ? `&#${ch.codePointAt(0)};` : ch;
  return out;
}

function cellOf(ch: string): string {
  if (ch.length === 0) return '⟨empty⟩';
  return escapeMarkdown(Array.from(ch, visibleChar).join(''));
}

/** Table cells of a vocabulary, computed once per vocabulary array (a run's vocab never changes). */
const cellCache = new WeakMap<readonly string[], string[]>();

/** A token as a table cell: visible, escaped; ids outside the vocabulary as ⟨id⟩. */
export function tokenCell(id: number, vocab: readonly string[]): string {
  let cells = cellCache.get(vocab);
  if (!cells) {
    cells = vocab.map(cellOf);
    cellCache.set(vocab, cells);
  }
  return Number.isInteger(id) && id >= 0 && id < cells.length ? cells[id] : `⟨${id}⟩`;
}

/** What {@link predictionsTable} needs of a record. */
export interface PredictionRows {
  /** Global batch index. */
  batch: number;
  /** Sequence index in the batch. */
  sequence: number;
  /** Input token ids. */
  inputs: readonly number[];
  /** True next tokens. */
  targets: readonly number[];
  /** Argmax predictions. */
  predictions: readonly number[];
  /** Cross-entropy per step. */
  losses: readonly number[];
}

function formatLoss(x: number | undefined): string {
  if (x === undefined) return '';
  return Number.isFinite(x) ? x.toFixed(3) : String(x);
}

/**
 * Labels vs predictions as a Markdown table, one row per step t: input, true label, prediction,
 * whether it matched, and the step's loss; headed by the accuracy of the sequence.
 */
export function predictionsTable(r: PredictionRows, vocab: readonly string[]): string {
  const n = r.targets.length;
  let correct = 0;
  for (let t = 0; t < n; t++) if (r.predictions[t] === r.targets[t]) correct++;
  const finite = r.losses.filter(Number.isFinite);
  const meanLoss = finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : Number.NaN;
  const lines = [
    `**batch ${r.batch}**, sequence ${r.sequence}: ${correct}/${n} predicted correctly, mean loss ${formatLoss(meanLoss)}. ` +
      'Visible characters: ␣ space, ⏎ newline, ⇥ tab.',
    '',
    '| t | input | label | prediction | ok | loss |',
    // No column alignment: TensorBoard's sanitizer strips it from every cell anyway, and the
    // server renders each table on every request (about 25 ms for 25 rows), so nothing spare.
    '|---|---|---|---|---|---|',
  ];
  for (let t = 0; t < n; t++) {
    const ok = r.predictions[t] === r.targets[t] ? '✓' : '✗';
    lines.push(
      `| ${t} | ${tokenCell(r.inputs[t], vocab)} | ${tokenCell(r.targets[t], vocab)} | ${tokenCell(r.predictions[t], vocab)} | ${ok} | ${formatLoss(r.losses[t])} |`,
    );
  }
  return lines.join('\n');
}

/**
 * A generated sample as an indented Markdown code block (spaces and line breaks kept as they are;
 * code blocks need no escaping), headed by the batch it was generated at. Control characters
 * other than newline and tab are shown by symbols.
 */
export function sampleMarkdown(batch: number, text: string): string {
  const shown = Array.from(text, (ch) => (ch === '\n' || ch === '\t' ? ch : controlPicture(ch))).join('');
  const body = shown
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  return `**sample at batch ${batch}** (${Array.from(text).length} characters):\n\n${body}`;
}
