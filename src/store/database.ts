/** The whole schema as Kysely types: every capability's tables joined, and the dialect the store speaks. */
import type { DkimTables } from './dkim-tables.ts';
import type { FoundationTables } from './foundation-tables.ts';
import type { DmarcTables } from './dmarc-tables.ts';
import type { ChecksTables } from './checks-tables.ts';
import type { GatewayTables } from './gateway-tables.ts';
import type { ReportsTables } from './reports-tables.ts';
import type { SessionTables } from './session-tables.ts';
import type { DnsTables } from './dns-tables.ts';
import type { EdgeTables } from './edge-tables.ts';
import type { PlatformSecretTables } from './platform-secret-tables.ts';
import type { TeamTables } from './team-tables.ts';
import type { SignInFailureTables } from './sign-in-failure-tables.ts';
import type { JobLeaseTables } from './job-lease-tables.ts';
import type { BimiTables } from './bimi-tables.ts';
import type { SuppressionTables } from './suppression-tables.ts';
import type { FeedbackTables } from './feedback-tables.ts';
import type { AlertTables } from './alert-tables.ts';
import type { TrackingTables } from './tracking-tables.ts';

/**
 * The tables, as Kysely sees them. Column types are dialect-neutral: text ids, ISO-8601 UTC timestamps as text
 * (they sort correctly as strings), booleans as 0/1 integers, lists as JSON text.
 */
export type Database = FoundationTables &
  DnsTables &
  DkimTables &
  DmarcTables &
  ChecksTables &
  GatewayTables &
  EdgeTables &
  ReportsTables &
  SessionTables &
  TeamTables &
  PlatformSecretTables &
  SignInFailureTables &
  JobLeaseTables &
  BimiTables &
  SuppressionTables &
  FeedbackTables &
  AlertTables &
  TrackingTables;
// Each capability that stores data adds an interface of its tables in its own file and joins it here with `&`.

/** The SQL dialect of a store: the few places where SQLite and PostgreSQL differ decide by it. */
export type Dialect = 'sqlite' | 'postgres';
