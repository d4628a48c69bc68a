/** The REST API's JSON shapes the dashboard reads (see /openapi.json; only the fields used here). */

export type Grade = 'perfect' | 'ok' | 'error' | 'temperror';
export type Severity = 'note' | 'warning' | 'error' | 'temperror';

export interface Session {
  user: { email: string; role: 'owner' | 'member' | 'operator' };
  tenant: { id: string; name: string };
  homeTenant: { id: string; name: string };
  access: 'user' | 'read-only' | 'operator';
  expiresAt: string;
  csrfToken: string;
}

export interface DomainStatus {
  name: string;
  mode: string;
  createdAt: string;
  verified: boolean;
  verifiedAt: string | null;
  check: { grade: Grade; checkedAt: string } | null;
  records: Record<Grade, number>;
  dmarc: { step: number; label: string; p: string; percent: number; autopilot: boolean };
  key: {
    selector: string;
    algorithm: string;
    origin: string;
    activatedAt: string | null;
    ageDays: number;
  } | null;
}

export interface DomainPage {
  total: number;
  offset: number;
  limit: number;
  domains: DomainStatus[];
}

export interface Domain {
  name: string;
  token: string;
  settings: {
    mode: 'delegated' | 'self-hosted';
    bounceLabel: string;
    clickLabel: string;
    tracking: boolean;
  };
  verified: boolean;
  verifiedAt: string | null;
  createdAt: string;
}

export interface PlannedRecord {
  name: string;
  host: string;
  type: string;
  value: string;
  ttl: number;
  required: boolean;
  purpose: string;
  note: string;
}

export interface RecordPlan {
  domain: string;
  mode: string;
  token: string;
  zone: string;
  customer: PlannedRecord[];
  keptSelectors: string[];
}

export interface Remark {
  code: string;
  severity: Severity;
  message: string;
}

export interface Observation {
  path: 'authoritative' | 'recursive';
  server: string;
  name: string;
  type: string;
  value: string | null;
  ttl: number | null;
}

export interface CheckedRecord {
  key: string;
  name: string;
  type: string;
  purpose: string;
  required: boolean;
  expected: string;
  grade: Grade;
  remarks: Remark[];
  observed: Observation[];
}

export interface DomainCheck {
  domain: string;
  checkedAt: string;
  grade: Grade;
  verification: { verified: boolean; evidence: string | null };
  zone: {
    apex: string | null;
    nameservers: { name: string; address: string; status: string }[];
    remarks: Remark[];
  };
  records: CheckedRecord[];
  stats: { queries: number; ms: number };
}

export type KeyState = 'pending' | 'active' | 'retiring' | 'retired' | 'revoked';

export interface DkimKey {
  id: string;
  selector: string;
  algorithm: 'rsa' | 'ed25519';
  bits: number;
  origin: 'generated' | 'imported';
  state: KeyState;
  fingerprint: string;
  createdAt: string;
  activatedAt: string | null;
  retiringAt: string | null;
  retiredAt: string | null;
  revokedAt: string | null;
  visibleAt: string | null;
  warnings: string[];
}

export interface DkimPolicy {
  effective: { rotationPeriod: string; leadTime: string; overlap: string; retention: string };
}

export interface LadderStep {
  index: number;
  p: 'none' | 'quarantine' | 'reject';
  percent: number;
  pct?: number;
  t?: 'y' | 'n';
  label: string;
}

export interface Reading {
  published: string;
  applied: string;
  percent: number;
  testMode: boolean;
}

export interface DmarcDecision {
  id: string;
  at: string;
  actor: 'user' | 'schedule' | 'autopilot';
  action: 'advance' | 'hold' | 'rollback' | 'set' | 'idle';
  fromStep: number;
  toStep: number;
  reason: string;
  checks: { name: string; ok: boolean; value: number; threshold: number; explanation: string }[];
}

export interface DmarcView {
  domain: string;
  step: LadderStep;
  record: string;
  readings: { rfc7489: Reading | null; rfc9989: Reading | null };
  autopilot: Record<string, unknown>;
  ladder: LadderStep[];
  decisions: DmarcDecision[];
}

export interface Treatment {
  none: number;
  quarantine: number;
  reject: number;
}

export interface DmarcImpact {
  step: number;
  label: string;
  from: string;
  to: string;
  messages: number;
  failing: number;
  rfc7489: Treatment;
  rfc9989: Treatment;
  reportsAvailable: boolean;
  sources: {
    ip: string;
    class: 'platform' | 'forwarder' | 'unknown';
    reverseName: string | null;
    failing: number;
  }[];
}

export interface SenderdEvent {
  id: string;
  type: string;
  severity: 'info' | 'warning' | 'critical';
  at: string;
  domainId: string | null;
  message: string;
}

export interface TenantSummary {
  id: string;
  name: string;
  createdAt: string;
  domains: number;
  verifiedDomains: number;
  users: number;
}

export interface TeamMember {
  id: string;
  email: string;
  role: 'owner' | 'member' | 'operator';
  createdAt: string;
  passwordSet: boolean;
  linkExpiresAt: string | null;
}

export interface SetPasswordLink {
  url: string;
  token: string;
  expiresAt: string;
}
