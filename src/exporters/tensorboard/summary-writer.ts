import type { EventFileWriter } from './event-file-writer.js';
import type { SummaryValueMessage } from './proto.js';

/**
 * Writes summaries to an event file, keeping each tag's metadata on its first value only:
 * TensorBoard keeps the first metadata per (run, tag) and ignores the rest, so repeating it would
 * only cost space.
 */
export class SummaryWriter {
  private readonly described = new Set<string>();

  constructor(
    /** The event file written to. */
    readonly file: EventFileWriter,
  ) {}

  /** Writes one event holding `values` at `step`. */
  write(step: number, wallTime: number, values: readonly SummaryValueMessage[]): void {
    if (values.length === 0) return;
    const value = values.map((v) => {
      const tag = v.tag ?? '';
      if (!v.metadata) return v;
      if (this.described.has(tag)) return { ...v, metadata: undefined };
      this.described.add(tag);
      return v;
    });
    this.file.write({ wallTime, step, summary: { value } });
  }
}
