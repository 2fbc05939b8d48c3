import { Command } from 'commander';
import { packageVersion } from '../core/package-root.js';
import { demoCommand } from './commands/demo.js';
import { inspectCommand } from './commands/inspect.js';
import { itemizeCommand } from './commands/itemize.js';
import { partsCommand } from './commands/parts.js';
import { serveCommand } from './commands/serve.js';
import { trainCommand } from './commands/train.js';

/** Builds the `rnnbow` program; exported so tests can run commands in-process. */
export function buildProgram(): Command {
  const program = new Command('rnnbow')
    .description('see how a recurrent network learns: itemized gradients, TensorBoard, and the RNNbow viewer')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)');
  program.addCommand(demoCommand());
  program.addCommand(trainCommand());
  program.addCommand(itemizeCommand());
  program.addCommand(inspectCommand());
  program.addCommand(partsCommand());
  program.addCommand(serveCommand());
  return program;
}

