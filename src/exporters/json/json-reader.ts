import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BatchRecord, RunInfo, RunSummary, TrainingScalars } from '../../core/record.js';
import { RnnbowError } from '../../core/errors.js';
import { parseJson } from './json-numbers.js';
import { JSON_FILES, RUN_SCHEMA } from './schema.js';

/**
 * A problem met while reading (the rest of the run is still returned).
 *
 * @category JSON runs
 */
export interface ReadProblem {
  /** File it is in. */
  file: string;
  /** 1-based line number, when it concerns a line. */
  line?: number;
  /** What is wrong. */
  message: string;
}

/**
 * One line of `scalars.jsonl`.
 *
 * @category JSON runs
 */
export interface ScalarLine extends TrainingScalars {
  /** Global batch index. */
  batch: number;
  /** Seconds since the epoch. */
  wallTime: number;
}

/**
 * One line of `samples.jsonl`.
 *
 * @category JSON runs
 */
export interface SampleLine {
  /** Global batch index. */
  batch: number;
  /** Seconds since the epoch. */
  wallTime: number;
  /** The generated text. */
  text: string;
}

/**
 * A JSON-exported run as read back.
 *
 * @category JSON runs
 */
export interface JsonRun {
  /** `run.json`. */
  run: RunInfo;
  /** Every complete record line, in file (batch) order. */
  records: BatchRecord[];
  /** Scalar lines. */
  scalars: ScalarLine[];
  /** Sample lines. */
  samples: SampleLine[];
  /** `summary.json` when the run has ended (absent while it trains, or after a hard kill). */
  summary?: RunSummary;
  /** Lines that could not be parsed (a run still being written may end in a partial line). */
  problems: ReadProblem[];
}

/**
 * True when `dir` holds a JSON-exported run.
 *
 * @category JSON runs
 */
export function isJsonRun(dir: string): boolean {
  return existsSync(path.join(dir, JSON_FILES.run));
}

/** Parses the complete lines of a JSON Lines text; an unterminated last line is left for later. */
export function parseJsonLines<T>(text: string, file: string, problems: ReadProblem[]): T[] {
  const out: T[] = [];
  const end = text.lastIndexOf('\n');
  const complete = end < 0 ? '' : text.slice(0, end);
  complete.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(parseJson<T>(line));
    } catch (err) {
      problems.push({ file, line: i + 1, message: `not valid JSON (${(err as Error).message})` });
    }
  });
  return out;
}

function readLines<T>(dir: string, name: string, problems: ReadProblem[]): T[] {
  const file = path.join(dir, name);
  if (!existsSync(file)) return [];
  return parseJsonLines<T>(readFileSync(file, 'utf8'), file, problems);
}

/**
 * Reads a JSON-exported run folder (the files {@link JsonExporter} writes; docs/json-schema.md)
 * in one go, holding every record in memory. It is safe on a run still being written: a
 * partial last line is skipped, and any line that is not valid JSON is reported in
 * {@link JsonRun.problems} instead of thrown. Non-finite numbers come back as numbers.
 *
 * @throws {@link RnnbowError} with code `INPUT` when `dir` does not exist or has no readable
 * `run.json`, or its `run.json` is not a JSON object.
 *
 * @example
 * ```ts
 * import { readJsonRun, barHeights } from 'rnnbow';
 * const { run, records } = readJsonRun('runs/demo/2026-11-25T22-50-01-rnn');
 * const last = records.at(-1)!;
 * console.log(run.cell, last.batch, barHeights(last.params[last.primary].byDistance));
 * ```
 *
 * @category JSON runs
 */
export function readJsonRun(dir: string): JsonRun {
  const problems: ReadProblem[] = [];
  const runFile = path.join(dir, JSON_FILES.run);
  let text: string;
  try {
    text = readFileSync(runFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? (existsSync(dir) ? `${dir} has no ${JSON_FILES.run}` : `${dir} does not exist`) : `cannot read ${runFile}: ${code ?? (err as Error).message}`;
    throw new RnnbowError('INPUT', `readJsonRun: ${why}`, 'pass the folder of one run written by the json exporter (logdir/<run-id>)');
  }
  let parsed: RunInfo & { schema?: string; version?: number };
  try {
    parsed = parseJson<RunInfo & { schema?: string; version?: number }>(text);
  } catch (err) {
    throw new RnnbowError('INPUT', `readJsonRun: ${runFile} is not valid JSON: ${(err as Error).message}`, 'the run description was damaged after it was written (rnnbow writes it whole); train the run again, or restore the file');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RnnbowError('INPUT', `readJsonRun: ${runFile} holds ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}, not a run description`, 'pass the folder of one run written by the json exporter (logdir/<run-id>)');
  }
  const { schema, version: _version, ...run } = parsed;
  if (schema !== RUN_SCHEMA) problems.push({ file: runFile, message: `unexpected schema ${JSON.stringify(schema)}` });
  const records = readLines<BatchRecord & { schema?: string; version?: number }>(dir, JSON_FILES.records, problems).map(
    ({ schema: _schema, version: _version, ...record }) => record,
  );
  const scalars = readLines<ScalarLine>(dir, JSON_FILES.scalars, problems);
  const samples = readLines<SampleLine>(dir, JSON_FILES.samples, problems);
  const summaryFile = path.join(dir, JSON_FILES.summary);
  let summary: RunSummary | undefined;
  if (existsSync(summaryFile)) {
    try {
      summary = parseJson<RunSummary>(readFileSync(summaryFile, 'utf8'));
    } catch (err) {
      problems.push({ file: summaryFile, message: (err as Error).message });
    }
  }
  return { run, records, scalars, samples, summary, problems };
}
