import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { RnnbowError } from '../../core/errors.js';
import type { RunInfo } from '../../core/record.js';
import type { ReadProblem } from './reader-event-file.js';
import { listRuns, RunReader, type TagSummary } from './reader-run.js';
import { statusOfSession } from './run-summaries.js';
import { TAGS } from './tags.js';

/**
 * One event file of a run.
 *
 * @category TensorBoard event files
 */
export interface InspectedFile {
  /** File name. */
  readonly name: string;
  /** Size in bytes. */
  readonly bytes: number;
}

/**
 * What `rnnbow inspect` reports about one run.
 *
 * @category TensorBoard event files
 */
export interface InspectedRun {
  /** Run name (path relative to the logdir). */
  readonly name: string;
  /** Its event files. */
  readonly files: InspectedFile[];
  /** Summary values read. */
  readonly values: number;
  /** Tags with plugin, count and step range. */
  readonly tags: TagSummary[];
  /** Plugins present, sorted. */
  readonly plugins: string[];
  /** Step range over all values, or null when there are none. */
  readonly steps: StepRange | null;
  /** The rnnbow RunInfo, when present. */
  readonly runInfo: RunInfo | null;
  /** rnnbow records decoded (each one checked to decode exactly). */
  readonly records: number;
  /** Batch range of the records. */
  readonly recordBatches: StepRange | null;
  /**
   * How the run ended per its hparams session end (`completed`, `failed`, `interrupted`; `running`
   * or `unknown` for other writers' runs), or null while none is written.
   */
  readonly status: string | null;
}

/**
 * An inclusive range of steps.
 *
 * @category TensorBoard event files
 */
export interface StepRange {
  /** First step. */
  readonly first: number;
  /** Last step. */
  readonly last: number;
}

/**
 * The whole report of `rnnbow inspect LOGDIR`.
 *
 * @category TensorBoard event files
 */
export interface InspectReport {
  /** The logdir inspected. */
  readonly logdir: string;
  /** Runs found, sorted by name. */
  readonly runs: InspectedRun[];
  /** Files that are not event files (relative to the logdir). */
  readonly ignoredFiles: string[];
  /** Every problem found, with file and offset; reading went on past each. */
  readonly problems: ReadProblem[];
}

/**
 * Reads every run under `logdir` once, verifying every CRC and decoding every rnnbow record, and
 * summarises runs, tags, plugins and steps. Throws a `LOGDIR` {@link RnnbowError} when the logdir
 * is not a readable folder; everything else is reported in `problems`.
 *
 * @category TensorBoard event files
 */
export async function inspectLogdir(logdir: string): Promise<InspectReport> {
  const s = await stat(logdir).catch(() => null);
  if (!s?.isDirectory()) {
    throw new RnnbowError('LOGDIR', `logdir ${logdir} ${s ? 'is not a folder' : 'does not exist'}`, 'pass the folder given to --logdir when training (e.g. runs)');
  }
  const listing = await listRuns(logdir);
  const runs: InspectedRun[] = [];
  const problems: ReadProblem[] = [];
  for (const loc of listing.runs) {
    const reader = new RunReader(loc.dir, loc.name);
    const update = await reader.poll();
    problems.push(...update.problems, ...reader.pendingProblems());
    let first = Infinity;
    let last = -Infinity;
    let sessionEnd: number | null = null;
    for (const v of update.values) {
      if (v.step < first) first = v.step;
      if (v.step > last) last = v.step;
      if (v.tag === TAGS.hparamsSessionEnd) {
        try {
          const d = reader.decode(v);
          if (d.kind === 'hparams') sessionEnd = d.data.sessionEndInfo?.status ?? 0;
        } catch (err) {
          problems.push({ kind: 'bad-value', file: v.file, offset: v.offset, message: `${v.tag}: ${(err as Error).message}` });
        }
      }
    }
    const batches = update.records.map((r) => r.batch);
    const files: InspectedFile[] = [];
    for (const f of loc.eventFiles) files.push({ name: f, bytes: (await stat(`${loc.dir}/${f}`).catch(() => null))?.size ?? 0 });
    const tags = reader.tags();
    runs.push({
      name: loc.name,
      files,
      values: update.values.length,
      tags,
      plugins: [...new Set(tags.map((t) => t.plugin))].sort(),
      steps: update.values.length ? { first, last } : null,
      runInfo: reader.runInfo,
      records: update.records.length,
      recordBatches: batches.length ? { first: Math.min(...batches), last: Math.max(...batches) } : null,
      // Named after the loop: the RunInfo that says rnnbow wrote the run may come after the session end.
      status: sessionEnd === null ? null : statusOfSession(sessionEnd, reader.runInfo !== null),
    });
  }
  return { logdir, runs, ignoredFiles: listing.ignoredFiles, problems };
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function range(r: { first: number; last: number } | null): string {
  if (!r) return '-';
  return r.first === r.last ? String(r.first) : `${r.first}..${r.last}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Formats an {@link InspectReport} for a terminal.
 *
 * @category TensorBoard event files
 */
export function formatInspectReport(report: InspectReport): string {
  const out: string[] = [];
  out.push(
    `logdir ${report.logdir}: ${plural(report.runs.length, 'run')}, ${plural(report.problems.length, 'problem')}, ${plural(report.ignoredFiles.length, 'ignored file')}`,
  );
  if (report.runs.length === 0) out.push('  no event files found (TensorBoard reads files whose name contains "tfevents")');
  for (const run of report.runs) {
    const total = run.files.reduce((a, f) => a + f.bytes, 0);
    out.push('');
    out.push(`run ${run.name}: ${plural(run.files.length, 'event file')}, ${bytes(total)}, ${plural(run.values, 'value')}, steps ${range(run.steps)}`);
    const info = run.runInfo;
    if (info) {
      out.push(
        `  rnnbow ${info.rnnbowVersion}: cell ${info.cell}, hidden ${info.hiddenSize}, n ${info.seqLength}, B ${info.batchSize}, ` +
          `${info.optimizer.name} lr ${info.optimizer.lr}, recorder ${info.recorder}, started ${info.startedAt}`,
      );
    }
    if (run.records || info) out.push(`  records: ${run.records} (batches ${range(run.recordBatches)})${run.status ? `, status ${run.status}` : ''}`);
    out.push(`  plugins: ${run.plugins.map((p) => p || '(none)').join(', ')}`);
    if (run.tags.length) {
      const rows = [['tag', 'plugin', 'values', 'steps'], ...run.tags.map((t) => [t.tag, t.plugin || '(none)', String(t.count), range({ first: t.firstStep, last: t.lastStep })])];
      for (const line of table(rows)) out.push(`    ${line}`);
    }
    for (const f of run.files) out.push(`  file ${f.name} (${bytes(f.bytes)})`);
  }
  if (report.problems.length) {
    out.push('');
    out.push('problems (reading continued past each):');
    for (const p of report.problems) out.push(`  ${relative(report.logdir, p.file) || p.file} @ ${p.offset}: ${p.kind}: ${p.message}`);
  }
  if (report.ignoredFiles.length) {
    out.push('');
    out.push('ignored (not event files):');
    for (const f of report.ignoredFiles) out.push(`  ${f}`);
  }
  return out.join('\n');
}
