/**
 * Starting the gateway as a child process (test/support/gateway-process.ts) over a prepared data directory: a
 * tenant, a verified sender domain and its keys, the relay port open to 127.0.0.1, delivery to a smarthost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DomainSettingsInput } from '../../src/domains/index.ts';
import type { Insertable, Kysely } from 'kysely';
import { openServices } from '../../src/main.ts';
import type { Database } from '../../src/store/database.ts';
import type { SuppressionsTable } from '../../src/store/suppression-tables.ts';
import { corpusPublicSuffixes, testConfig } from './node.ts';

const SCRIPT = fileURLToPath(new URL('./gateway-process.ts', import.meta.url));

export interface GatewayChildSpec {
  readonly dir: string;
  readonly smarthostPort: number;
  /** Key algorithms for the domain's signatures, e.g. ['rsa-sha256'] or ['rsa-sha256', 'ed25519-sha256']. */
  readonly algorithms: ReadonlyArray<'rsa-sha256' | 'ed25519-sha256'>;
  readonly flags?: readonly string[];
  /** The settings of example.com (e.g. its sending settings: tracking, bulk stream); the defaults if absent. */
  readonly domainSettings?: DomainSettingsInput;
  /** Addresses to put on the tenant's suppression list first (none of them a recipient the benchmark sends to). */
  readonly suppressions?: number;
}

/** Prepares the store and writes spec.json; returns its path. */
export async function prepareGatewayChild(spec: GatewayChildSpec): Promise<string> {
  const flags = [
    `dataDir=${spec.dir}`,
    'http.enabled=false',
    // Every listener on a free port: overlapping runs (and a senderd on this machine) must not collide.
    'dns.port=0',
    'inbound.port=0',
    'edge.enabled=false',
    'edge.acme.enabled=false',
    'gateway.implicitTls.port=0',
    'gateway.host=127.0.0.1',
    'gateway.submission.port=0',
    'gateway.relay.enabled=true',
    'gateway.relay.port=0',
    'gateway.relay.networks=[{"cidr":"127.0.0.1/32","tenant":"acme"}]',
    'gateway.limits.maxConnectionsPerIp=200',
    'gateway.delivery.mode=smarthost',
    'gateway.delivery.smarthost.host=127.0.0.1',
    `gateway.delivery.smarthost.port=${spec.smarthostPort}`,
    'gateway.delivery.smarthost.tls=none',
    'gateway.retry.firstDelaySeconds=0.2',
    'gateway.retry.maxDelaySeconds=1',
    'log.level=warn',
    ...(spec.flags ?? []),
  ];
  const config = testConfig(spec.dir, flags);
  const services = await openServices(config, { publicSuffixes: corpusPublicSuffixes() });
  try {
    const tenant = await services.accounts.addTenant('acme');
    const domain = await services.domains.add(tenant.id, 'example.com', spec.domainSettings);
    const at = new Date().toISOString();
    await services.store.domains.setVerified(domain.id, at, at);
    await seedSuppressions(services.store.db, tenant.id, spec.suppressions ?? 0, at);
  } finally {
    await services.close();
  }
  const keys = spec.algorithms.map((algorithm, i) => {
    const { privateKey } =
      algorithm === 'rsa-sha256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ed25519');
    return {
      domain: 'example.com',
      selector: `sd${i + 1}`,
      algorithm,
      pem: privateKey.export({ type: 'pkcs8', format: 'pem' }),
    };
  });
  const path = join(spec.dir, 'spec.json');
  writeFileSync(
    path,
    JSON.stringify({
      cwd: spec.dir,
      flags: [...flags, `secrets.kekFile=${join(spec.dir, 'kek.key')}`],
      keys,
    }),
  );
  return path;
}

/** `count` hard-bounce entries, `s<i>@d<i % 5000>.suppressed.example`, in transactions of 30,000. */
async function seedSuppressions(db: Kysely<Database>, tenantId: string, count: number, at: string) {
  for (let i = 0; i < count; i += 30_000) {
    const rows: Insertable<SuppressionsTable>[] = [];
    for (let j = i; j < Math.min(count, i + 30_000); j++)
      rows.push({
        tenant_id: tenantId,
        address: `s${j}@d${j % 5000}.suppressed.example`,
        reason: 'hard-bounce',
        source: 'bounce',
        evidence: '550 5.1.1 User unknown',
        message_id: null,
        created_at: at,
        expires_at: null,
        created_by: 'gateway',
      });
    // 9 columns x 3,000 rows stays within SQLite's 32,766 bound parameters.
    await db.transaction().execute(async (trx) => {
      for (let k = 0; k < rows.length; k += 3000)
        await trx
          .insertInto('suppressions')
          .values(rows.slice(k, k + 3000))
          .execute();
    });
  }
}

export interface GatewayChild {
  readonly child: ChildProcess;
  readonly relayPort: number;
  /** The submission port (STARTTLS, then AUTH with an SMTP credential). */
  readonly submissionPort: number;
  readonly exited: Promise<number | null>;
}

/** Spawns the gateway and resolves once it listens. */
export function spawnGatewayChild(specPath: string): Promise<GatewayChild> {
  // Node and malloc set as bin/senderd sets them, so benchmarks measure what runs in production.
  const child = spawn(process.execPath, ['--max-semi-space-size=8', SCRIPT, specPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MALLOC_MMAP_THRESHOLD_: process.env.MALLOC_MMAP_THRESHOLD_ ?? '16384' },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the gateway did not start: ${err}`)), 30_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /\{"ready":true,"submission":(\d+),"relay":(\d+)\}/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, relayPort: Number(m[2]), submissionPort: Number(m[1]), exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code}) before it was ready: ${err}`));
    });
  });
}
