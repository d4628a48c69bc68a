/**
 * Requests to the edge as a browser would send them, to 127.0.0.1 with any Host and SNI (fetch cannot set Host),
 * and a TLS handshake alone.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, type PeerCertificate } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { hostKeyAad } from '../../src/edge/index.ts';
import { selfSignedCertificate } from '../../src/gateway/index.ts';
import type { RunningNode } from '../../src/main.ts';
import { sealSecret } from '../../src/secrets/index.ts';
import type { Services } from '../../src/services.ts';

export interface EdgeAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export function edgeRequest(options: {
  port: number;
  host: string;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  /** Over TLS with this SNI name (and trusting `ca`, or nothing checked when absent). */
  tls?: { servername: string; ca?: string };
  /** Where the edge listens (default 127.0.0.1). */
  address?: string;
}): Promise<EdgeAnswer> {
  return new Promise((resolve, reject) => {
    const common = {
      host: options.address ?? '127.0.0.1',
      port: options.port,
      path: options.path ?? '/',
      method: options.method ?? 'GET',
      headers: { host: options.host, ...options.headers },
      agent: false as const,
    };
    const onResponse = (res: IncomingMessage) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    };
    const req =
      options.tls === undefined
        ? httpRequest(common, onResponse)
        : httpsRequest(
            {
              ...common,
              servername: options.tls.servername,
              ...(options.tls.ca === undefined ? { rejectUnauthorized: false } : { ca: options.tls.ca }),
            },
            onResponse,
          );
    req.on('error', reject);
    req.end();
  });
}

/** A TLS handshake with this SNI name: the certificate the edge chose, or the error that ended it. */
export function handshake(
  port: number,
  servername: string | undefined,
): Promise<{ ok: true; certificate: PeerCertificate } | { ok: false; error: string }> {
  return new Promise((resolve) => {
    const socket = connect(
      {
        host: '127.0.0.1',
        port,
        rejectUnauthorized: false,
        ...(servername === undefined ? {} : { servername }),
      },
      () => {
        const certificate = socket.getPeerCertificate();
        socket.end();
        resolve({ ok: true, certificate });
      },
    );
    socket.once('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, error: error.code ?? error.message }),
    );
  });
}

/** The port a node's component listens on (`edge`, `edge-https`), or null when it does not run. */
export function portOf(node: RunningNode, component: string): number | null {
  const address = node.components.find((c) => c.name === component)?.address;
  return address === undefined ? null : Number(address.split(':').at(-1));
}

/**
 * A self-signed certificate for `hostname`, stored as an issued one with its key sealed (no CA in these tests);
 * returns its PEM, for clients to trust. The host must be in the host table; tell the edge with `edge.changed()`.
 */
export async function placeIssuedCertificate(s: Services, hostname: string, id: string): Promise<string> {
  const made = selfSignedCertificate(hostname, new Date());
  const leaf = new X509Certificate(made.cert);
  const now = new Date().toISOString();
  await s.store.edge.storeCertificate(
    {
      id,
      hostname,
      serial: leaf.serialNumber,
      issuer: leaf.issuer,
      notBefore: leaf.validFromDate.toISOString(),
      notAfter: leaf.validToDate.toISOString(),
      issuedAt: now,
      fingerprint: leaf.fingerprint256,
      chainPem: made.cert,
      key: sealSecret(Buffer.from(made.key), hostKeyAad(hostname), s.kek.keys()),
    },
    { status: 'issued' },
    now,
  );
  return made.cert;
}
