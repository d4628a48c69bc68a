/**
 * Gateway test support: DKIM test keys with their published records, an in-memory SigningKeySource (until the dkim
 * capability is merged), and an SMTP sink on 127.0.0.1 (smtp-server) that records what it receives.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import type { SenderDomain } from '../../src/domains/index.ts';
import type { SigningDomain, SigningKey, SigningKeySource } from '../../src/dkim/index.ts';
import { selfSignedCertificateForTests } from './tls.ts';

export interface TestKey {
  readonly signingKey: SigningKey;
  /** The DKIM TXT record for it: `v=DKIM1; k=rsa; p=...`. */
  readonly record: string;
}

let keyCounter = 0;

/** A fresh key pair; RSA keys are 2048 bits (RFC 8301 minimum is 1024, DESIGN.md default 2048). */
export function testKey(algorithm: SigningKey['algorithm'], selector: string): TestKey {
  const { privateKey } =
    algorithm === 'rsa-sha256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ed25519');
  return {
    signingKey: { selector, algorithm, privateKey, keyId: `key-${++keyCounter}` },
    record: dkimRecord(privateKey, algorithm),
  };
}

/** RFC 6376 §3.6.1: p= is the DER SubjectPublicKeyInfo (RSA); RFC 8463 §4: the raw 32-byte key (Ed25519). */
export function dkimRecord(privateKey: KeyObject, algorithm: SigningKey['algorithm']): string {
  const publicKey = createPublicKey(privateKey);
  if (algorithm === 'rsa-sha256') {
    return `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  }
  const raw = Buffer.from((publicKey.export({ format: 'jwk' }) as { x: string }).x, 'base64url');
  return `v=DKIM1; k=ed25519; p=${raw.toString('base64')}`;
}

/** Keys per domain id, for the gateway's signer in place of the dkim capability's key cache. */
export class StaticKeySource implements SigningKeySource {
  readonly #keys = new Map<string, SigningKey[]>();

  set(domain: SenderDomain, keys: readonly SigningKey[]): void {
    this.#keys.set(domain.id, [...keys]);
  }

  keysFor(domain: SigningDomain): Promise<readonly SigningKey[]> {
    return Promise.resolve(this.#keys.get(domain.id) ?? []);
  }
}

export interface ReceivedMessage {
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly data: Buffer;
  readonly secure: boolean;
  readonly helo: string;
}

export interface TestSink {
  readonly port: number;
  readonly messages: ReceivedMessage[];
  /** Resolves once `count` messages have arrived, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

/**
 * A receiving MTA on 127.0.0.1, port 0, offering STARTTLS (self-signed). `decide` may refuse a recipient
 * (return an SMTP code and text) to exercise deferrals and bounces.
 */
export async function startSink(
  options: {
    decide?: (rcpt: string, n: number) => { code: number; text: string } | null;
    /** A fixed port (a destination that was down until now); 0 by default. */
    port?: number;
  } = {},
): Promise<TestSink> {
  const messages: ReceivedMessage[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let rcptCount = 0;
  const tls = selfSignedCertificateForTests();
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    key: tls.key,
    cert: tls.cert,
    closeTimeout: 100,
    onRcptTo(address, _session, callback) {
      const verdict = options.decide?.(address.address, rcptCount++) ?? null;
      if (verdict === null) return callback();
      const error: SMTPServerError = new Error(verdict.text);
      error.responseCode = verdict.code;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks),
          secure: session.secure,
          helo: session.hostNameAppearsAs ?? '',
        });
        for (const w of [...waiters]) {
          if (messages.length >= w.count) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
        callback();
      });
    },
  });
  // A client killed mid-session (the crash test's SIGKILL) resets its connection; that is not the sink's error.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    waitFor(count, timeoutMs = 20_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`the sink got ${messages.length} of ${count} messages in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
