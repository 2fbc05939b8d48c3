/** A raw HTTP GET that sends the path exactly as written (fetch would normalise `..` away). */
import { request } from 'node:http';

/** The answer of {@link rawGet}. */
export interface RawResponse {
  /** HTTP status. */
  status: number;
  /** Response headers. */
  headers: Record<string, string | string[] | undefined>;
  /** Body as text. */
  body: string;
}

/** Sends `GET <path>` (verbatim) to 127.0.0.1:`port`. */
export function rawGet(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** GET and parse JSON (non-finite numbers stay as their strings). */
export async function getJson<T = any>(port: number, path: string): Promise<{ status: number; body: T }> {
  const res = await rawGet(port, path);
  return { status: res.status, body: JSON.parse(res.body) as T };
}
