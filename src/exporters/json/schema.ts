/** Schema tags and file names of the JSON export (docs/json-schema.md). */
export const JSON_SCHEMA_VERSION = 1;
/** Schema tag of `run.json`. */
export const RUN_SCHEMA = 'rnnbow-run';
/** Schema tag of each line of `records.jsonl`. */
export const BATCH_SCHEMA = 'rnnbow-batch';
/** File names inside a run folder. */
export const JSON_FILES = {
  run: 'run.json',
  records: 'records.jsonl',
  scalars: 'scalars.jsonl',
  samples: 'samples.jsonl',
  summary: 'summary.json',
} as const;
