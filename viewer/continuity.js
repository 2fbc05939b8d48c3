// Runs that continue one another: `rnnbow train --resume runs/A/checkpoint.json` goes on with run
// A in a new run B. The server links them (`resumedFrom` on B, `continuedIn` on A, newest first);
// this decides what a panel says about them and which run "follow latest" moves on to.

/** Statuses of a run that will write no more batches (a `stale` run may still, if it was paused). */
const ENDED = new Set(['completed', 'interrupted', 'failed', 'ended', 'error']);

/** How the banner says that a followed run stopped, by its status. */
const ENDED_TEXT = {
  completed: 'completed', interrupted: 'was interrupted', failed: 'failed', ended: 'ended', error: 'cannot be read', stale: 'stopped writing',
};

/**
 * The links a panel shows for `run`, in the order they are drawn: `{ kind: 'continues', id }` for
 * the run it resumed, then `{ kind: 'continued-in', id, others }` for its newest continuation
 * (`others`: the ids of older ones). Empty for a run with no links.
 */
export function continuityLinks(run) {
  const links = [];
  if (typeof run?.resumedFrom === 'string' && run.resumedFrom) links.push({ kind: 'continues', id: run.resumedFrom });
  const next = Array.isArray(run?.continuedIn) ? run.continuedIn.filter((id) => typeof id === 'string' && id) : [];
  if (next.length) links.push({ kind: 'continued-in', id: next[0], others: next.slice(1) });
  return links;
}

/**
 * The words of a link: `full` ("continues A", "continued in B →", "+1" for older continuations)
 * and `short` (arrows only: "← A", "→ B") for a narrow panel, each as `[before, id, after]`, and
 * `title`, the full sentence for a tooltip.
 */
export function continuityWords(link) {
  if (link.kind === 'continues') {
    return { full: ['continues ', link.id, ''], short: ['← ', link.id, ''], title: `${link.id} is the run this one resumed from (its checkpoint)` };
  }
  const more = link.others?.length ? ` +${link.others.length}` : '';
  const also = link.others?.length ? `; also continued in ${link.others.join(', ')}` : '';
  return { full: ['continued in ', link.id, ` →${more}`], short: ['→ ', link.id, more], title: `${link.id} resumed from this run's checkpoint${also}` };
}

/**
 * The run "follow latest" moves on to from `run`, or null: when `run` will write no more batches
 * (it ended, or went stale) and a run that continues it is running, the newest such run. `runs`
 * maps ids to run descriptions (as the page's run list holds them).
 */
export function continuationToFollow(run, runs) {
  if (!run || !(ENDED.has(run.status) || run.status === 'stale')) return null;
  for (const id of Array.isArray(run.continuedIn) ? run.continuedIn : []) {
    if (runs.get(id)?.status === 'running') return id;
  }
  return null;
}

/** The banner's line when following `from` moved on to `to`: what happened, briefly. */
export function followedText(from, to) {
  return `${from.id} ${ENDED_TEXT[from.status] ?? 'ended'}; now following ${to.id}, which continues it from its checkpoint.`;
}
