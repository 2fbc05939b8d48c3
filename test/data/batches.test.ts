import { describe, expect, it } from 'vitest';
import { ConfigError, CorpusError } from '../../src/core/errors.js';
import { BatchStream } from '../../src/data/batch-stream.js';
import { splitCorpus } from '../../src/data/split-corpus.js';
import { streamLayout } from '../../src/data/stream-layout.js';
import { validationBatches } from '../../src/data/validation-batches.js';
import { Vocabulary } from '../../src/data/vocabulary.js';

/** A text whose every position is recognisable: ids[i] = i, so offsets can be read off the data. */
function counting(length: number): Int32Array {
  return Int32Array.from({ length }, (_, i) => i);
}

/** The row of sequence b in a flat [B * n] array. */
function row(a: Int32Array, b: number, n: number): number[] {
  return Array.from(a.subarray(b * n, (b + 1) * n));
}

describe('splitCorpus', () => {
  it('holds out the tail for validation', () => {
    const ids = counting(100);
    const s = splitCorpus(ids, 0.1);
    expect(Array.from(s.train)).toEqual(Array.from({ length: 90 }, (_, i) => i));
    expect(Array.from(s.validation)).toEqual(Array.from({ length: 10 }, (_, i) => 90 + i));
    expect(s.validationStart).toBe(90);
    expect(splitCorpus(ids, 0).validation.length).toBe(0);
    expect(splitCorpus(counting(7), 0.5).validation.length).toBe(3); // floor(3.5)
  });

  it('rejects fractions outside [0, 1)', () => {
    for (const f of [-0.1, 1, 1.5, Number.NaN]) expect(() => splitCorpus(counting(10), f)).toThrow(ConfigError);
  });
});

