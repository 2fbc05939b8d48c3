import { Command } from 'commander';
import { packageVersion } from '../core/package-root.js';
import { demoCommand } from './commands/demo.js';
import { inspectCommand } from './commands/inspect.js';
import { itemizeCommand } from './commands/itemize.js';
import { partsCommand } from './commands/parts.js';
import { serveCommand } from './commands/serve.js';
import { trainCommand } from './commands/train.js';
import { nameFlags } from './config-flags.js';

const HELP_AFTER_ERROR = '(run with --help for usage)';

/** The `rnnbow` program: remembers which command ran, so that its config errors name its flags. */
class RnnbowProgram extends Command {
  private running?: Command;

  constructor() {
    super('rnnbow');
    // Hooks of a program run for its subcommands too: `actionCommand` is the one whose action runs.
    this.hook('preAction', (_program, actionCommand) => {
      this.running = actionCommand;
    });
  }

  override async parseAsync(...args: Parameters<Command['parseAsync']>): Promise<this> {
    try {
      return await super.parseAsync(...args);
    } catch (err) {
      throw this.running ? nameFlags(err, this.running) : err;
    }
  }
}

/** Builds the `rnnbow` program; exported so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new RnnbowProgram()
    .description('see how a recurrent network learns: itemized gradients, TensorBoard, and the RNNbow viewer')
    .version(packageVersion())
    .showHelpAfterError(HELP_AFTER_ERROR);
  // addCommand, unlike command(), copies no settings from the program: each subcommand asks itself.
  for (const cmd of [demoCommand(), trainCommand(), itemizeCommand(), inspectCommand(), partsCommand(), serveCommand()]) {
    program.addCommand(cmd.showHelpAfterError(HELP_AFTER_ERROR));
  }
  return program;
}
