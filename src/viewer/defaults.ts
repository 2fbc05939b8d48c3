/**
 * Default port: next to TensorBoard's 6006.
 *
 * @category Viewer
 */
export const DEFAULT_PORT = 6007;
/**
 * Default interface: loopback only, so the viewer is not reachable from other machines unless
 * asked (`--host 0.0.0.0`).
 *
 * @category Viewer
 */
export const DEFAULT_HOST = '127.0.0.1';
