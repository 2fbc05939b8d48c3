/**
 * The conformance suite plugin authors run on their cells (exported from the package root).
 */
export { runCellConformance, assertCellConformance, type CellConformanceOptions } from './conformance.js';
export { formatConformanceReport, CellConformanceError, type CellConformanceReport, type ConformanceCheck, type ConformanceCheckName } from './report.js';
