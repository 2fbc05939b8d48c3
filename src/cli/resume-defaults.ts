import { readFileSync } from 'node:fs';
import type { RunConfigInput } from '../core/config.js';

/**
 * What a resumed run takes from its checkpoint unless the flags or the config file say otherwise:
 * the model (cell, hidden size), the optimizer whose state it holds, and the batch shape (n, B)
 * that the saved batch index and carried state refer to. The trainer refuses a model that differs
 * from the checkpoint's, so filling in the flags' defaults here (rnn, H = 100, Adagrad) would
 * refuse every LSTM checkpoint resumed without `--cell lstm`; and with the defaults' n = 25, B = 1
 * a run trained with `-n 50 -b 32` would resume elsewhere in the text with its state thrown away.
 *
 * Reads only the header fields; a file that cannot be read gives nothing here and is reported by
 * the trainer, which loads it properly.
 */
export function resumeDefaults(checkpointFile: string): Pick<RunConfigInput, 'cell' | 'hiddenSize' | 'optimizer' | 'seqLength' | 'batchSize'> {
  let json: { cell?: unknown; hiddenSize?: unknown; training?: { optimizer?: { name?: unknown }; seqLength?: unknown; batchSize?: unknown } };
  try {
    json = JSON.parse(readFileSync(checkpointFile, 'utf8'));
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) return {};
  const optimizer = json.training?.optimizer?.name;
  const n = json.training?.seqLength;
  const B = json.training?.batchSize;
  return {
    ...(typeof json.cell === 'string' ? { cell: json.cell } : {}),
    ...(typeof json.hiddenSize === 'number' ? { hiddenSize: json.hiddenSize } : {}),
    ...(optimizer === 'adagrad' || optimizer === 'adam' ? { optimizer } : {}),
    ...(Number.isInteger(n) && (n as number) > 0 ? { seqLength: n as number } : {}),
    ...(Number.isInteger(B) && (B as number) > 0 ? { batchSize: B as number } : {}),
  };
}
