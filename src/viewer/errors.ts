import { RnnbowError } from '../core/errors.js';

/**
 * The viewer could not start: missing logdir, port in use, bad host.
 *
 * @category Errors
 */
export class ViewerError extends RnnbowError {
  constructor(code: 'LOGDIR' | 'INPUT', message: string, hint?: string, options?: { cause?: unknown }) {
    super(code, message, hint, options);
    this.name = 'ViewerError';
  }
}
