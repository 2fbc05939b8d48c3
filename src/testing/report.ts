import { RnnbowError } from '../core/errors.js';

/**
 * The properties {@link runCellConformance} checks; see docs/plugins.md for what each one means.
 *
 * @category Conformance testing
 */
export type ConformanceCheckName =
  | 'probe'
  | 'shapes'
  | 'rows-independent'
  | 'itemized-sum'
  | 'reductions'
  | 'truncation'
  | 'residual'
  | 'finite-differences'
  | 'kernel';

/**
 * The outcome of one check on one random problem.
 *
 * @category Conformance testing
 */
export interface ConformanceCheck {
  /** Which property. */
  readonly name: ConformanceCheckName;
  /** Seed of the random problem, `null` for checks that use none (the shape probe). */
  readonly seed: number | null;
  /** Whether the measured error is within the tolerance. */
  readonly passed: boolean;
  /** The worst error measured (relative unless the detail says otherwise); `Infinity` when the check could not run. */
  readonly error: number;
  /** The tolerance it was held to. */
  readonly tolerance: number;
  /** Where the worst error was (parameter, sequence, distance) or why the check failed. */
  readonly detail: string;
}

/**
 * Everything {@link runCellConformance} found about one cell.
 *
 * @category Conformance testing
 */
export interface CellConformanceReport {
  /** The cell's name. */
  readonly cell: string;
  /** True when every check passed. */
  readonly passed: boolean;
  /** Every check, in the order they ran. */
  readonly checks: readonly ConformanceCheck[];
  /** The checks that failed (empty when `passed`). */
  readonly failures: readonly ConformanceCheck[];
}

function formatNumber(x: number): string {
  return Number.isFinite(x) ? x.toExponential(2) : String(x);
}

/**
 * One line per check: `ok`/`FAIL`, name, seed, error vs tolerance, detail.
 *
 * @category Conformance testing
 */
export function formatConformanceReport(report: CellConformanceReport): string {
  const lines = [`cell "${report.cell}": ${report.passed ? 'conforms' : `${report.failures.length} of ${report.checks.length} checks failed`}`];
  for (const c of report.checks) {
    const seed = c.seed === null ? '' : ` (seed ${c.seed})`;
    lines.push(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}${seed}: error ${formatNumber(c.error)} <= ${formatNumber(c.tolerance)}? ${c.detail}`);
  }
  return lines.join('\n');
}

/**
 * Thrown by {@link assertCellConformance}: the cell breaks the itemization invariant or its step is malformed.
 *
 * @category Errors
 */
export class CellConformanceError extends RnnbowError {
  /** The full report, for programs that want more than the message. */
  readonly report: CellConformanceReport;
  constructor(report: CellConformanceReport) {
    const shown = report.failures.slice(0, 3).map((c) => `${c.name}${c.seed === null ? '' : ` (seed ${c.seed})`}: ${c.detail}`);
    const more = report.failures.length > shown.length ? `; and ${report.failures.length - shown.length} more` : '';
    super(
      'CONFORMANCE',
      `cell "${report.cell}" fails ${report.failures.length} of ${report.checks.length} conformance checks: ${shown.join('; ')}${more}`,
      'formatConformanceReport(error.report) lists every check; a conforming step uses tfjs ops only, treats rows independently and reads parameters through ctx.linear, ctx.elementwise or ctx.param',
    );
    this.name = 'CellConformanceError';
    this.report = report;
  }
}
