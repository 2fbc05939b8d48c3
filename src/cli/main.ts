#!/usr/bin/env node
import { CommanderError } from 'commander';
import { formatError } from '../core/errors.js';
import { buildProgram } from './program.js';
import { survivePipeClose } from './closed-pipe.js';

/** Runs the CLI: user mistakes print one line and exit non-zero; only real bugs show a stack. */
async function main(): Promise<void> {
  survivePipeClose();
  const program = buildProgram();
  // Commander prints the errors of its own parsing; an InvalidArgumentError thrown later, from a
  // command's action (a malformed --recorder-opt), reaches the catch below unprinted.
  let printed = false;
  for (const cmd of [program, ...program.commands]) {
    cmd.exitOverride();
    cmd.configureOutput({
      outputError: (text, write) => {
        printed = true;
        write(text);
      },
    });
  }
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (!printed && err.exitCode !== 0) process.stderr.write(`rnnbow: ${err.message.replace(/^error: /, '')}\n`);
      process.exit(err.exitCode);
    }
    process.stderr.write(formatError(err) + '\n');
    // A run stopped by Ctrl-C that then failed (say, its final checkpoint found the disk full)
    // still ends as interrupted, so a shell loop over runs stops there too.
    await (await import('./exit-by-signal.js')).exitIfStoppedBySignal();
    process.exit(1);
  }
}

await main();
