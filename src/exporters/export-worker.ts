/**
 * The body of an export thread (started by {@link ThreadedExporter}): one built-in exporter,
 * fed the training thread's calls in order. Rendering a recorded batch for TensorBoard (PNGs,
 * protobuf, CRCs) and as JSON costs about 1.3 ms, several training steps at the paper's B = 1,
 * and that thread's second core is otherwise idle.
 */
import type { MessagePort } from 'node:worker_threads';
import { RnnbowError } from '../core/errors.js';
import type { Exporter } from '../core/exporter.js';
import { type ExportReply, type ExportRequest, type ExportWorkerData, WORD_RECORDS_DONE, WORD_SYNC_DONE, type WireError } from './export-protocol.js';

/**
 * Loads the one exporter this thread hosts (its modules only: a thread's start-up is mostly
 * module loading), then handles requests until `close`; `port` carries requests and replies,
 * `syncPort` the replies to `flushSync`. Requests sent meanwhile wait in the port.
 */
export async function runExportWorker(data: ExportWorkerData, port: MessagePort, syncPort: MessagePort): Promise<void> {
  const words = new Int32Array(data.shared);
  const exporter: Exporter = data.exporter === 'json' ? (await import('./json/json-exporter.js')).jsonExporter.create(data.options) : await tensorboard(data.options);
  // A failed write is reported by the next flush (or close), as an in-thread exporter's
  // buffered write would be; the writes after it still go out.
  let failure: WireError | undefined;
  const guard = (write: () => void) => {
    try {
      write();
    } catch (err) {
      failure ??= toWire(err);
    }
  };
  const reply = (id: number, error?: WireError) => port.postMessage({ id, error } satisfies ExportReply);
  const handle = async (m: ExportRequest): Promise<void> => {
    switch (m.op) {
      case 'open':
        try {
          await exporter.open(m.run, m.dir);
          reply(m.id);
        } catch (err) {
          reply(m.id, toWire(err));
        }
        return;
      case 'scalars':
        guard(() => exporter.writeScalars(m.batch, m.scalars, m.wallTime));
        return;
      case 'record':
        guard(() => exporter.writeRecord(m.record));
        Atomics.add(words, WORD_RECORDS_DONE, 1);
        Atomics.notify(words, WORD_RECORDS_DONE);
        return;
      case 'sample':
        guard(() => exporter.writeSample(m.batch, m.text, m.wallTime));
        return;
      case 'flush':
        try {
          if (failure) throw failure;
          await exporter.flush();
          reply(m.id);
        } catch (err) {
          reply(m.id, failure ?? toWire(err));
        }
        return;
      case 'flushSync': {
        let error: WireError | undefined = failure;
        if (!error) {
          try {
            if (exporter.flushSync) exporter.flushSync();
            else await exporter.flush();
          } catch (err) {
            error = toWire(err);
          }
        }
        // The reply is queued before the word moves, so the waiting thread finds it when it wakes.
        syncPort.postMessage({ error } satisfies ExportReply);
        Atomics.add(words, WORD_SYNC_DONE, 1);
        Atomics.notify(words, WORD_SYNC_DONE);
        return;
      }
      case 'many':
        for (const r of m.requests) await handle(r);
        return;
      case 'close':
        try {
          await exporter.close(m.summary);
          reply(m.id, failure);
        } catch (err) {
          reply(m.id, failure ?? toWire(err));
        }
        port.close();
        syncPort.close();
        return;
    }
  };
  let queue = Promise.resolve();
  port.on('message', (m: ExportRequest) => {
    queue = queue.then(() => handle(m));
  });
}

/** The TensorBoard exporter from its own modules (the kind's index also loads the reader). */
async function tensorboard(options: Record<string, unknown>): Promise<Exporter> {
  const [{ TensorBoardExporter }, { parseTensorBoardOptions }] = await Promise.all([import('./tensorboard/exporter.js'), import('./tensorboard/options.js')]);
  return new TensorBoardExporter(parseTensorBoardOptions(options));
}

function toWire(err: unknown): WireError {
  if (err instanceof RnnbowError) return { code: err.code, message: err.message, hint: err.hint };
  if (err && typeof err === 'object' && 'message' in err && !(err instanceof Error)) return err as WireError;
  const e = err as Error;
  return { message: e?.message ?? String(err), stack: e?.stack };
}
