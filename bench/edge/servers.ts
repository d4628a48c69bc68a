/**
 * The two servers of the edge benchmark, serving the same certificate and the same redirect: senderd (`senderd
 * start` with only the edge, over a store that holds the host and its certificate) and nginx (one worker).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/index.ts';
import { cryptoRandom } from '../../src/core/index.ts';
import { hostKeyAad } from '../../src/edge/index.ts';
import { selfSignedCertificate } from '../../src/gateway/index.ts';
import { configRules, openServices } from '../../src/main.ts';
import { renderKekFile, sealSecret } from '../../src/secrets/index.ts';
import { signLinkToken } from '../../src/tracking/index.ts';
import { CORPUS } from '../../test/support/node.ts';
import { freePort } from '../../test/support/ports.ts';
import { startChild, waitFor, type Child } from '../dns/processes.ts';

export const HOST = 'clicks.example.com';
export const TARGET = 'https://example.com/';
const ROOT = new URL('../../', import.meta.url).pathname;

export interface Served {
  readonly name: string;
  readonly port: number;
  readonly child: Child;
  /** The path of a click (`/c/<token>`) this server redirects: a real token for senderd, any for the others. */
  readonly clickPath: string;
  /**
   * With BENCH_RECIPIENTS over 1, a file of click URLs, one per recipient of the message (each its own token),
   * which h2load's connections request in turn; nginx and the bare server get the same file.
   */
  readonly clickFile?: string;
}

/** Recipients of the benchmark's message: each click URL is a different recipient's token. */
export const RECIPIENTS = Math.max(1, Number(process.env.BENCH_RECIPIENTS ?? 1));

/** The click URL's path for nginx and the bare server, which redirect any `/c/…` without looking at it. */
const ANY_CLICK = '/c/any';

/** The certificate both serve: ECDSA P-256, as the edge orders by default. */
export function writeCertificate(dir: string): {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
} {
  const made = selfSignedCertificate(HOST, new Date());
  const certFile = join(dir, 'edge.crt');
  const keyFile = join(dir, 'edge.key');
  writeFileSync(certFile, made.cert);
  writeFileSync(keyFile, made.key, { mode: 0o600 });
  return { ...made, certFile, keyFile };
}

