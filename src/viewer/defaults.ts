/** Default port: next to TensorBoard's 6006. */
export const DEFAULT_PORT = 6007;
/** Default interface. */
export const DEFAULT_HOST = '127.0.0.1';
