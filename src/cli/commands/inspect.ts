import path from 'node:path';
import { Command } from 'commander';
import type { InspectReport } from '../../exporters/tensorboard/inspect.js';

/** Exit status of `rnnbow inspect` when it read the logdir but found damage (1 is for errors that stop it). */
export const INSPECT_PROBLEMS_EXIT_CODE = 2;

/**
 * Run folders of the logdir that hold a JSON run (`run.json`) but no event files, relative to
 * the logdir (`.` for the logdir itself). `inspect` reads event files only; a `--export json`
 * run would otherwise look like an empty logdir.
 */
export function jsonOnlyRuns(report: Pick<InspectReport, 'runs' | 'ignoredFiles'>): string[] {
  const withEvents = new Set(report.runs.map((r) => path.normalize(r.name)));
  return report.ignoredFiles
    .filter((f) => path.basename(f) === 'run.json')
    .map((f) => path.normalize(path.dirname(f)))
    .filter((dir) => !withEvents.has(dir))
    .sort();
}

/** The lines `inspect` adds about {@link jsonOnlyRuns}, empty when there are none. */
export function jsonOnlyRunsNote(logdir: string, runs: readonly string[]): string[] {
  if (runs.length === 0) return [];
  return [
    '',
    `JSON runs without event files (${runs.length}; inspect reads TensorBoard event files only):`,
    ...runs.map((r) => `  ${r}`),
    `  read them with \`rnnbow serve --logdir ${logdir}\` or readJsonRun (docs/json-schema.md)`,
  ];
}

/** `rnnbow inspect LOGDIR`: runs, tags, plugins and steps in the event files, and any damage found. */
export function inspectCommand(): Command {
  return new Command('inspect')
    .description('list the runs, tags, plugins and steps in a logdir\'s TensorBoard event files (verifying CRCs); exits 2 when it finds damage')
    .argument('<logdir>', 'folder given to --logdir when training, or one run folder in it')
    .action(async (logdir: string) => {
      const { formatInspectReport, inspectLogdir } = await import('../../exporters/tensorboard/inspect.js');
      const report = await inspectLogdir(logdir);
      const lines = [formatInspectReport(report), ...jsonOnlyRunsNote(logdir, jsonOnlyRuns(report))];
      process.stdout.write(lines.join('\n') + '\n');
      // So that scripts (and CI) can check a logdir without parsing the report.
      if (report.problems.length) process.exitCode = INSPECT_PROBLEMS_EXIT_CODE;
    });
}
