import { request } from 'node:https';
import { guardedLookup } from '../events/index.ts';
import { specialPurposeAddress } from '../ip/index.ts';

export interface HttpsJsonOptions {
  readonly timeoutMs: number;
  /** Private, local and reserved addresses are refused unless this is set (tests on 127.0.0.1). */
  readonly allowPrivate: boolean;
  /** Extra trusted CA certificates (PEM), for a test CA. */
  readonly ca?: string;
}

const MAX_BYTES = 64 * 1024;

/**
 * GET over https for Domain Connect discovery: the URL comes from the customer's DNS, so it is treated like a
 * webhook target: https only, no redirects followed, public addresses only (checked on the address connected
 * to, so a name cannot be re-pointed in between), a time limit and a size limit on the body.
 */
export function httpsJson(options: HttpsJsonOptions) {
  return (url: string): Promise<{ status: number; body: unknown }> => {
    const target = new URL(url);
    if (target.protocol !== 'https:') return Promise.reject(new Error(`${url}: only https is used`));
    const literal = specialPurposeAddress(target.hostname.replace(/^\[|\]$/g, ''));
    if (literal !== null && !options.allowPrivate)
      return Promise.reject(new Error(`${target.hostname} is ${literal}; only public addresses are asked`));
    return new Promise((resolve, reject) => {
      const req = request(
        target,
        {
          method: 'GET',
          headers: { accept: 'application/json' },
          timeout: options.timeoutMs,
          lookup: guardedLookup(options.allowPrivate),
          // A fresh connection each time: a pooled one would skip the address check of this request's lookup.
          agent: false,
          ...(options.ca === undefined ? {} : { ca: options.ca }),
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BYTES)
              req.destroy(new Error(`${url}: the answer is larger than ${MAX_BYTES} bytes`));
            else chunks.push(chunk);
          });
          response.on('end', () => {
            let body: unknown;
            try {
              body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              body = null;
            }
            resolve({ status: response.statusCode ?? 0, body });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${url}: no answer in ${options.timeoutMs} ms`)));
      req.on('error', (error: Error & { code?: string }) =>
        reject(
          new Error(error.code === undefined ? error.message : `${url}: ${error.code} ${error.message}`),
        ),
      );
      req.end();
    });
  };
}
