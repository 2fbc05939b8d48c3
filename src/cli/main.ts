#!/usr/bin/env node
import { CommanderError } from 'commander';
import { formatError } from '../core/errors.js';
import { buildProgram } from './program.js';

/** Runs the CLI: user mistakes print one line and exit non-zero; only real bugs show a stack. */
async function main(): Promise<void> {
  const program = buildProgram();
  program.exitOverride();
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode);
    process.stderr.write(formatError(err) + '\n');
    process.exit(1);
  }
}

await main();
