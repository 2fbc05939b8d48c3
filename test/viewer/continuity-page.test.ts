/**
 * What the page makes of the continuity links (viewer/continuity.js, plain browser JS with no
 * DOM): the links a panel draws, their words, and the run "follow latest" moves on to.
 */
import { describe, expect, it } from 'vitest';
import { continuationToFollow, continuityLinks, continuityWords, followedText } from '../../viewer/continuity.js';

type Run = { id: string; status: string; resumedFrom?: string; continuedIn?: string[] };
const runsOf = (...list: Run[]) => new Map(list.map((r) => [r.id, r]));

describe('continuityLinks and continuityWords', () => {
  it('draws what the run continues, then its newest continuation, with the older ones counted', () => {
    expect(continuityLinks({ id: 'A', status: 'completed' })).toEqual([]);
    expect(continuityLinks(null)).toEqual([]);
    const middle = continuityLinks({ id: 'B', status: 'completed', resumedFrom: 'A', continuedIn: ['D', 'C'] });
    expect(middle).toEqual([{ kind: 'continues', id: 'A' }, { kind: 'continued-in', id: 'D', others: ['C'] }]);
    expect(middle.map((l) => continuityWords(l).full.join(''))).toEqual(['continues A', 'continued in D → +1']);
    expect(middle.map((l) => continuityWords(l).short.join(''))).toEqual(['← A', '→ D +1']);
    expect(continuityWords(middle[1]).title).toBe("D resumed from this run's checkpoint; also continued in C");
    expect(continuityWords({ kind: 'continued-in', id: 'B', others: [] }).full.join('')).toBe('continued in B →');
  });

  it('ignores links that are not run ids', () => {
    expect(continuityLinks({ id: 'B', status: 'completed', resumedFrom: '', continuedIn: [] } as Run)).toEqual([]);
    expect(continuityLinks({ id: 'B', status: 'completed', continuedIn: 'C' } as unknown as Run)).toEqual([]);
  });
});

describe('continuationToFollow', () => {
  const a = (status: string, continuedIn?: string[]): Run => ({ id: 'A', status, continuedIn });

  it('moves on from a run that ended (or went stale) to the newest continuation that is running', () => {
    for (const status of ['completed', 'interrupted', 'failed', 'ended', 'stale']) {
      const runs = runsOf(a(status, ['C', 'B']), { id: 'C', status: 'running' }, { id: 'B', status: 'running' });
      expect(continuationToFollow(runs.get('A'), runs), status).toBe('C');
    }
    // The newest is done already: the older one still running is where batches arrive.
    const runs = runsOf(a('interrupted', ['C', 'B']), { id: 'C', status: 'failed' }, { id: 'B', status: 'running' });
    expect(continuationToFollow(runs.get('A'), runs)).toBe('B');
  });

  it('stays while the followed run still runs, or no continuation runs, or the run list lacks it', () => {
    const running = runsOf(a('running', ['B']), { id: 'B', status: 'running' });
    expect(continuationToFollow(running.get('A'), running)).toBeNull();
    const done = runsOf(a('completed', ['B']), { id: 'B', status: 'completed' });
    expect(continuationToFollow(done.get('A'), done)).toBeNull();
    const unlisted = runsOf(a('interrupted', ['B']));
    expect(continuationToFollow(unlisted.get('A'), unlisted)).toBeNull();
    const none = runsOf(a('interrupted'));
    expect(continuationToFollow(none.get('A'), none)).toBeNull();
    expect(continuationToFollow(undefined, none)).toBeNull();
  });

  it('says briefly what happened', () => {
    expect(followedText({ id: 'A', status: 'interrupted' }, { id: 'B', status: 'running' })).toBe('A was interrupted; now following B, which continues it from its checkpoint.');
    expect(followedText({ id: 'A', status: 'stale' }, { id: 'B', status: 'running' })).toMatch(/^A stopped writing; /);
  });
});
