import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchRecord, RunInfo } from '../../core/record.js';
import { decodeValue, parseRnnbowContent, type DecodedValue } from './decode-value.js';
import { isEventFileName } from './event-file-name.js';
import { int64ToNumber, type SummaryValueMessage } from './proto.js';
import { EventFileReader, type ReadProblem } from './reader-event-file.js';
import { PLUGINS } from './tags.js';

/**
 * One summary value of a run, with where it came from.
 *
 * @category TensorBoard event files
 */
export interface RunValue {
  /** Tag. */
  readonly tag: string;
  /** Step of its event. */
  readonly step: number;
  /** Wall time of its event (seconds since the epoch). */
  readonly wallTime: number;
  /** Plugin of the tag (from the tag's first metadata in the run; legacy kinds map to theirs). */
  readonly plugin: string;
  /** The raw value. */
  readonly value: SummaryValueMessage;
  /** Event file it is in. */
  readonly file: string;
  /** Offset of its record. */
  readonly offset: number;
}

/**
 * What a tag holds in a run.
 *
 * @category TensorBoard event files
 */
export interface TagSummary {
  /** Tag. */
  readonly tag: string;
  /** Plugin (empty string: none, TensorBoard shows such tags nowhere). */
  readonly plugin: string;
  /** Values read. */
  readonly count: number;
  /** Smallest step. */
  readonly firstStep: number;
  /** Largest step. */
  readonly lastStep: number;
}

/**
 * What one {@link RunReader.poll} found.
 *
 * @category TensorBoard event files
 */
export interface RunUpdate {
  /** New summary values, in file order (files in name order). */
  readonly values: RunValue[];
  /** New rnnbow records, decoded exactly. */
  readonly records: BatchRecord[];
  /** The run's RunInfo, when it was read in this poll. */
  readonly runInfo?: RunInfo;
  /** Problems found; reading went on past each. */
  readonly problems: ReadProblem[];
  /** True when the poll stopped at its byte budget with whole records still unread (poll again). */
  readonly more: boolean;
}

interface TagState {
  plugin: string;
  content?: Uint8Array;
  count: number;
  firstStep: number;
  lastStep: number;
}

function legacyPlugin(v: SummaryValueMessage): string | null {
  const own = Object.prototype.hasOwnProperty;
  if (own.call(v, 'simpleValue')) return PLUGINS.scalars;
  if (v.histo) return PLUGINS.histograms;
  if (v.image) return PLUGINS.images;
  return null;
}

/**
 * Follows one run folder (the event files directly in it, in name order, as TensorBoard reads
 * them). Each {@link poll} returns what was appended since the previous one, so the viewer can
 * follow a live run; `rnnbow` tensors are decoded back to {@link BatchRecord}s and the
 * {@link RunInfo}.
 *
 * @category TensorBoard event files
 */
export class RunReader {
  private readonly files = new Map<string, EventFileReader>();
  private readonly tagStates = new Map<string, TagState>();
  private info: RunInfo | null = null;
  private lastSizes = new Map<string, number>();

  constructor(
    /** The run folder. */
    readonly dir: string,
    /** The run's name (its path relative to the logdir). */
    readonly name: string = dir,
  ) {}

  /** The RunInfo, once read. */
  get runInfo(): RunInfo | null {
    return this.info;
  }

  /** Event file paths seen so far, in read order. */
  get eventFiles(): string[] {
    return [...this.files.keys()];
  }

  /** Per tag: plugin, number of values and step range, sorted by tag. */
  tags(): TagSummary[] {
    return [...this.tagStates.entries()]
      .map(([tag, s]) => ({ tag, plugin: s.plugin, count: s.count, firstStep: s.firstStep, lastStep: s.lastStep }))
      .sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  }

  /** Decodes a value of this run by its tag's plugin. Throws an Error on malformed data. */
  decode(v: RunValue): DecodedValue {
    return decodeValue(v.value, v.plugin || null, this.tagStates.get(v.tag)?.content);
  }

