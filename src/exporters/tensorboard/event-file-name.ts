import { hostname as osHostname } from 'node:os';

/** Parts of an event file's name. */
export interface EventFileNameParts {
  /** Whole seconds since the epoch when the file was created. */
  seconds: number;
  /** Host that wrote it. */
  host: string;
  /** Writing process id. */
  pid: number;
  /** Per-process counter, so one process can open several files in the same second. */
  counter: number;
  /** Suffix, `.v2` like TensorFlow 2's writer. */
  suffix: string;
}

/**
 * TensorFlow 2's event file name: `events.out.tfevents.<10-digit seconds>.<host>.<pid>.<counter>.v2`.
 * TensorBoard only requires `tfevents` in the name, and reads a run's files in name order.
 */
export function eventFileName(p: EventFileNameParts): string {
  const host = p.host.replace(/[/\\]/g, '_') || 'localhost';
  return `events.out.tfevents.${String(Math.floor(p.seconds)).padStart(10, '0')}.${host}.${p.pid}.${p.counter}${p.suffix}`;
}

/**
 * True for names TensorBoard reads as event files (its rule: the name contains `tfevents`).
 *
 * @category TensorBoard event files
 */
export function isEventFileName(name: string): boolean {
  return name.includes('tfevents');
}

let nextCounter = 0;

/** The next per-process file counter. */
export function nextFileCounter(): number {
  return nextCounter++;
}

/** This machine's host name. */
export function hostName(): string {
  return osHostname();
}
