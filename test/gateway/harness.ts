/**
 * A gateway under test: a real senderd node (gateway + HTTP on port 0), a tenant with SMTP credentials and an API
 * key, sender domains with test keys, the published DNS, and an SMTP sink as every recipient domain's MX.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { createLogger } from '../../src/core/index.ts';
import type { SenderDomain } from '../../src/domains/index.ts';
import type { NewEvent } from '../../src/events/index.ts';
import type { SigningKey } from '../../src/dkim/index.ts';
import type { MailResolver } from '../../src/gateway/index.ts';
import { StaticKeySource, startSink, testKey, type TestSink } from '../support/gateway.ts';
import { startTestNode, type TestNode } from '../support/node.ts';
import { publishedDns, type PublishedDns, type PublishedKey } from '../support/published-records.ts';

export interface DomainSetup {
  readonly name: string;
  readonly keys: ReadonlyArray<readonly [SigningKey['algorithm'], string]>;
  readonly verified?: boolean;
}

export interface Harness {
  readonly node: TestNode;
  readonly sink: TestSink;
  readonly dns: PublishedDns;
  readonly keys: StaticKeySource;
  readonly domains: Map<string, SenderDomain>;
  readonly tenantId: string;
  readonly username: string;
  readonly password: string;
  readonly apiKey: string;
  readonly port: (name?: string) => number;
  /** The gateway's self-signed certificate, to trust in clients. */
  readonly ca: string;
  send(message: SendMailOptions): Promise<{ response: string; id: string }>;
  close(): Promise<void>;
}

export async function startHarness(options: {
  domains: readonly DomainSetup[];
  set?: readonly string[];
  sinkDecide?: (rcpt: string, n: number) => { code: number; text: string } | null;
  /** Collects the events the gateway emits. */
  events?: NewEvent[];
  /** Recipient domains whose MX is the sink, beside sink.test (as DNS names: A-labels). */
  recipientDomains?: readonly string[];
}): Promise<Harness> {
  const sink = await startSink(options.sinkDecide ? { decide: options.sinkDecide } : {});
  try {
    return await setUp(sink, options);
  } catch (error) {
    await sink.close();
    throw error;
  }
}

async function setUp(sink: TestSink, options: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const keys = new StaticKeySource();
  let dns: PublishedDns | undefined;
  // The node starts before the records exist (they need the domains' tokens); lookups happen only later.
  const resolver: MailResolver = {
    resolveMx: (d) => dns!.gateway.resolveMx(d),
    resolveAddresses: (h) => dns!.gateway.resolveAddresses(h),
  };
  const node = await startTestNode({
    set: [
      'gateway.delivery.mode=mx',
      // The sink is the recipients' MX, on loopback.
      'gateway.delivery.allowPrivateDestinations=true',
      `gateway.delivery.mxPort=${sink.port}`,
      `gateway.delivery.smarthost.port=${sink.port}`,
      'gateway.delivery.connectTimeoutSeconds=5',
      'gateway.delivery.commandTimeoutSeconds=10',
      ...(options.set ?? []),
    ],
    runtime: {
      signingKeys: keys,
      mailResolver: resolver,
      events: {
        emit: (event) => {
          options.events?.push(event);
          return Promise.resolve();
        },
      },
    },
    // SENDERD_TEST_LOG=debug shows the node's log on stderr.
    ...(process.env.SENDERD_TEST_LOG
      ? {
          log: createLogger({
            level: process.env.SENDERD_TEST_LOG as 'debug',
            format: 'json',
            destination: process.stderr,
          }),
        }
      : {}),
  });
  try {
    const s = node.services;
    const tenant = await s.accounts.addTenant('acme');
    const { credential, password } = await s.smtpCredentials.create(tenant.id, 'app');
    const { key: apiKey } = await s.accounts.createApiKey(tenant.id, 'test');
    const domains = new Map<string, SenderDomain>();
    const published: PublishedKey[] = [];
    for (const setup of options.domains) {
      let domain = await s.domains.add(tenant.id, setup.name);
      if (setup.verified !== false) {
        const at = new Date().toISOString();
        await s.store.domains.setVerified(domain.id, at, at);
        domain = { ...domain, verifiedAt: at };
      }
      domains.set(setup.name, domain);
      const made = setup.keys.map(([algorithm, selector]) => testKey(algorithm, selector));
      keys.set(
        domain,
        made.map((k) => k.signingKey),
      );
      for (const k of made) published.push({ domain, selector: k.signingKey.selector, record: k.record });
    }
    dns = await publishedDns({
      services: s,
      config: node.config,
      domains: [...domains.values()],
      keys: published,
      recipientDomains: ['sink.test', ...(options.recipientDomains ?? [])],
      dir: node.config.dataDir,
    });
    const port = (name = 'gateway') => {
      const address = node.node.components.find((c) => c.name === name)?.address ?? '';
      return Number(/:(\d+)$/.exec(address)?.[1]);
    };
    const ca = readFileSync(join(node.config.dataDir, 'gateway', 'tls-self-signed.crt'), 'utf8');
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: port(),
      secure: false,
      requireTLS: true,
      auth: { user: credential.username, pass: password },
      tls: { ca },
    });
    const published2 = dns;
    return {
      node,
      sink,
      dns: published2,
      keys,
      domains,
      tenantId: tenant.id,
      username: credential.username,
      password,
      apiKey,
      port,
      ca,
      async send(message) {
        const info = (await transport.sendMail(message)) as { response: string };
        const id = /queued as ([a-z2-7]{20})/.exec(info.response)?.[1] ?? '';
        return { response: info.response, id };
      },
      async close() {
        transport.close();
        await node.close();
        await sink.close();
      },
    };
  } catch (error) {
    await node.close();
    throw error;
  }
}

/** The message's trace from the API once it has reached `status` (polled with a deadline). */
export async function waitForTrace(h: Harness, id: string, status: string): Promise<any> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await fetch(`${h.node.http}/v1/messages/${id}`, {
      headers: { authorization: `Bearer ${h.apiKey}` },
    });
    const body: any = await r.json();
    if (r.status === 200 && body.message.status === status) return body;
    if (Date.now() > deadline)
      throw new Error(`trace of ${id} not ${status}: ${r.status} ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
