/**
 * A real, throwaway PostgreSQL server for tests: `initdb` into a temporary directory and `postgres` listening only
 * on a Unix socket in that directory (no TCP port, so nothing can collide). PostgreSQL refuses to run as root, so
 * as root it runs as the `postgres` system user (created by Debian's postgresql package).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { run } from './tools.ts';

const BIN = '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  /** A connection URL for a fresh database, created on each call. */
  newDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** As root, the `postgres` system user's ids (PostgreSQL refuses to run as root); otherwise our own. */
function postgresIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (line === undefined)
    throw new Error('no postgres user: install the postgresql package (scripts/install-test-deps.sh)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'senderd-pg-'));
  const data = join(dir, 'data');
  const ids = postgresIds();
  if (ids.uid !== undefined && ids.gid !== undefined) chownSync(dir, ids.uid, ids.gid);
  chmodSync(dir, 0o700);
  const init = await run(
    `${BIN}/initdb`,
    ['-D', data, '-U', 'senderd', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    {
      timeoutMs: 60_000,
      ...ids,
    },
  );
  if (init.code !== 0) throw new Error(`initdb failed: ${init.stderr}`);

  const args = [
    '-D',
    data,
    '-k',
    dir,
    '-c',
    'listen_addresses=',
    '-c',
    'fsync=off',
    '-c',
    'max_connections=50',
  ];
  const server: ChildProcess = spawn(`${BIN}/postgres`, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...ids,
  });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const admin = `postgresql://senderd@/postgres?host=${encodeURIComponent(dir)}`;

  // Wait for the socket to accept connections (bounded), rather than sleeping a fixed time.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (existsSync(join(dir, '.s.PGSQL.5432'))) {
      const client = new pg.Client({ connectionString: admin });
      try {
        await client.connect();
        await client.end();
        break;
      } catch {
        await client.end().catch(() => undefined);
      }
    }
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`postgres did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  let n = 0;
  return {
    async newDatabase() {
      const name = `t${process.pid}_${++n}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`create database ${name}`);
      await client.end();
      return `postgresql://senderd@/${name}?host=${encodeURIComponent(dir)}`;
    },
    async stop() {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGINT'); // "fast shutdown"
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
