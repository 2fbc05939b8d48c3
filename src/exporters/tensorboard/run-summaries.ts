import type { RunInfo, RunSummary } from '../../core/record.js';
import { HParamsStatus, type LayoutMessage, type ProtoValueMessage, type SessionStartInfoMessage } from './proto.js';
import { TAGS } from './tags.js';

/**
 * What the HParams and Custom Scalars dashboards get from a run's RunInfo: pure functions, so the
 * exporter and the tests build exactly the same messages.
 */

/** Truncation k from a recorder description like `periodic(every=100, truncated(k=5))`; null = full. */
export function truncationOf(recorder: string): number | null {
  const m = /\bk\s*=\s*(\d+)/.exec(recorder);
  return m ? Number(m[1]) : null;
}

/** A hyperparameter value: number, string or boolean. */
export type HParamValue = number | string | boolean;

/**
 * The run's hyperparameters. `k` is the truncation; full itemization is reported as k = n - 1
 * (every distance kept), so k stays numeric and filterable across runs.
 */
export function runHParams(run: RunInfo): Record<string, HParamValue> {
  const k = truncationOf(run.recorder);
  return {
    cell: run.cell,
    hidden_size: run.hiddenSize,
    n: run.seqLength,
    B: run.batchSize,
    k: k ?? run.seqLength - 1,
    optimizer: run.optimizer.name,
    lr: run.optimizer.lr,
    clip: run.optimizer.clip,
    recorder: run.recorder,
    // What the gradient scalars measure: an l2 run and a meanAbs run are not comparable.
    ...(typeof run.config?.reduction === 'string' ? { reduction: run.config.reduction } : {}),
  };
}

function protoValue(v: HParamValue): ProtoValueMessage {
  if (typeof v === 'number') return { numberValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return { stringValue: v };
}

/** SessionStartInfo of the run (the run's folder is the session). */
export function sessionStartInfo(run: RunInfo, startTimeSecs: number): SessionStartInfoMessage {
  const hparams = Object.fromEntries(Object.entries(runHParams(run)).map(([k, v]) => [k, protoValue(v)]));
  return { hparams, startTimeSecs };
}

/** TensorBoard's session status for how a run ended; an interrupted run is neither success nor failure. */
export function sessionStatus(status: RunSummary['status']): number {
  if (status === 'completed') return HParamsStatus.STATUS_SUCCESS;
  if (status === 'failed') return HParamsStatus.STATUS_FAILURE;
  return HParamsStatus.STATUS_UNKNOWN;
}

/**
 * How a run ended, read back from its session-end status. For a run rnnbow wrote (`rnnbowRun`),
 * unknown can only mean interrupted, as {@link sessionStatus} writes it; for anyone else's it stays
 * `unknown`.
 */
export function statusOfSession(status: number, rnnbowRun: boolean): string {
  if (status === HParamsStatus.STATUS_SUCCESS) return 'completed';
  if (status === HParamsStatus.STATUS_FAILURE) return 'failed';
  if (status === HParamsStatus.STATUS_RUNNING) return 'running';
  return rnnbowRun ? 'interrupted' : 'unknown';
}

function exact(tag: string): string {
  return `^${tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
}

/**
 * The Custom Scalars layout grouping rnnbow's charts. Every chart holds ONE tag: TensorBoard
 * colours a chart's lines by run only, so a chart of several tags gives them all the same colour
 * and, with several runs side by side, becomes a tangle no one can read. One tag per chart keeps
 * each colour a run, which is what the dashboard is for: comparing runs (the chart's "Matches"
 * list names the tag). Titles of charts that were already one tag are kept: TensorBoard merges the
 * layouts of all runs by chart, so a renamed chart would show twice next to older runs.
 */
export function customScalarsLayout(): LayoutMessage {
  const chart = (title: string, tag: string) => ({ title, multiline: { tag: [exact(tag)] } });
  return {
    version: 0,
    category: [
      {
        title: 'rnnbow: loss',
        chart: [
          chart('training loss, smoothed', TAGS.smoothedTrainLoss),
          chart('validation loss', TAGS.validationLoss),
          chart('training loss of each batch', TAGS.trainLoss),
          chart('characters per second', TAGS.charsPerSec),
          chart('batches trained', TAGS.batchesTrained),
        ],
      },
      {
        title: 'rnnbow: gradients',
        chart: [
          chart('max gradient (tallest bar)', TAGS.maxGradient),
          chart('horizon length', TAGS.horizon),
          chart('truncation residual', TAGS.truncationResidual),
          chart('gradient norm', TAGS.gradNorm),
        ],
      },
    ],
  };
}
