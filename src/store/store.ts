import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import pg from 'pg';
import type { CheckRepository } from '../checks/index.ts';
import type { AccountRepository, SmtpCredentialRepository } from '../accounts/index.ts';
import type { DnsRepository } from '../dns/index.ts';
import type { DomainRepository } from '../domains/index.ts';
import type { EdgeRepository } from '../edge/index.ts';
import type { GatewayRepository } from '../gateway/index.ts';
import type { ReportRepository, ReportStatsRepository } from '../reports/index.ts';
import { accountRepository } from './account-repository.ts';
import { checkRepository } from './check-repository.ts';
import type { Database, Dialect } from './database.ts';
import { dnsRepository, latestChangeId } from './dns-repository.ts';
import { domainRepository } from './domain-repository.ts';
import { edgeRepository } from './edge-repository.ts';
import { suppressionRepository } from './suppression-repository.ts';
import type { SuppressionRepository } from '../suppression/index.ts';
import type { FeedbackRepository, FigureRepository } from '../complaints/index.ts';
import { feedbackRepository, figureRepository } from './feedback-repository.ts';
import type { DkimKeyRepository } from '../dkim/index.ts';
import type { EventRepository } from '../events/index.ts';
import { dkimRepository } from './dkim-repository.ts';
import { eventRepository } from './event-repository.ts';
import type { DmarcRepository } from '../dmarc/index.ts';
import { dmarcRepository } from './dmarc-repository.ts';
import { gatewayRepository, smtpCredentialRepository } from './gateway-repository.ts';
import { migrationProvider } from './migrations.ts';
import type { SessionRepository, SignInFailureLog, TeamRepository } from '../accounts/index.ts';
import { signInFailureLog } from './sign-in-failure-repository.ts';
import type { JobLeaseRepository } from '../cluster/index.ts';
import { jobLeaseRepository } from './job-lease-repository.ts';
import { bimiLogoRepository } from './bimi-repository.ts';
import type { BimiLogoRepository } from '../bimi/index.ts';
import type { OverviewRepository } from '../overview/index.ts';
import type { PlatformSecretRepository } from '../secrets/index.ts';
import { overviewRepository } from './overview-repository.ts';
import { sessionRepository } from './session-repository.ts';
import { platformSecretRepository } from './platform-secret-repository.ts';
import { teamRepository } from './team-repository.ts';
import { trackingRepository } from './tracking-repository.ts';
import type { TrackingRepository } from '../tracking/index.ts';
import { openSqliteDatabase } from './sqlite-database.ts';
import { reportRepository } from './report-repository.ts';
import { reportStatsRepository } from './report-stats-repository.ts';
import type { AlertFacts, AlertRepository } from '../alerts/index.ts';
import { alertFactQueries, alertRepository } from './alert-repository.ts';

/**
 * The store: one object per capability's port, over one Kysely database. SQLite and PostgreSQL share every line
 * of query code; they differ only in how the connection is opened (and pass the same contract suite).
 */
export interface Store {
  readonly dialect: Dialect;
  readonly accounts: AccountRepository;
  readonly domains: DomainRepository;
  readonly dkim: DkimKeyRepository;
  readonly events: EventRepository;
  readonly dmarc: DmarcRepository;
  readonly checks: CheckRepository;
  readonly smtpCredentials: SmtpCredentialRepository;
  readonly gateway: GatewayRepository;
  readonly reports: ReportRepository;
  readonly reportStats: ReportStatsRepository;
  readonly sessions: SessionRepository;
  /** Team management: roles, removal, set-password links and password changes. */
  readonly team: TeamRepository;
  /** Secrets of the platform itself (the VERP key), sealed under the KEK. */
  readonly platformSecrets: PlatformSecretRepository;
  readonly overview: OverviewRepository;
  readonly dns: DnsRepository;
  /** Failed sign-ins, counted across the nodes of a cluster. */
  readonly signInFailures: SignInFailureLog;
  /** The edge's hosts, certificates (keys sealed), ACME challenges, accounts and order log. */
  readonly edge: EdgeRepository;
  /** Leases that make each periodic job run on one node of a cluster at a time. */
  readonly jobLeases: JobLeaseRepository;
  /** BIMI logos, one checked SVG per domain. */
  readonly bimi: BimiLogoRepository;
  /** The suppression list per tenant and its audit trail. */
  readonly suppressions: SuppressionRepository;
  /** Complaints and unsubscribes by mail, matched or not. */
  readonly feedback: FeedbackRepository;
  /** The figures per domain per day and the complaint-rate crossings. */
  readonly figures: FigureRepository;
  /** Alert settings per tenant and the state of each alert condition. */
  readonly alerts: AlertRepository;
  /** The reads alerts and reconciliation judge by, beside the report statistics. */
  readonly alertFacts: Omit<AlertFacts, 'sources'>;
  /** Opens and clicks with their class (issue 17), and the figures over them. */
  readonly tracking: TrackingRepository;
  /** The id of the newest change, so that watchers (DNS, other nodes) know when to reload. */
  latestChangeId(): Promise<number>;
  /**
   * Runs `fn`, which reads much of the store (a full zone build), the way such reads are fastest: on SQLite with
   * the file memory-mapped for the while; elsewhere it just runs `fn`.
   */
  readingInBulk<T>(fn: () => Promise<T>): Promise<T>;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
  /** For capabilities that add their own repositories (they receive the database, never a driver). */
  readonly db: Kysely<Database>;
}

