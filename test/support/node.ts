/**
 * Test support: a real senderd node on 127.0.0.1 with port 0 everywhere, its own temporary data directory and
 * SQLite file, and the pinned Public Suffix List from ../shared/corpus. Each test builds its own; nothing is shared.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { resolveConfig, type Config } from '../../src/config/index.ts';
import { cryptoRandom, quietLogger, type Logger } from '../../src/core/index.ts';
import { parsePublicSuffixList, type PublicSuffixList } from '../../src/domains/index.ts';
import {
  configRules,
  openServices,
  startNode,
  type Runtime,
  type RunningNode,
  type Services,
} from '../../src/main.ts';
import { renderKekFile } from '../../src/secrets/index.ts';

export const CORPUS = new URL('../../../shared/corpus/', import.meta.url);

let psl: PublicSuffixList | undefined;
/** The pinned list from the corpus, parsed once per test process. */
export function corpusPublicSuffixes(): PublicSuffixList {
  psl ??= parsePublicSuffixList(readFileSync(new URL('psl/public_suffix_list.dat', CORPUS), 'utf8'));
  return psl;
}

export interface TestDir {
  readonly path: string;
  remove(): void;
}

export function tempDir(prefix = 'senderd-test-'): TestDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A validated config for a test: every listener on 127.0.0.1 port 0, state in `dir`, a KEK file (made on first use).
 * `set` takes `key=value` overrides exactly like the --set flag.
 */
export function testConfig(dir: string, set: readonly string[] = []): Config {
  const kekFile = join(dir, 'kek.key');
  // Once per directory, like `senderd init`: a node restarted over the same store must open what it sealed.
  if (!existsSync(kekFile)) writeFileSync(kekFile, renderKekFile(cryptoRandom, 'k1'), { mode: 0o600 });
  const outcome = resolveConfig(
    {
      env: {},
      cwd: dir,
      flags: [
        `dataDir=${dir}`,
        'http.host=127.0.0.1',
        'http.port=0',
        'gateway.host=127.0.0.1',
        'gateway.submission.port=0',
        'gateway.implicitTls.port=0',
        'gateway.relay.port=0',
        'inbound.host=127.0.0.1',
        'inbound.port=0',
        'edge.httpPort=0',
        'edge.httpsPort=0',
        // No test orders certificates unless it says so (and gives its own CA).
        'edge.acme.enabled=false',
        'reports.reverseDns.enabled=false',
        'dns.host=127.0.0.1',
        'dns.port=0',
        'platform.zone=mail.example.net',
        `domains.publicSuffixList=${new URL('psl/public_suffix_list.dat', CORPUS).pathname}`,
        // Tests drive the rotation scheduler themselves, and no lookup may leave the machine.
        'dkim.scheduler=false',
        'resolvers.servers=127.0.0.1:53',
        // No test may query the real root servers or public resolvers: tests that check DNS set their own.
        'checks.enabled=false',
        'checks.recursiveView=false',
        'checks.rootServers=127.0.0.1:9',
        ...set,
      ],
    },
    configRules,
  );
  if (!('config' in outcome)) throw new Error(`test config invalid: ${JSON.stringify(outcome.problems)}`);
  return outcome.config;
}

export interface TestNode {
  readonly node: RunningNode;
  readonly services: Services;
  readonly config: Config;
  /** Base URL of the HTTP component, e.g. http://127.0.0.1:41234 */
  readonly http: string;
  close(): Promise<void>;
}

/** Starts a whole node (every enabled component) on port 0. */
/**
 * When the suite runs with TEST_STORE=postgres (scripts/test.sh does, for a second pass over the service
 * tests), every test node gets a fresh database on the run's throwaway PostgreSQL server instead of SQLite.
 */
export async function storeFlags(): Promise<string[]> {
  if (process.env.TEST_STORE !== 'postgres') return [];
  const host = process.env.TEST_POSTGRES_HOST;
  if (host === undefined)
    throw new Error('TEST_STORE=postgres needs TEST_POSTGRES_HOST (the socket directory)');
  const name = `t${process.pid}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({
    connectionString: `postgresql://senderd@/postgres?host=${encodeURIComponent(host)}`,
  });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return [
    'store.driver=postgres',
    `store.postgresUrl=postgresql://senderd@/${name}?host=${encodeURIComponent(host)}`,
  ];
}

export async function startTestNode(
  options: { set?: readonly string[]; log?: Logger; runtime?: Runtime } = {},
): Promise<TestNode> {
  const dir = tempDir();
  const config = testConfig(dir.path, [...(await storeFlags()), ...(options.set ?? [])]);
  const node = await startNode(config, options.log ?? quietLogger(), {
    publicSuffixes: corpusPublicSuffixes(),
    ...options.runtime,
  });
  const http = node.components.find((c) => c.name === 'http')?.address ?? '';
  return {
    node,
    services: node.services,
    config,
    http,
    async close() {
      await node.stop();
      dir.remove();
    },
  };
}

/**
 * One store (SQLite in `dir`, or a fresh PostgreSQL database) for nodes a test starts and stops itself: a node
 * restarted over the same store, or two nodes sharing it. `configWith` adds flags for one node.
 */
export async function sharedTestStore(set: readonly string[] = []): Promise<{
  dir: TestDir;
  configWith(more?: readonly string[]): Config;
  start(config: Config, options?: { log?: Logger; runtime?: Runtime }): Promise<RunningNode>;
}> {
  const dir = tempDir();
  const store = await storeFlags();
  return {
    dir,
    configWith: (more = []) => testConfig(dir.path, [...store, ...set, ...more]),
    start: (config, options = {}) =>
      startNode(config, options.log ?? quietLogger(), {
        publicSuffixes: corpusPublicSuffixes(),
        ...options.runtime,
      }),
  };
}

/** Services over a fresh store, with no listeners: for service-level tests. */
export async function openTestServices(
  options: { set?: readonly string[]; runtime?: Runtime } = {},
): Promise<Services & { dir: TestDir }> {
  const dir = tempDir();
  const services = await openServices(
    testConfig(dir.path, [...(await storeFlags()), ...(options.set ?? [])]),
    {
      publicSuffixes: corpusPublicSuffixes(),
      ...options.runtime,
    },
  );
  return {
    ...services,
    dir,
    async close() {
      await services.close();
      dir.remove();
    },
  };
}
