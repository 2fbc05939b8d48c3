/** The RNNbow viewer: an express server and a d3 page over a logdir (docs/viewer.md). */
export { startViewer, createViewerApp, DEFAULT_HOST, DEFAULT_PORT, type ViewerOptions, type ViewerServer } from './server.js';
export { ViewerError } from './errors.js';
export type { RefreshIntervals } from './logdir-index.js';
