import type { RunConfig } from '../core/config.js';
import type { GradientEngine, State } from '../core/engine.js';
import { CorpusError } from '../core/errors.js';
import type { ParamStore } from '../core/params.js';
import { BatchStream } from '../data/batch-stream.js';
import { corpusFingerprint } from '../data/corpus-fingerprint.js';
import type { Corpus } from '../data/corpus.js';
import { defaultCorpus } from '../data/default-corpus.js';
import { loadCorpus, type CorpusReadProgress } from '../data/load-corpus.js';
import { splitCorpus } from '../data/split-corpus.js';
import type { StreamBatch } from '../data/stream-layout.js';
import { validationBatches } from '../data/validation-batches.js';
import { Vocabulary } from '../data/vocabulary.js';
import { describeChar } from '../data/visible-char.js';

/** A run's data: corpus, vocabulary, the training stream and the validation batches. */
export interface TrainingData {
  /** Where the corpus came from and its size. Its text is not kept: the run holds the token ids. */
  corpus: Omit<Corpus, 'text'>;
  /** {@link corpusFingerprint} of the training ids, so a resumed run can tell it reads other text. */
  fingerprint: string;
  /** Vocabulary (the checkpoint's when resuming). */
  vocab: Vocabulary;
  /** Minibatches of the training text. */
  train: BatchStream;
  /** Fixed validation batches (empty when the validation tail is too short). */
  validation: StreamBatch[];
  /** Mean per-character validation loss, or undefined without validation text. */
  validationLoss(engine: GradientEngine, params: ParamStore, zeroState: (batchSize: number) => State): number | undefined;
}

/**
 * Loads the corpus a config names (or the default one), encodes it and cuts it into batches.
 * `onRead` follows the reading of `config.corpus.paths` file by file.
 */
export function prepareData(config: RunConfig, vocabChars?: readonly string[], onRead?: (read: CorpusReadProgress) => void): TrainingData {
  const corpus = config.corpus.paths.length
    ? loadCorpus(config.corpus.paths, { maxChars: config.corpus.maxChars, ...(onRead ? { onProgress: onRead } : {}) })
    : defaultCorpus({ maxChars: config.corpus.maxChars, seed: config.seed });
  let vocab: Vocabulary;
  if (vocabChars) {
    vocab = Vocabulary.fromChars(vocabChars);
    const missing = vocab.missingFrom(corpus.text);
    if (missing.length) {
      throw new CorpusError(
        `the corpus has ${missing.length} character(s) the checkpoint's vocabulary lacks: ${missing.slice(0, 8).map(describeChar).join(', ')}`,
        'resume on text made of the same characters, or start a new run',
      );
    }
  } else vocab = Vocabulary.fromText(corpus.text);
  // One byte per character for most corpora, four otherwise: the ids stay for the whole run.
  const ids = vocab.encodeCompact(corpus.text);
  const split = splitCorpus(ids, config.corpus.validationFraction);
  const train = new BatchStream(split.train, { batchSize: config.batchSize, seqLength: config.seqLength });
  const validation = validationBatches(split.validation, {
    batchSize: config.batchSize,
    seqLength: config.seqLength,
    maxBatches: config.validationBatches,
    baseOffset: split.validationStart,
  });
  const { text: _text, ...about } = corpus;
  return {
    corpus: about,
    fingerprint: corpusFingerprint(split.train),
    vocab,
    train,
    validation,
    validationLoss(engine, params, zeroState) {
      if (validation.length === 0) return undefined;
      let state = zeroState(validation[0].batch.batchSize);
      let sum = 0;
      let count = 0;
      for (const { batch } of validation) {
        const result = engine.evaluate(params, batch, state);
        for (const l of result.losses) sum += l;
        count += result.losses.length;
        state = result.finalState;
      }
      return sum / count;
    },
  };
}
