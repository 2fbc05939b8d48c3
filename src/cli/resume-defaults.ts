import { readFileSync } from 'node:fs';
import type { RunConfigInput } from '../core/config.js';

/**
 * What a resumed run takes from its checkpoint unless the flags or the config file say otherwise:
 * the model (cell, hidden size) and the optimizer whose state it holds. The trainer refuses a
 * model that differs from the checkpoint's, so filling in the flags' defaults here (rnn, H = 100,
 * Adagrad) would refuse every LSTM checkpoint resumed without `--cell lstm`.
 *
 * Reads only the header fields; a file that cannot be read gives nothing here and is reported by
 * the trainer, which loads it properly.
 */
export function resumeDefaults(checkpointFile: string): Pick<RunConfigInput, 'cell' | 'hiddenSize' | 'optimizer'> {
  let json: { cell?: unknown; hiddenSize?: unknown; training?: { optimizer?: { name?: unknown } } };
  try {
    json = JSON.parse(readFileSync(checkpointFile, 'utf8'));
  } catch {
    return {};
  }
  if (typeof json !== 'object' || json === null) return {};
  const optimizer = json.training?.optimizer?.name;
  return {
    ...(typeof json.cell === 'string' ? { cell: json.cell } : {}),
    ...(typeof json.hiddenSize === 'number' ? { hiddenSize: json.hiddenSize } : {}),
    ...(optimizer === 'adagrad' || optimizer === 'adam' ? { optimizer } : {}),
  };
}
