import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { createTransport } from 'nodemailer';
import type { EmailTransport, WebhookTransport } from './delivery-worker.ts';
import { specialPurposeAddress } from '../ip/index.ts';

/**
 * Resolves the receiver's name and refuses it if any address is private, local or reserved; the connection then
 * goes to an address that was checked, so a name cannot be re-pointed between check and connect (DNS rebinding).
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...(options as LookupAllOptions), all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      const refused = allowPrivate
        ? null
        : addresses.map((a) => specialPurposeAddress(a.address)).find((r) => r !== null);
      if (refused) {
        return callback(
          Object.assign(new Error(`${hostname} resolves to ${refused}`), { code: 'EFORBIDDEN' }),
          '',
          4,
        );
      }
      const first = addresses[0];
      if (first === undefined)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
      if ((options as LookupAllOptions).all === true)
        return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Webhooks over node:http(s), with a time limit; redirects are not followed (a signed body goes only where
 * configured), and private, local and reserved addresses are refused unless `allowPrivate` (an operator's choice).
 */
export function httpWebhookTransport(options: {
  timeoutMs: number;
  allowPrivate: boolean;
}): WebhookTransport {
  return {
    post(url, body, headers) {
      const target = new URL(url);
      const literal = specialPurposeAddress(target.hostname.replace(/^\[|\]$/g, ''));
      if (literal !== null && !options.allowPrivate) {
        return Promise.reject(new Error(`refused: ${literal}; webhooks go to public addresses only`));
      }
      const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const settings: RequestOptions = {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: options.timeoutMs,
        lookup: guardedLookup(options.allowPrivate),
      };
      return new Promise<void>((resolve, reject) => {
        const req = request(target, settings, (response) => {
          response.resume();
          const status = response.statusCode ?? 0;
          if (status >= 200 && status <= 299) resolve();
          else reject(new Error(`the receiver answered HTTP ${status}`));
        });
        const timedOut = () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
        // `timeout` is the socket's idle limit; the whole request has the same limit too, so a receiver that
        // answers a byte at a time cannot hold an attempt past the delivery's lease (see services.ts).
        req.on('timeout', timedOut);
        const deadline = setTimeout(timedOut, options.timeoutMs);
        req.on('close', () => clearTimeout(deadline));
        req.on('error', (error: Error & { code?: string }) =>
          reject(
            new Error(
              error.code === 'EFORBIDDEN'
                ? `refused: ${error.message}; webhooks go to public addresses only`
                : `request failed: ${error.code ?? error.message}`,
            ),
          ),
        );
        req.end(body);
      });
    },
  };
}

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string;
  readonly password: string;
  readonly from: string;
}

/** E-mail through the operator's SMTP server (nodemailer). */
export function smtpEmailTransport(options: SmtpOptions): EmailTransport {
  const transport = createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    ...(options.user !== '' ? { auth: { user: options.user, pass: options.password } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: options.from,
        to: [...message.to],
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        headers: message.headers,
      });
    },
  };
}
