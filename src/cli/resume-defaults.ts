import { readFileSync } from 'node:fs';
import { resumeDefaults, type ResumeDefaults } from '../core/resume-defaults.js';

/**
 * The checkpoint's {@link resumeDefaults}, read from its file before the flags are merged: the
 * CLI hands the trainer a complete config, so the defaults must be in place before it is parsed.
 * A file that cannot be read gives nothing here and is reported by the trainer, which loads it
 * properly.
 */
export function resumeDefaultsFromFile(checkpointFile: string): ResumeDefaults {
  try {
    return resumeDefaults(JSON.parse(readFileSync(checkpointFile, 'utf8')));
  } catch {
    return {};
  }
}
