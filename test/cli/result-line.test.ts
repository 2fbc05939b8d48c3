import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { printRunResult } from '../../src/cli/commands/train.js';
import type { RunSummary } from '../../src/core/record.js';
import type { TrainResult } from '../../src/train/trainer.js';
import { readJsonRun } from '../../src/exporters/json/json-reader.js';
import { runCli } from '../helpers/cli.js';
import { smallCorpus, tempDir } from '../helpers/temp.js';

const dir = tempDir();
const corpus = smallCorpus(dir, 5000);
const logdir = path.join(dir, 'runs');
const quick = ['--corpus', corpus, '--hidden', '4', '-n', '5', '--export', 'json', '--logdir', logdir, '--backend', 'cpu'];

/** The line `rnnbow train` ends with: how the run ended, its speed and losses, as summary.json has them. */
const resultLine = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('run '));

describe('rnnbow train: the closing line', () => {
  it('gives the final training loss and, when one was measured, the last validation loss', () => {
    const res = runCli(['train', ...quick, '--steps', '12', '--validate-every', '5', '--run-name', 'validated']);
    expect(res.status).toBe(0);
    const { summary } = readJsonRun(path.join(logdir, 'validated'));
    const line = resultLine(res.stdout);
    expect(line).toMatch(/^run validated: completed; 12 batches in [\d.]+ s \([\d,]+ chars\/s\), loss \d+\.\d{4} \(validation \d+\.\d{4}\), \d+ records$/);
    expect(line).toContain(`loss ${summary!.finalLoss.toFixed(4)} (validation ${summary!.finalValLoss!.toFixed(4)})`);
  });

  it('leaves the validation out when none was measured', () => {
    const res = runCli(['train', ...quick, '--steps', '3', '--validate-every', '0', '--run-name', 'unvalidated']);
    expect(res.status).toBe(0);
    expect(resultLine(res.stdout)).toMatch(/, loss \d+\.\d{4}, \d+ records$/);
  });

  it('paces the validation losses it prints, and says where every one is kept', () => {
    const started = Date.now();
    const res = runCli(['train', ...quick, '--steps', '60', '--validate-every', '2', '--run-name', 'paced']);
    const seconds = (Date.now() - started) / 1000;
    expect(res.status).toBe(0);
    const said = res.stdout + res.stderr;
    const shown = said.split('\n').filter((l) => /^batch \d+: validation loss/.test(l));
    // 30 validations: the first is shown at once, then at most one per 10 s of the run (a run
    // takes about a second here, so one line; a slow machine may show a few more, never all).
    expect(shown[0]).toMatch(/^batch 1: validation loss \d+\.\d{4}$/);
    expect(shown.length).toBeLessThanOrEqual(Math.floor(seconds / 10) + 1);
    expect(said).toContain('shown here at most every 10 s and 30 s respectively; every one goes to the json exporter)');
    const kept = readJsonRun(path.join(logdir, 'paced')).scalars.filter((s) => s.valLoss !== undefined);
    expect(kept).toHaveLength(30);
  });
});

describe('rnnbow train: the closing lines', () => {
  const result = (summary: Partial<RunSummary>) =>
    ({ runId: 'r', runDir: '/runs/r', checkpoint: '/runs/r/checkpoint.json', summary: { batches: 10, finalLoss: 2, records: 10, status: 'completed', seconds: 10, charsPerSec: 25, ...summary } }) as TrainResult;
  const printed = (summary: Partial<RunSummary>) => {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      printRunResult(result(summary));
    } finally {
      spy.mockRestore();
    }
    return out.split('\n');
  };

  it('say when the exporters set the pace, between the result and the folder', () => {
    const lines = printed({ exportSeconds: { json: 2.6, tensorboard: 2.1 }, exporterBusySeconds: { json: 5.6, tensorboard: 8.8 } });
    expect(lines[1]).toBe(
      '  exporting set the pace: training waited for the exporters 47% of the time (busy: tensorboard 88%, json 56%); ' +
        'record less often (--every) or leave out the busiest exporter (--export json) to train faster',
    );
    expect(lines[2]).toBe('  folder:     /runs/r');
  });

  it('say when no checkpoint was written, instead of naming a file that is not there', () => {
    expect(printed({})[2]).toBe('  checkpoint: none written (the parameters were not finite when one was due)');
    const file = path.join(dir, 'written-checkpoint.json');
    writeFileSync(file, '{}');
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk);
      return true;
    });
    try {
      printRunResult({ ...result({}), checkpoint: file });
    } finally {
      spy.mockRestore();
    }
    expect(out.split('\n')[2]).toBe(`  checkpoint: ${file}`);
  });

  it('count the batches skipped for a non-finite loss', () => {
    expect(printed({ skippedBatches: 312 })[0]).toBe('run r: completed; 10 batches in 10.0 s (25 chars/s), loss 2.0000, 10 records, 312 batches skipped (non-finite loss)');
    expect(printed({ skippedBatches: 1 })[0]).toMatch(/, 10 records, 1 batch skipped \(non-finite loss\)$/);
    expect(printed({})[0]).toMatch(/, 10 records$/);
  });

  it('say nothing about exporters that kept up, or when the summary has no timings', () => {
    expect(printed({ exportSeconds: { json: 0.1 }, exporterBusySeconds: { json: 0.5 } })[1]).toBe('  folder:     /runs/r');
    expect(printed({})[1]).toBe('  folder:     /runs/r');
  });
});
