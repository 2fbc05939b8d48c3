import { Command } from 'commander';

/** `rnnbow inspect LOGDIR`: runs, tags, plugins and steps in the event files, and any damage found. */
export function inspectCommand(): Command {
  return new Command('inspect')
    .description('list the runs, tags, plugins and steps in a logdir\'s TensorBoard event files (verifying CRCs)')
    .argument('<logdir>', 'folder given to --logdir when training')
    .action(async (logdir: string) => {
      const { formatInspectReport, inspectLogdir } = await import('../../exporters/tensorboard/inspect.js');
      process.stdout.write(formatInspectReport(await inspectLogdir(logdir)) + '\n');
    });
}
