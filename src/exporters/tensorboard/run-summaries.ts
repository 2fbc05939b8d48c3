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

/** The Custom Scalars layout grouping rnnbow's charts. */
export function customScalarsLayout(): LayoutMessage {
  return {
    version: 0,
    category: [
      {
        title: 'rnnbow: loss',
        chart: [
          { title: 'train and validation loss', multiline: { tag: [exact(TAGS.trainLoss), exact(TAGS.smoothedTrainLoss), exact(TAGS.validationLoss)] } },
          { title: 'characters per second', multiline: { tag: [exact(TAGS.charsPerSec)] } },
        ],
      },
      {
        title: 'rnnbow: gradients',
        chart: [
          { title: 'max gradient (tallest bar)', multiline: { tag: [exact(TAGS.maxGradient)] } },
          { title: 'horizon length', multiline: { tag: [exact(TAGS.horizon)] } },
          { title: 'truncation residual', multiline: { tag: [exact(TAGS.truncationResidual)] } },
          { title: 'gradient norm', multiline: { tag: [exact(TAGS.gradNorm)] } },
        ],
      },
    ],
  };
}
