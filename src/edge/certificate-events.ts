import type { NewEvent } from '../events/index.ts';
import type { LeafFacts } from './certificate-keys.ts';
import type { EdgeHost } from './model.ts';

/**
 * The events a tenant sees about its hosts' certificates (listed by API and CLI, sent by webhook and e-mail).
 * Stable types: `edge.certificate.issued`, `edge.certificate.renewed`, `edge.certificate.failed`.
 */

const DAY = 86_400_000;

export function issuedEvent(host: EdgeHost, leaf: LeafFacts, renewAt: string, renewal: boolean): NewEvent {
  return {
    tenantId: host.tenantId,
    domainId: host.domainId,
    type: renewal ? 'edge.certificate.renewed' : 'edge.certificate.issued',
    severity: 'info',
    message: `${host.hostname} has a ${renewal ? 'renewed' : 'new'} certificate from ${leaf.issuer}, valid until ${leaf.notAfter}; it is renewed from ${renewAt}.`,
    data: {
      hostname: host.hostname,
      role: host.role,
      serial: leaf.serial,
      issuer: leaf.issuer,
      notBefore: leaf.notBefore,
      notAfter: leaf.notAfter,
      renewAt,
    },
  };
}

/**
 * A failed order, with the CA's error. Critical when HTTPS on the host is down or soon will be: no valid
 * certificate, or the one served expires within a week.
 */
export function failureEvent(host: EdgeHost, error: string, nextAttemptAt: string, now: Date): NewEvent {
  const notAfter = host.certificate?.notAfter ?? null;
  const urgent = notAfter === null || Date.parse(notAfter) - now.getTime() < 7 * DAY;
  const serving =
    notAfter === null
      ? 'HTTPS links to it do not work until a certificate is issued'
      : Date.parse(notAfter) <= now.getTime()
        ? `the certificate it served expired at ${notAfter}`
        : `the current certificate stays in use until ${notAfter}`;
  return {
    tenantId: host.tenantId,
    domainId: host.domainId,
    type: 'edge.certificate.failed',
    severity: urgent ? 'critical' : 'warning',
    message: `The certificate for ${host.hostname} could not be ${host.certificate === null ? 'ordered' : 'renewed'}: ${error.replace(/\.$/, '')}. Next attempt at ${nextAttemptAt}; ${serving}.`,
    data: { hostname: host.hostname, role: host.role, error, nextAttemptAt, notAfter },
  };
}