describe('BatchStream', () => {
  it('cuts B contiguous streams and advances each by n per batch (char-rnn layout)', () => {
    const N = 1000;
    const B = 4;
    const n = 7;
    const stream = new BatchStream(counting(N), { batchSize: B, seqLength: n });
    const L = Math.floor((N - 1) / B); // 249 inputs per stream
    expect(stream.layout.streamLength).toBe(L);
    expect(stream.batchesPerEpoch).toBe(Math.floor(L / n)); // 35
    for (let k = 0; k < stream.batchesPerEpoch; k++) {
      const sb = stream.next();
      expect(sb.batch.batchSize).toBe(B);
      expect(sb.batch.length).toBe(n);
      expect(sb.index).toBe(k);
      expect(sb.epoch).toBe(0);
      expect(sb.indexInEpoch).toBe(k);
      for (let b = 0; b < B; b++) {
        const start = b * L + k * n;
        expect(sb.offsets[b]).toBe(start);
        // With ids[i] = i the inputs are the positions themselves, the targets the next ones.
        expect(row(sb.batch.inputs, b, n)).toEqual(Array.from({ length: n }, (_, s) => start + s));
        expect(row(sb.batch.targets, b, n)).toEqual(Array.from({ length: n }, (_, s) => start + s + 1));
      }
    }
    const wrapped = stream.next();
    expect(wrapped.epoch).toBe(1);
    expect(wrapped.indexInEpoch).toBe(0);
    expect(Array.from(wrapped.offsets)).toEqual([0, L, 2 * L, 3 * L]);
    expect(stream.epoch).toBe(1);
    expect(stream.position).toBe(stream.batchesPerEpoch + 1);
  });

  it('gives targets that are the next character of real text', () => {
    const text = 'for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}\n'.repeat(20);
    const vocab = Vocabulary.fromText(text);
    const stream = new BatchStream(vocab.encode(text), { batchSize: 3, seqLength: 25 });
    for (let k = 0; k < 2 * stream.batchesPerEpoch; k++) {
      const { batch, offsets } = stream.next();
      for (let b = 0; b < 3; b++) {
        expect(vocab.decode(row(batch.inputs, b, 25))).toBe(text.slice(offsets[b], offsets[b] + 25));
        expect(vocab.decode(row(batch.targets, b, 25))).toBe(text.slice(offsets[b] + 1, offsets[b] + 26));
      }
    }
  });

  it('continues each stream where the previous batch stopped and never overlaps streams', () => {
    const stream = new BatchStream(counting(5000), { batchSize: 8, seqLength: 25 });
    const seen = new Set<number>();
    let previous = stream.next();
    for (const v of previous.batch.inputs) seen.add(v);
    for (let k = 1; k < stream.batchesPerEpoch; k++) {
      const sb = stream.next();
      for (let b = 0; b < 8; b++) {
        expect(sb.batch.inputs[b * 25]).toBe(previous.batch.targets[b * 25 + 24]);
      }
      for (const v of sb.batch.inputs) {
        expect(seen.has(v)).toBe(false);
        seen.add(v);
      }
      previous = sb;
    }
    expect(seen.size).toBe(8 * 25 * stream.batchesPerEpoch);
  });

  it('is deterministic, and random access agrees with the stream', () => {
    const ids = counting(3000);
    const a = new BatchStream(ids, { batchSize: 5, seqLength: 11 });
    const b = new BatchStream(ids, { batchSize: 5, seqLength: 11, seed: 99 });
    const c = new BatchStream(ids, { batchSize: 5, seqLength: 11 });
    c.seek(40);
    for (let k = 0; k < 100; k++) {
      const x = a.next();
      expect(b.next()).toEqual(x); // without randomStart the seed changes nothing
      expect(a.at(k)).toEqual(x);
      if (k >= 40) expect(c.next()).toEqual(x);
    }
  });

  it('with randomStart, shifts the windows by a seeded offset below n', () => {
    const ids = counting(3000);
    const starts = new Set<number>();
    for (let seed = 0; seed < 40; seed++) {
      const s = new BatchStream(ids, { batchSize: 4, seqLength: 10, randomStart: true, seed });
      const again = new BatchStream(ids, { batchSize: 4, seqLength: 10, randomStart: true, seed });
      expect(again.next()).toEqual(s.at(0));
      const start = s.layout.start;
      expect(start).toBeGreaterThanOrEqual(0);
      expect(start).toBeLessThan(10);
      expect(s.at(0).offsets[0]).toBe(start);
      expect(s.at(0).batch.inputs[0]).toBe(start);
      starts.add(start);
      // The last batch of the epoch still has a target for every input.
      const last = s.at(s.batchesPerEpoch - 1);
      expect(Math.max(...last.batch.targets)).toBeLessThan(3000);
    }
    expect(starts.size).toBeGreaterThan(3);
  });

  it('adds a base offset for ids that start later in the corpus', () => {
    const s = new BatchStream(counting(100), { batchSize: 2, seqLength: 5, baseOffset: 1000 });
    expect(Array.from(s.next().offsets)).toEqual([1000, 1049]);
  });

  it('says how many characters a too-short corpus needs', () => {
    const fail = (len: number, B: number, n: number) => {
      try {
        new BatchStream(counting(len), { batchSize: B, seqLength: n });
      } catch (err) {
        expect(err).toBeInstanceOf(CorpusError);
        return (err as Error).message;
      }
      return 'no error';
    };
    expect(fail(25, 1, 25)).toBe('the training text has 25 characters; a sequence of 25 steps needs at least 26 characters (n + 1)');
    expect(fail(26, 1, 25)).toBe('no error');
    expect(fail(800, 32, 25)).toBe('the training text has 800 characters; 32 sequences of 25 steps need at least 801 characters (B n + 1)');
    expect(fail(801, 32, 25)).toBe('no error');
    expect(fail(0, 1, 1)).toMatch(/needs at least 2 characters/);
    // The smallest corpus that fits gives exactly one batch per epoch.
    expect(new BatchStream(counting(801), { batchSize: 32, seqLength: 25 }).batchesPerEpoch).toBe(1);
  });

  it('points at --max-chars in the hint for a too-short text', () => {
    try {
      new BatchStream(counting(9), { batchSize: 1, seqLength: 25 });
      expect.unreachable();
    } catch (err) {
      expect((err as CorpusError).hint).toMatch(/a higher --max-chars/);
    }
  });

  it('cuts the same batches from compact (Uint8Array) ids as from Int32Array ids', () => {
    const wide = Int32Array.from({ length: 500 }, (_, i) => (i * 7) % 251);
    const narrow = Uint8Array.from(wide);
    const a = splitCorpus(wide, 0.1);
    const b = splitCorpus(narrow, 0.1);
    expect(b.train).toBeInstanceOf(Uint8Array);
    const sa = new BatchStream(a.train, { batchSize: 3, seqLength: 7 });
    const sb = new BatchStream(b.train, { batchSize: 3, seqLength: 7 });
    for (const i of [0, 1, 5, sa.batchesPerEpoch, sa.batchesPerEpoch + 3]) expect(sb.at(i)).toEqual(sa.at(i));
    const va = validationBatches(a.validation, { batchSize: 2, seqLength: 7, baseOffset: a.validationStart });
    expect(validationBatches(b.validation, { batchSize: 2, seqLength: 7, baseOffset: b.validationStart })).toEqual(va);
  });

  it('rejects a batch size or sequence length that is not a positive integer', () => {
    expect(() => new BatchStream(counting(100), { batchSize: 0, seqLength: 5 })).toThrow(ConfigError);
    expect(() => new BatchStream(counting(100), { batchSize: 2, seqLength: 2.5 })).toThrow(ConfigError);
    expect(() => streamLayout(100, 1, -1)).toThrow(/sequence length must be a positive integer/);
    expect(() => new BatchStream(counting(100), { batchSize: 2, seqLength: 5 }).at(-1)).toThrow(ConfigError);
  });
});

