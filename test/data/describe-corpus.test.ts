import { describe, expect, it } from 'vitest';
import { describeCorpus } from '../../src/data/describe-corpus.js';

describe('describeCorpus', () => {
  const base = { text: 'x', source: 'src/', files: 34, skipped: 0, chars: 1567, truncated: false };

  it('says where the text came from and how much there is', () => {
    expect(describeCorpus(base)).toBe('corpus: src/ (34 files, 1,567 characters)');
    expect(describeCorpus({ ...base, files: 1 })).toBe('corpus: src/ (1 file, 1,567 characters)');
    expect(describeCorpus({ ...base, source: 'generated C (seed 1)', files: 0, chars: 1_000_000 })).toBe('corpus: generated C (seed 1) (1,000,000 characters)');
  });

  it('names what was left out: binary files skipped and a cut at the limit', () => {
    expect(describeCorpus({ ...base, skipped: 2, truncated: true }, 5000)).toBe('corpus: src/ (34 files, 1,567 characters; 2 binary files skipped; cut at --max-chars 5000)');
    expect(describeCorpus({ ...base, skipped: 1, truncated: true })).toBe('corpus: src/ (34 files, 1,567 characters; 1 binary file skipped; cut at the character limit)');
  });
});