/** senderd with the edge alone, pinned to `cpu`; the store holds the host and its sealed certificate key. */
export async function startSenderd(
  dir: string,
  made: { cert: string; key: string },
  cpu: number | null,
  env?: NodeJS.ProcessEnv,
): Promise<Served> {
  const kekFile = join(dir, 'kek.key');
  writeFileSync(kekFile, renderKekFile(cryptoRandom, 'k1'), { mode: 0o600 });
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const configFile = join(dir, 'senderd.yaml');
  writeFileSync(
    configFile,
    [
      `dataDir: ${dir}`,
      'http: { enabled: false }',
      'dns: { enabled: false }',
      'gateway: { enabled: false }',
      'inbound: { enabled: false }',
      'checks: { enabled: false }',
      'dkim: { scheduler: false }',
      'dmarc: { scheduler: false }',
      'events: { delivery: false }',
      // Every handshake a full one, as nginx is set up below: the figure is for full handshakes.
      `edge: { host: 127.0.0.1, httpPort: ${httpPort}, httpsPort: ${httpsPort}, sessionTickets: false, acme: { enabled: false } }`,
      `domains: { publicSuffixList: ${new URL('psl/public_suffix_list.dat', CORPUS).pathname} }`,
      `secrets: { kekFile: ${kekFile} }`,
      'log: { level: info, format: json }',
    ].join('\n') + '\n',
  );
  const outcome = resolveConfig(
    { env: {}, flags: [], cwd: dir, file: { path: configFile, text: readFileSync(configFile, 'utf8') } },
    configRules,
  );
  if (!('config' in outcome)) throw new Error(JSON.stringify(outcome.problems));
  const services = await openServices(outcome.config);
  let clickPath: string;
  let clickFile: string | undefined;
  try {
    const tenant = await services.accounts.addTenant('bench');
    const domain = await services.domains.add(tenant.id, 'example.com');
    const leaf = new X509Certificate(made.cert);
    const now = new Date().toISOString();
    await services.store.edge.insertHost({
      hostname: HOST,
      role: 'click',
      domainId: domain.id,
      tenantId: tenant.id,
      at: now,
    });
    await services.store.edge.storeCertificate(
      {
        id: 'bench',
        hostname: HOST,
        serial: leaf.serialNumber,
        issuer: leaf.issuer,
        notBefore: leaf.validFromDate.toISOString(),
        notAfter: leaf.validToDate.toISOString(),
        issuedAt: now,
        fingerprint: leaf.fingerprint256,
        chainPem: made.cert,
        key: sealSecret(Buffer.from(made.key), hostKeyAad(HOST), services.kek.keys()),
      },
      { status: 'issued' },
      now,
    );
    // A message as the gateway stores it, and a click token for its first recipient: the edge checks the token,
    // finds the message (cached after the first), redirects, and records the click off the response path.
    await services.store.gateway.insertMessages([
      {
        id: 'bench-1',
        tenantId: tenant.id,
        domainId: domain.id,
        senderDomain: 'example.com',
        headerFrom: 'news@example.com',
        submittedMailFrom: 'news@example.com',
        recipients: Array.from({ length: RECIPIENTS }, (_, i) => ({
          address: `reader${i}@example.net`,
          envelopeFrom: 'b@bounce.example.com',
        })),
        signatures: [],
        signingDecision: 'signed',
        clientAddress: '127.0.0.1',
        credential: null,
        size: 1000,
        acceptedAt: now,
        status: 'delivered',
        updatedAt: now,
      },
    ]);
    const keys = await services.tracking.keys();
    const pathOf = (recipient: number) =>
      `/c/${signLinkToken(keys, { kind: 'click', messageId: 'bench-1', recipientId: String(recipient), linkIndex: 0, url: TARGET })}`;
    clickPath = pathOf(0);
    if (RECIPIENTS > 1) {
      clickFile = join(dir, 'clicks.txt');
      writeFileSync(
        clickFile,
        Array.from({ length: RECIPIENTS }, (_, i) => `https://${HOST}${pathOf(i)}\n`).join(''),
      );
    }
  } finally {
    await services.close();
  }
  const child = startChild(join(ROOT, 'bin/senderd'), ['--config', configFile, 'start'], cpu, env);
  await waitFor('senderd', 60_000, () =>
    child.output().includes('"msg":"senderd started"') ? true : undefined,
  );
  return {
    name: 'senderd',
    port: httpsPort,
    child,
    clickPath,
    ...(clickFile === undefined ? {} : { clickFile }),
  };
}

/** nginx with one worker, the same certificate, the same 302, no session resumption, no access log. */
export async function startNginx(
  dir: string,
  files: { certFile: string; keyFile: string },
  cpu: number | null,
): Promise<Served> {
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'nginx-error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    listen 127.0.0.1:${port} ssl;
    server_name ${HOST};
    ssl_certificate ${files.certFile};
    ssl_certificate_key ${files.keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;
    keepalive_requests 1000000;
    location = / { return 302 ${TARGET}; }
    location /c/ { return 302 ${TARGET}; }
  }
}
`,
  );
  const child = startChild('/usr/sbin/nginx', ['-c', conf, '-p', dir], cpu);
  await waitFor('nginx', 10_000, async () => {
    const r = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
    return r === null ? undefined : true;
  });
  return { name: 'nginx', port, child, clickPath: ANY_CLICK };
}

/** A bare node:https server answering the same 302 (bare-server.ts), pinned like the others. */
export async function startBareNode(
  files: { certFile: string; keyFile: string },
  cpu: number | null,
): Promise<Served> {
  const port = await freePort();
  const child = startChild(
    process.execPath,
    [
      '--max-semi-space-size=8',
      join(ROOT, 'bench/edge/bare-server.ts'),
      String(port),
      files.keyFile,
      files.certFile,
    ],
    cpu,
  );
  await waitFor('the bare node:https server', 10_000, () =>
    child.output().includes('listening') ? true : undefined,
  );
  return { name: 'node:https', port, child, clickPath: ANY_CLICK };
}
