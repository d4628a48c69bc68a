/**
 * The digest e-mail (issue 21): per tenant, daily or weekly, only what changed since the last one: the alerts
 * that opened and cleared, and the events that already say what changed (policy steps and rollbacks, certificates,
 * broken and fixed records, keys). Rendered here as text and HTML (a multipart/alternative message, RFC 2046
 * §5.1.4: the plain text first, the richer part last); sending is the notification mail path's job.
 */
import { escapeAttribute, escapeUTF8 } from 'entities';
import type { PlatformEvent } from '../events/index.ts';
import { DIGEST_EVENT_TYPES, type DigestFrequency } from './model.ts';

export interface DigestInput {
  readonly tenantName: string;
  readonly frequency: Exclude<DigestFrequency, 'off'>;
  readonly from: string;
  readonly to: string;
  readonly events: readonly PlatformEvent[];
  /** Domain names by id, for the events that concern a domain. */
  readonly domainNames: ReadonlyMap<string, string>;
  /** The dashboard's address, for links (empty: no links). */
  readonly dashboardUrl: string;
}

export interface RenderedDigest {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Whether an event belongs in a digest: alerts, and the existing events that report a change. */
export function isDigestEvent(type: string): boolean {
  return DIGEST_EVENT_TYPES.some((t) => (t.endsWith('.') ? type.startsWith(t) : type === t));
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;
const COLOURS = { critical: '#b3261e', warning: '#8a5a00', info: '#2f5d8a' } as const;

function actionOf(event: PlatformEvent): string | null {
  const action = event.data['action'];
  return typeof action === 'string' ? action : null;
}

/** The event's sentence without the action an alert appends to it (the digest shows the action on its own). */
function sentenceOf(event: PlatformEvent): string {
  const action = actionOf(event);
  const suffix = action === null ? '' : ` What to do: ${action}`;
  return suffix !== '' && event.message.endsWith(suffix)
    ? event.message.slice(0, -suffix.length)
    : event.message;
}

/** Renders the digest; null when nothing changed (no digest is sent then). */
export function renderDigest(input: DigestInput): RenderedDigest | null {
  const events = input.events
    .filter((e) => isDigestEvent(e.type))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.at.localeCompare(b.at));
  if (events.length === 0) return null;
  const counts = {
    critical: events.filter((e) => e.severity === 'critical').length,
    warning: events.filter((e) => e.severity === 'warning').length,
  };
  const period = `${input.from.slice(0, 10)} to ${input.to.slice(0, 10)}`;
  const headline =
    counts.critical + counts.warning === 0
      ? `${events.length} change${events.length === 1 ? '' : 's'}, nothing to fix`
      : `${counts.critical + counts.warning} to fix, ${events.length} change${events.length === 1 ? '' : 's'} in all`;
  const subject = `[senderd] ${input.frequency === 'daily' ? 'Daily' : 'Weekly'} digest for ${input.tenantName}: ${headline}`;
  const domainOf = (e: PlatformEvent) =>
    e.domainId === null ? '' : (input.domainNames.get(e.domainId) ?? '');

  const text = [
    `senderd ${input.frequency} digest for ${input.tenantName}, ${period}`,
    headline,
    '',
    ...events.flatMap((e) => {
      const action = actionOf(e);
      return [
        `* ${e.severity.toUpperCase()} ${e.type}${domainOf(e) === '' ? '' : ` (${domainOf(e)})`}`,
        `  ${sentenceOf(e)}`,
        ...(action === null ? [] : [`  What to do: ${action}`]),
        `  ${e.at}`,
        '',
      ];
    }),
    'You receive this digest because it is switched on in the alert settings (senderd alerts set --digest off).',
    '',
  ].join('\n');

  const rows = events
    .map((e) => {
      const action = actionOf(e);
      const domain = domainOf(e);
      return (
        `<tr><td style="padding:12px 8px;border-top:1px solid #ddd;vertical-align:top">` +
        `<span style="display:inline-block;padding:2px 8px;border-radius:10px;color:#fff;background:${COLOURS[e.severity]};font-size:12px">${e.severity}</span></td>` +
        `<td style="padding:12px 8px;border-top:1px solid #ddd">` +
        `<div style="font-weight:600">${escapeUTF8(e.type)}${domain === '' ? '' : ` &middot; ${escapeUTF8(domain)}`}</div>` +
        `<div style="margin:4px 0">${escapeUTF8(sentenceOf(e))}</div>` +
        (action === null
          ? ''
          : `<div class="action" style="margin:4px 0;padding:6px 8px;background:#f3f6f9;border-left:3px solid ${COLOURS[e.severity]}"><strong>What to do:</strong> ${escapeUTF8(action)}</div>`) +
        `<div style="color:#666;font-size:12px">${escapeUTF8(e.at)}</div></td></tr>`
      );
    })
    .join('');
  const link =
    input.dashboardUrl === ''
      ? ''
      : `<p><a href="${escapeAttribute(input.dashboardUrl)}">Open the dashboard</a></p>`;
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeUTF8(subject)}</title></head>` +
    `<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1b1b1b;max-width:720px;margin:0 auto;padding:16px">` +
    `<h1 style="font-size:20px">senderd ${input.frequency} digest for ${escapeUTF8(input.tenantName)}</h1>` +
    `<p style="color:#444">${escapeUTF8(period)} &middot; <strong>${escapeUTF8(headline)}</strong></p>` +
    `<table role="presentation" style="border-collapse:collapse;width:100%">${rows}</table>${link}` +
    `<p style="color:#666;font-size:12px">You receive this digest because it is switched on in the alert settings.</p>` +
    `</body></html>`;
  return { subject, text, html };
}
