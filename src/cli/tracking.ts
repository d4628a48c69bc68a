import type { Command } from 'commander';
import { AppError } from '../core/index.ts';
import type { DomainFigures, LinkFigures, StoredTrackingEvent } from '../tracking/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';

/**
 * `senderd tracking …`: a domain's opens and clicks per day (only `human` counts as people; privacy proxies and
 * scanners beside it), click-through by link, the latest events, and a message's top links. The same service as
 * GET /v1/domains/{domain}/tracking.
 */
export function registerTracking(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const tracking = program
    .command('tracking')
    .description('opens and clicks on the click host, classified as people, privacy proxies or scanners');
  tracking
    .command('stats <domain>')
    .description('per day: delivered, unique opens and clicks by class; then the links by people’s clicks')
    .option('--tenant <name>', 'tenant')
    .option('--from <day>', 'first day, YYYY-MM-DD (default: 29 days before --to)')
    .option('--to <day>', 'last day, YYYY-MM-DD (default: today, UTC)')
    .action(async (name: string, flags: { tenant?: string; from?: string; to?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const domain = await s.domains.get(tenant.id, name);
        const figures = await s.tracking.service.figures(tenant.id, domain.id, {
          ...(flags.from === undefined ? {} : { from: flags.from }),
          ...(flags.to === undefined ? {} : { to: flags.to }),
        });
        if (!figures.ok) throw new AppError('validation_failed', figures.error);
        emit(io, globals(), { domain: domain.name, ...figures.value }, () =>
          formatFigures(domain.name, figures.value),
        );
      });
    });
  tracking
    .command('events <domain>')
    .description('the latest opens and clicks, newest first')
    .option('--tenant <name>', 'tenant')
    .option('--message <id>', 'only this message')
    .option('--limit <n>', 'how many', '50')
    .action(async (name: string, flags: { tenant?: string; message?: string; limit: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const domain = await s.domains.get(tenant.id, name);
        const limit = Number(flags.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
          throw new AppError('validation_failed', '--limit is a whole number from 1 to 1000.');
        const events = await s.tracking.service.events(tenant.id, {
          domainId: domain.id,
          limit,
          ...(flags.message === undefined ? {} : { messageId: flags.message }),
        });
        emit(io, globals(), { events }, () => formatEvents(events));
      });
    });
  tracking
    .command('links <message-id>')
    .description('the links of one message, most clicked by people first')
    .option('--tenant <name>', 'tenant')
    .action(async (id: string, flags: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const links = await s.tracking.service.messageLinks(tenant.id, id);
        emit(io, globals(), { messageId: id, links }, () =>
          links.length === 0 ? `No clicks on message ${id}.` : formatLinks(links),
        );
      });
    });
}

const pct = (part: number, whole: number) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

export function formatFigures(domain: string, f: DomainFigures): string {
  const lines = [
    `${domain}, ${f.from} to ${f.to} (UTC). Unique per message and recipient; only "people" are counted as readers.`,
    '',
    'DAY         DELIVERED  OPENS people  proxy  scanner   CLICKS people  scanner',
  ];
  for (const d of f.days)
    lines.push(
      `${d.day}  ${String(d.delivered).padStart(9)}  ${String(d.opens.human).padStart(12)}  ${String(d.opens['privacy-proxy']).padStart(5)}  ${String(d.opens.scanner).padStart(7)}  ${String(d.clicks.human).padStart(13)}  ${String(d.clicks.scanner).padStart(7)}`,
    );
  const t = f.totals;
  lines.push(
    `${'total'.padEnd(10)}  ${String(t.delivered).padStart(9)}  ${String(t.opens.human).padStart(12)}  ${String(t.opens['privacy-proxy']).padStart(5)}  ${String(t.opens.scanner).padStart(7)}  ${String(t.clicks.human).padStart(13)}  ${String(t.clicks.scanner).padStart(7)}`,
    '',
    `Open rate (people): ${pct(t.opens.human, t.delivered)}   click rate (people): ${pct(t.clicks.human, t.delivered)}`,
  );
  if (f.links.length > 0) lines.push('', formatLinks(f.links));
  return lines.join('\n');
}

export function formatLinks(links: readonly LinkFigures[]): string {
  const lines = ['PEOPLE  CLICKS  SCANNERS  LINK'];
  for (const l of links)
    lines.push(
      `${String(l.unique.human).padStart(6)}  ${String(l.humanClicks).padStart(6)}  ${String(l.unique.scanner).padStart(8)}  ${l.linkIndex === null ? '' : `#${l.linkIndex} `}${l.url}`,
    );
  return lines.join('\n');
}

function formatEvents(events: readonly StoredTrackingEvent[]): string {
  if (events.length === 0) return 'No opens or clicks yet.';
  return events
    .map(
      (e) =>
        `${e.at.slice(0, 19).replace('T', ' ')}  ${e.kind.padEnd(5)}  ${e.class.padEnd(13)}  ${e.rule.padEnd(22)}  ${e.messageId}#${e.recipientIndex}  ${e.kind === 'click' ? e.url : ''}`,
    )
    .join('\n');
}
