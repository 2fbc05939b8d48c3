import type { RunInfo } from '../src/core/record.js';

/**
 * RunInfo of a synthetic benchmark run `bench` (vanilla cell, H = 100, B = 1): the benchmarks
 * time exporters and the viewer, not training, so they make their runs up.
 */
export function syntheticRunInfo(fields: Pick<RunInfo, 'seqLength' | 'vocab' | 'corpus' | 'recorder' | 'engine'>): RunInfo {
  return {
    runId: 'bench',
    startedAt: new Date().toISOString(),
    rnnbowVersion: 'bench',
    cell: 'rnn',
    hiddenSize: 100,
    batchSize: 1,
    optimizer: { name: 'adagrad', lr: 0.1, clip: 5 },
    itemizedParams: [{ name: 'weight_hh' }],
    config: {},
    ...fields,
  };
}
