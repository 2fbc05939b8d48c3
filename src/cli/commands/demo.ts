import path from 'node:path';
import { Command } from 'commander';
import { parseConfig } from '../../core/config.js';
import { parseInteger, parseNumber } from '../parse.js';
import { exitIfStoppedBySignal } from '../exit-by-signal.js';
import { addServeBesideOptions, type ServeBesideFlags, viewerBeside } from '../serve-beside.js';
import { receivedStopSignal } from '../../train/stop-signals.js';
import { untilSignal } from '../until-signal.js';
import { viewerUrl } from './serve.js';
import { printRunResult, runTraining } from './train.js';

/** `rnnbow demo`: the paper's settings on the bundled corpus for about a minute, every exporter on. */
export function demoCommand(): Command {
  const command = new Command('demo')
    .description("train on the bundled corpus with the paper's settings for about a minute; writes every exporter's output")
    .option('--logdir <dir>', 'where the demo run goes', path.join('runs', 'demo'))
    .option('--seconds <s>', 'training time budget', parseNumber, 60)
    .option('--cell <name>', 'cell to train (rnn, lstm, gru)', 'rnn')
    .option('--seed <n>', 'random seed', parseInteger, 42);
  // A demo is for looking: its viewer stays up after the training, until Ctrl-C.
  return addServeBesideOptions(command, 'start the RNNbow viewer on the logdir: watch the run learn live, and look around once it is done (Ctrl-C stops the viewer)')
    .action(async (flags: { logdir: string; seconds: number; cell: string; seed: number } & ServeBesideFlags) => {
      const viewer = viewerBeside(flags);
      const config = parseConfig({
        cell: flags.cell,
        hiddenSize: 100,
        seqLength: 25,
        batchSize: 1,
        optimizer: 'adagrad',
        maxSeconds: flags.seconds,
        logdir: flags.logdir,
        seed: flags.seed,
        sampleEvery: 2000,
        validateEvery: 2000,
        exporters: ['json', 'tensorboard'],
      }, 'demo');
      // The trainer would refuse an unknown cell too, but only after the banner announced it.
      const { createRegistry } = await import('../../builtins.js');
      (await createRegistry()).cell(config.cell);
      process.stderr.write(`rnnbow demo: ${flags.cell} cell, H=100, n=25, Adagrad, truncated k=5 every 100 batches, ~${flags.seconds}s\n`);
      try {
        const result = await runTraining(config, { onStart: viewer.onStart });
        printRunResult(result);
        const server = viewer.server();
        process.stdout.write(
          `\nOpen next:\n` +
            (server ? '' : `  npx rnnbow serve --logdir ${flags.logdir}     # the RNNbow viewer on http://127.0.0.1:6007\n`) +
            `  tensorboard --logdir ${flags.logdir}          # TensorBoard (pip install tensorboard)\n` +
            `  npx rnnbow inspect ${flags.logdir}            # what the event files hold\n` +
            `  ${path.join(result.runDir, 'records.jsonl')}  # the records as JSON Lines (docs/json-schema.md)\n`,
        );
        // Stopped by Ctrl-C, the user wants the process gone, viewer and all.
        if (server && !receivedStopSignal()) {
          process.stdout.write(`\nThe viewer keeps serving ${flags.logdir} at ${viewerUrl(server, result.runId)}; press Ctrl-C to stop it.\n`);
          await untilSignal();
        }
      } finally {
        await viewer.close();
      }
      await exitIfStoppedBySignal();
    });
}