  /**
   * Reads what was appended (and new files) since the last poll; with `maxBytes`, at most about
   * that many bytes of records, so that a follower of a huge run holds one slice at a time.
   */
  async poll(maxBytes = Infinity): Promise<RunUpdate> {
    const values: RunValue[] = [];
    const records: BatchRecord[] = [];
    const problems: ReadProblem[] = [];
    let runInfo: RunInfo | undefined;
    let budget = maxBytes;
    let more = false;
    const names = (await readdir(this.dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && isEventFileName(e.name))
      .map((e) => e.name)
      .sort();
    for (const name of names) {
      const path = join(this.dir, name);
      let reader = this.files.get(path);
      if (!reader) {
        reader = new EventFileReader(path);
        this.files.set(path, reader);
      }
      const before = reader.cursor.offset;
      const res = await reader.readNew(budget);
      budget -= reader.cursor.offset - before;
      more = res.more;
      this.lastSizes.set(path, res.size);
      problems.push(...res.problems);
      for (const { offset, event } of res.events) {
        const step = int64ToNumber(event.step);
        const wallTime = event.wallTime ?? 0;
        for (const value of event.summary?.value ?? []) {
          const tag = value.tag ?? '';
          let st = this.tagStates.get(tag);
          if (!st) {
            const plugin = legacyPlugin(value) ?? value.metadata?.pluginData?.pluginName ?? '';
            st = { plugin, content: value.metadata?.pluginData?.content, count: 0, firstStep: step, lastStep: step };
            this.tagStates.set(tag, st);
          }
          st.count++;
          if (step < st.firstStep) st.firstStep = step;
          if (step > st.lastStep) st.lastStep = step;
          const rv: RunValue = { tag, step, wallTime, plugin: st.plugin, value, file: path, offset };
          values.push(rv);
          if (st.plugin === PLUGINS.rnnbow && parseRnnbowContent(st.content)) {
            try {
              const d = this.decode(rv);
              if (d.kind === 'rnnbow-record') records.push(d.record);
              else if (d.kind === 'rnnbow-run') {
                runInfo = d.run;
                this.info = d.run;
              }
            } catch (err) {
              problems.push({ kind: 'bad-value', file: path, offset, message: `tag ${tag} at step ${step}: ${(err as Error).message}` });
            }
          }
        }
      }
      if (more) break;
    }
    return { values, records, runInfo, problems, more };
  }

  /**
   * Problems of treating every file as complete now: cut-short last records and corrupt stretches
   * running to the end of a file. For one-shot reads; a live follower just polls again.
   */
  pendingProblems(): ReadProblem[] {
    const out: ReadProblem[] = [];
    for (const [path, reader] of this.files) {
      const p = reader.pendingProblem(this.lastSizes.get(path) ?? 0);
      if (p) out.push(p);
    }
    return out;
  }
}

/**
 * A run folder found under a logdir.
 *
 * @category TensorBoard event files
 */
export interface RunLocation {
  /** Run name: the folder's path relative to the logdir (`.` for the logdir itself). */
  readonly name: string;
  /** The folder. */
  readonly dir: string;
  /** Event file names in it, sorted. */
  readonly eventFiles: string[];
}

/**
 * What {@link listRuns} found.
 *
 * @category TensorBoard event files
 */
export interface LogdirListing {
  /** Folders holding event files, sorted by name. */
  readonly runs: RunLocation[];
  /** Files that are not event files (relative paths), which readers ignore. */
  readonly ignoredFiles: string[];
}

/**
 * Finds the runs under `logdir` as TensorBoard does: every folder (at any depth) that directly
 * contains a file whose name contains `tfevents`. Other files are listed as ignored.
 *
 * @category TensorBoard event files
 */
export async function listRuns(logdir: string): Promise<LogdirListing> {
  const runs: RunLocation[] = [];
  const ignoredFiles: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    const eventFiles: string[] = [];
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const relPath = rel === '.' ? e.name : `${rel}/${e.name}`;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const s = await stat(join(dir, e.name)).catch(() => null);
        isDir = !!s?.isDirectory();
        isFile = !!s?.isFile();
      }
      if (isDir) await walk(join(dir, e.name), relPath);
      else if (isFile && isEventFileName(e.name)) eventFiles.push(e.name);
      else if (isFile) ignoredFiles.push(relPath);
    }
    if (eventFiles.length) runs.push({ name: rel, dir, eventFiles });
  };
  await walk(logdir, '.');
  runs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { runs, ignoredFiles };
}
