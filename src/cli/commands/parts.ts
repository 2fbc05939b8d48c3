import { Command } from 'commander';
import { collect } from '../parse.js';

/** `rnnbow parts`: lists the registered cells, recorders and exporters (with plugins). */
export function partsCommand(): Command {
  return new Command('parts')
    .description('list the cells, recorders and exporters available (built-ins and plugins)')
    .option('--plugin <path|package>', 'load a plugin (repeatable)', collect)
    .action(async (flags: { plugin?: string[] }) => {
      const { createRegistry } = await import('../../builtins.js');
      const registry = await createRegistry(flags.plugin ?? []);
      const lines: string[] = [];
      lines.push('cells:');
      for (const name of registry.names('cell')) lines.push(`  ${name.padEnd(12)} ${registry.cell(name).description}`);
      lines.push('recorders:');
      for (const name of registry.names('recorder')) lines.push(`  ${name.padEnd(12)} ${registry.recorderDefinition(name).description}`);
      lines.push('exporters:');
      for (const name of registry.names('exporter')) lines.push(`  ${name.padEnd(12)} ${registry.exporter(name).description}`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