export type StoreOptions =
  | { readonly driver: 'sqlite'; readonly path: string }
  | {
      readonly driver: 'postgres';
      readonly url: string;
      readonly poolSize?: number;
      /** Told when an idle connection dies (the server restarted); the pool replaces it on the next query. */
      readonly onIdleError?: (error: Error) => void;
    };

export function openStore(options: StoreOptions): Store {
  if (options.driver === 'sqlite') {
    if (options.path !== ':memory:') {
      mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
      // The database holds password and key hashes and every tenant's data: 0600 from its first byte. SQLite
      // gives its -wal and -shm files the same mode; an existing file keeps the mode its owner chose.
      closeSync(openSync(options.path, 'a', 0o600));
    }
    const database = openSqliteDatabase(options.path);
    return {
      ...createStore(new Kysely<Database>({ dialect: new SqliteDialect({ database }) }), 'sqlite'),
      readingInBulk: (fn) => database.readingInBulk(fn),
    };
  }
  // int8 (bigserial ids, counts) arrive as strings by default; ours stay far below 2^53.
  pg.types.setTypeParser(20, (v) => Number(v));
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
  // Without a listener, an idle client's error (PostgreSQL restarting, a network blip) is re-emitted by the pool
  // as an unhandled 'error' event and kills the process. The pool has already dropped that client.
  pool.on('error', options.onIdleError ?? (() => undefined));
  return createStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
}

export function createStore(db: Kysely<Database>, dialect: Dialect): Store {
  return {
    dialect,
    db,
    accounts: accountRepository(db),
    domains: domainRepository(db),
    dkim: dkimRepository(db),
    events: eventRepository(db, dialect),
    dmarc: dmarcRepository(db),
    checks: checkRepository(db),
    smtpCredentials: smtpCredentialRepository(db),
    gateway: gatewayRepository(db),
    reports: reportRepository(db, dialect),
    reportStats: reportStatsRepository(db),
    sessions: sessionRepository(db),
    team: teamRepository(db),
    platformSecrets: platformSecretRepository(db),
    overview: overviewRepository(db),
    dns: dnsRepository(db),
    signInFailures: signInFailureLog(db),
    edge: edgeRepository(db),
    jobLeases: jobLeaseRepository(db),
    bimi: bimiLogoRepository(db),
    suppressions: suppressionRepository(db),
    feedback: feedbackRepository(db),
    figures: figureRepository(db, dialect),
    alerts: alertRepository(db),
    alertFacts: alertFactQueries(db, dialect),
    tracking: trackingRepository(db, dialect),
    latestChangeId: () => latestChangeId(db),
    readingInBulk: (fn) => fn(),
    async migrate() {
      // Capabilities add migrations in parallel branches under their own number range (0100-dns, 0200-dkim, ...),
      // so a database may have seen a later-numbered migration first.
      const migrator = new Migrator({
        db,
        provider: migrationProvider(dialect),
        allowUnorderedMigrations: true,
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error !== undefined)
        throw error instanceof Error ? error : new Error(`migration failed: ${JSON.stringify(error)}`);
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    async close() {
      await db.destroy();
    },
  };
}

/** A quick liveness check for health endpoints. */
export async function pingStore(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}
