/**
 * The REST API's JSON shapes the dashboard reads, named. Every one is taken from src/web/api/openapi.ts, which
 * `npm run api:types` generates from the server's own /openapi.json, so the dashboard and the server cannot
 * drift apart unnoticed: a changed route schema changes these types, and test/web/api-types.test.ts fails until
 * the file is regenerated.
 */
import type { components, paths } from './openapi.ts';

type Schemas = components['schemas'];
/** The JSON body of a path's successful GET. */
type Got<P extends keyof paths> = paths[P] extends {
  get: { responses: { 200: { content: { 'application/json': infer T } } } };
}
  ? T
  : never;

export type Session = Schemas['Session'];
export type Grade = Schemas['DomainCheck']['grade'];
export type Severity = Schemas['CheckRemark']['severity'];

export type DomainStatus = Schemas['DomainStatus'];
export type DomainPage = Got<'/v1/overview/domains'>;
export type Domain = Schemas['Domain'];
export type PlannedRecord = Schemas['PlannedRecord'];
export type RecordPlan = Schemas['RecordPlan'];

export type Remark = Schemas['CheckRemark'];
export type Observation = Schemas['CheckObservation'];
export type CheckedRecord = Schemas['DomainCheck']['records'][number];
export type DomainCheck = Schemas['DomainCheck'];

export type DkimKey = Schemas['DkimKey'];
export type KeyState = DkimKey['state'];
export type DkimPolicy = Schemas['DkimPolicy'];

export type LadderStep = Schemas['DmarcStep'];
export type DmarcView = Schemas['DmarcPolicyView'];
export type Reading = NonNullable<DmarcView['readings']['rfc7489']>;
export type DmarcDecision = Schemas['DmarcDecision'];
export type DmarcImpact = Schemas['DmarcImpact'];
export type Treatment = DmarcImpact['rfc7489'];

export type SenderdEvent = Schemas['Event'];
export type TenantSummary = Schemas['TenantSummary'];
export type TeamMember = Schemas['TeamMember'];
export type ApiKey = Schemas['ApiKey'];
export type SmtpCredential = Schemas['SmtpCredential'];
export type Notifications = Schemas['Notifications'];
export type Delivery = Schemas['Delivery'];
// The document registers this component from its first use, `setPasswordLink: LinkSchema.nullable()`, so it
// reads as nullable everywhere; a link the dashboard holds is never null.
export type SetPasswordLink = NonNullable<Schemas['SetPasswordLink']>;

export type ReportSummary = Schemas['ReportSummary'];
export type Figures = ReportSummary['totals'];
export type ReportSource = Schemas['ReportSource'];
export type SourceList = Got<'/v1/reports/domains/{domain}/sources'>;
export type SourceClass = ReportSource['class'];
export type Reporter = Schemas['Reporter'];
export type UploadOutcome = Schemas['IngestOutcome'];

export type EdgeHostStatus = Schemas['EdgeHostStatus'];
export type DomainEdge = Schemas['DomainEdgeStatus'];
export type MtaSts = Schemas['MtaSts'];
export type DomainFigures = Schemas['DomainFigures'];
export type Suppression = Schemas['Suppression'];
export type SuppressionAudit = Schemas['SuppressionAudit'];
export type Reconciliation = Schemas['Reconciliation'];
export type BimiLogo = Schemas['BimiLogo'];
export type DnsApplyResult = Schemas['DnsApplyResult'];
export type DomainConnectOffer = Schemas['DomainConnectOffer'];
