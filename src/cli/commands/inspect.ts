import { Command } from 'commander';

/** Exit status of `rnnbow inspect` when it read the logdir but found damage (1 is for errors that stop it). */
export const INSPECT_PROBLEMS_EXIT_CODE = 2;

/** `rnnbow inspect LOGDIR`: runs, tags, plugins and steps in the event files, and any damage found. */
export function inspectCommand(): Command {
  return new Command('inspect')
    .description('list the runs, tags, plugins and steps in a logdir\'s TensorBoard event files (verifying CRCs); exits 2 when it finds damage')
    .argument('<logdir>', 'folder given to --logdir when training')
    .action(async (logdir: string) => {
      const { formatInspectReport, inspectLogdir } = await import('../../exporters/tensorboard/inspect.js');
      const report = await inspectLogdir(logdir);
      process.stdout.write(formatInspectReport(report) + '\n');
      // So that scripts (and CI) can check a logdir without parsing the report.
      if (report.problems.length) process.exitCode = INSPECT_PROBLEMS_EXIT_CODE;
    });
}