describe('validationBatches', () => {
  it('cuts the validation text like training batches, offsets in corpus terms', () => {
    const ids = counting(1000);
    const { validation, validationStart } = splitCorpus(ids, 0.2);
    const batches = validationBatches(validation, { batchSize: 4, seqLength: 10, baseOffset: validationStart });
    const L = Math.floor((200 - 1) / 4); // 49
    expect(batches.length).toBe(Math.floor(L / 10));
    batches.forEach((sb, k) => {
      expect(sb.indexInEpoch).toBe(k);
      for (let b = 0; b < 4; b++) {
        const corpusOffset = 800 + b * L + k * 10;
        expect(sb.offsets[b]).toBe(corpusOffset);
        expect(row(sb.batch.inputs, b, 10)).toEqual(Array.from({ length: 10 }, (_, s) => corpusOffset + s));
        expect(row(sb.batch.targets, b, 10)).toEqual(Array.from({ length: 10 }, (_, s) => corpusOffset + s + 1));
      }
    });
  });

  it('keeps only the first maxBatches', () => {
    const all = validationBatches(counting(1000), { batchSize: 2, seqLength: 10 });
    const capped = validationBatches(counting(1000), { batchSize: 2, seqLength: 10, maxBatches: 3 });
    expect(capped).toEqual(all.slice(0, 3));
    expect(validationBatches(counting(1000), { batchSize: 2, seqLength: 10, maxBatches: 0 })).toEqual([]);
  });

  it('uses fewer streams when the text is short, and none when shorter than n + 1', () => {
    const few = validationBatches(counting(35), { batchSize: 8, seqLength: 10 });
    expect(few.length).toBe(1);
    expect(few[0].batch.batchSize).toBe(3); // floor(34 / 10)
    expect(few[0].batch.inputs.length).toBe(30);
    expect(validationBatches(counting(10), { batchSize: 8, seqLength: 10 })).toEqual([]);
    expect(validationBatches(new Int32Array(0), { batchSize: 8, seqLength: 10 })).toEqual([]);
  });

  it('rejects bad options', () => {
    expect(() => validationBatches(counting(100), { batchSize: 2, seqLength: 5, maxBatches: -1 })).toThrow(ConfigError);
    expect(() => validationBatches(counting(100), { batchSize: 0, seqLength: 5 })).toThrow(ConfigError);
  });
});
