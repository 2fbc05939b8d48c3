import type { TrainingMessageKind } from '../train/trainer.js';

/**
 * Seconds between two validation losses, and between two samples, on the console. The schedules
 * count batches, and the fused engine trains thousands a second at the paper's setting: the
 * default schedules then print about 40 lines a second, faster than anyone reads.
 */
export const CONSOLE_PACE_SECONDS: Readonly<Record<Exclude<TrainingMessageKind, 'notice'>, number>> = { validation: 10, sample: 30 };

/**
 * Wraps a console printer so that validation losses and samples show at most once per
 * {@link CONSOLE_PACE_SECONDS}: the first of each kind, then the first after each pause. Every
 * other line prints as it comes. The first time a line is held back, one line says so and where
 * every one goes; the run's last validation loss is in the line that ends it.
 *
 * @param print writes one line (or a sample's lines) to the console
 * @param exporters names of the run's exporters, which receive every one
 * @param now clock in milliseconds (tests)
 */
export function paceMessages(print: (line: string) => void, exporters: readonly string[], now: () => number = Date.now): (line: string, kind?: TrainingMessageKind) => void {
  const shown = new Map<TrainingMessageKind, number>();
  let told = false;
  return (line, kind = 'notice') => {
    if (kind === 'notice') return print(line);
    const at = now();
    const last = shown.get(kind);
    if (last === undefined || at - last >= CONSOLE_PACE_SECONDS[kind] * 1000) {
      shown.set(kind, at);
      return print(line);
    }
    if (told) return;
    told = true;
    const { validation, sample } = CONSOLE_PACE_SECONDS;
    const to = exporters.length === 1 ? `the ${exporters[0]} exporter` : `the exporters (${exporters.join(', ')})`;
    print(`(validation losses and samples come faster than a console can be read: shown here at most every ${validation} s and ${sample} s respectively; every one goes to ${to})`);
  };
}
