import type { Command } from 'commander';
import type { DayFigures } from '../complaints/index.ts';
import { resolveTenant, withServices } from './session.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';

/**
 * `senderd figures <domain> [--days N]`: the domain's mail per day (sent, delivered, bounces by class, complaints,
 * unsubscribes, complaint rate), the same figures as GET /v1/domains/{domain}/figures.
 */
export function registerFigures(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  program
    .command('figures <domain>')
    .description(
      "a sender domain's mail per day: sent, delivered, bounced (hard/soft/block/unknown), complaints, unsubscribes, complaint rate",
    )
    .option('--tenant <name>', 'tenant')
    .option('--days <n>', 'days up to today', '30')
    .action(async (name: string, flags: { tenant?: string; days: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const domain = await s.domains.get(tenant.id, name);
        const days = Math.min(400, Math.max(1, Number.parseInt(flags.days, 10) || 30));
        const figures = await s.figures.domainDays(tenant.id, domain.id, days);
        emit(
          io,
          globals(),
          { domain: domain.name, minimumDelivered: s.figures.minimumDelivered, days: figures },
          () => formatFigures(domain.name, figures, s.figures.minimumDelivered),
        );
      });
    });
}

export function formatFigures(domain: string, days: readonly DayFigures[], minimumDelivered: number): string {
  if (days.length === 0) return `${domain}: no mail and no feedback in these days.`;
  const head = [
    'DAY',
    'SENT',
    'DELIVERED',
    'HARD',
    'SOFT',
    'BLOCK',
    'UNKNOWN',
    'COMPLAINTS',
    'UNSUBS',
    'RATE',
  ];
  const rows = days.map((d) => [
    d.day,
    ...[d.sent, d.delivered, d.hard, d.soft, d.block, d.unknown, d.complaints, d.unsubscribes].map(String),
    d.complaintRate === null
      ? '-'
      : `${(d.complaintRate * 100).toFixed(3)}%${d.complaintRate >= 0.003 ? ' !' : ''}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(head),
    ...rows.map(line),
    `RATE is complaints / delivered, shown from ${minimumDelivered} deliveries a day; ! marks 0.3% or more.`,
  ].join('\n');
}
