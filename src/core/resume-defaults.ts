import type { RunConfigInput } from './config.js';

/** The settings a resumed run takes from its checkpoint when the config leaves them out. */
export type ResumeDefaults = Pick<RunConfigInput, 'cell' | 'hiddenSize' | 'optimizer' | 'seqLength' | 'batchSize'>;

/**
 * What a resumed run takes from its checkpoint unless the config (or the CLI's flags) says
 * otherwise: the model (cell, hidden size), the optimizer whose state it holds, and the batch
 * shape (n, B) that the saved batch index and carried state refer to. The trainer refuses a model
 * that differs from the checkpoint's, so the config's defaults (rnn, H = 100, Adagrad) would
 * refuse every LSTM checkpoint resumed without naming the cell; and with the defaults' n = 25,
 * B = 1 a run trained with n = 50, B = 32 would resume elsewhere in the text with its state thrown
 * away.
 *
 * Takes the checkpoint's JSON as parsed, or its header fields; anything missing or malformed is
 * simply not a default (the checkpoint loader reports damage).
 */
export function resumeDefaults(checkpoint: unknown): ResumeDefaults {
  if (typeof checkpoint !== 'object' || checkpoint === null) return {};
  const json = checkpoint as { cell?: unknown; hiddenSize?: unknown; training?: { optimizer?: { name?: unknown }; seqLength?: unknown; batchSize?: unknown } };
  const optimizer = json.training?.optimizer?.name;
  const n = json.training?.seqLength;
  const B = json.training?.batchSize;
  const positive = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;
  return {
    ...(typeof json.cell === 'string' ? { cell: json.cell } : {}),
    ...(typeof json.hiddenSize === 'number' ? { hiddenSize: json.hiddenSize } : {}),
    ...(optimizer === 'adagrad' || optimizer === 'adam' ? { optimizer } : {}),
    ...(positive(n) ? { seqLength: n } : {}),
    ...(positive(B) ? { batchSize: B } : {}),
  };
}
