import { describe, expect, it } from 'vitest';
import { CONSOLE_PACE_SECONDS, paceMessages } from '../../src/cli/message-pace.js';
import { train } from '../../src/train/trainer.js';
import { smallRunConfig, tempDir } from '../helpers/temp.js';

/** A paced printer on a clock the test moves. */
function pacedConsole(exporters = ['json', 'tensorboard']) {
  const printed: string[] = [];
  let clock = 0;
  const say = paceMessages((line) => printed.push(line), exporters, () => clock);
  return { printed, say, advance: (seconds: number) => (clock += seconds * 1000) };
}

describe('the console paces validation losses and samples', () => {
  it('shows the first of each kind, then at most one per pause, and notices always', () => {
    const { printed, say, advance } = pacedConsole();
    say('batch 499: validation loss 3.0', 'validation');
    say('sample at batch 999:\nabc', 'sample');
    advance(1);
    say('batch 999: validation loss 2.9', 'validation');
    say('resuming …', 'notice');
    say('SIGINT: stopping after this batch');
    advance(CONSOLE_PACE_SECONDS.validation - 1);
    say('batch 1499: validation loss 2.8', 'validation');
    say('sample at batch 1999:\ndef', 'sample');
    advance(CONSOLE_PACE_SECONDS.sample - CONSOLE_PACE_SECONDS.validation);
    say('sample at batch 2999:\nghi', 'sample');
    expect(printed).toEqual([
      'batch 499: validation loss 3.0',
      'sample at batch 999:\nabc',
      // Said once, the first time a line is held back.
      '(validation losses and samples come faster than a console can be read: shown here at most every 10 s and 30 s respectively; every one goes to the exporters (json, tensorboard))',
      'resuming …',
      'SIGINT: stopping after this batch',
      'batch 1499: validation loss 2.8',
      'sample at batch 2999:\nghi',
    ]);
  });

  it('names the one exporter that keeps them', () => {
    const { printed, say } = pacedConsole(['tensorboard']);
    say('batch 1: validation loss 3.0', 'validation');
    say('batch 2: validation loss 3.0', 'validation');
    expect(printed[1]).toMatch(/; every one goes to the tensorboard exporter\)$/);
  });

  it('leaves a slow run alone: one line per schedule when they are further apart than the pace', () => {
    const { printed, say, advance } = pacedConsole();
    for (let i = 0; i < 5; i++) {
      say(`batch ${i}: validation loss 1`, 'validation');
      advance(CONSOLE_PACE_SECONDS.sample);
      say(`sample at batch ${i}:\nx`, 'sample');
    }
    expect(printed).toHaveLength(10);
    expect(printed.some((line) => line.startsWith('('))).toBe(false);
  });

  it('gets its kinds from the trainer: every validation loss and sample, each named', async () => {
    const said: [string, string][] = [];
    const config = { ...smallRunConfig(tempDir()), steps: 20, validateEvery: 5, sampleEvery: 10, sampleLength: 8 };
    await train(config, { onMessage: (line, kind) => said.push([kind, line]) });
    expect(said.filter(([kind]) => kind === 'validation').map(([, line]) => line.replace(/loss .*/, 'loss'))).toEqual(
      [4, 9, 14, 19].map((b) => `batch ${b}: validation loss`),
    );
    expect(said.filter(([kind]) => kind === 'sample').map(([, line]) => line.split('\n')[0])).toEqual(['sample at batch 9:', 'sample at batch 19:']);
    expect(said.filter(([kind]) => kind === 'notice').map(([, line]) => line)).toContainEqual(expect.stringMatching(/^training rnn/));
  });
});
