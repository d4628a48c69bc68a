import type { Command } from 'commander';
import type { DomainEdgeStatus, HostStatusView } from '../edge/index.ts';
import { useColour } from './check.ts';
import { resolveTenant, withServices } from './session.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';

/** `senderd edge status [domain]`: the customer hosts and their certificates, for people or (--json) scripts. */
export function registerEdge(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const edge = program
    .command('edge')
    .description(
      'the customer-facing hosts (clicks.<domain>, mta-sts.<domain>) and their certificates by ACME',
    );
  edge
    .command('status [domain]')
    .description(
      'where each customer host and its certificate stand: waiting, pending, issued, renewing, failed, expired',
    )
    .option('--tenant <name>', 'tenant')
    .action(async (name: string | undefined, flags: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, flags.tenant);
        const statuses =
          name === undefined
            ? await s.edge.status.statuses(tenant.id)
            : [await s.edge.status.status(tenant.id, name)];
        const value = name === undefined ? { domains: statuses } : statuses[0];
        emit(io, globals(), value, () =>
          statuses.every((d) => d.hosts.length === 0)
            ? name === undefined
              ? `Tenant ${tenant.name} has no customer hosts: a domain gets clicks.<domain> while tracking is on, and mta-sts.<domain> while MTA-STS is on.`
              : `${name} has no customer host: tracking and MTA-STS are off.`
            : formatEdgeStatus(statuses, useColour(io)),
        );
      });
    });
}

const COLOUR: Record<HostStatusView['status'], string> = {
  waiting: '2',
  pending: '36',
  issued: '32',
  renewing: '33',
  failed: '31',
  expired: '31',
};

export function formatEdgeStatus(statuses: readonly DomainEdgeStatus[], colour: boolean): string {
  const paint = (code: string, text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const hosts = statuses.flatMap((d) => d.hosts);
  const width = Math.max(4, ...hosts.map((h) => h.hostname.length));
  const lines = [
    paint('2', `${'HOST'.padEnd(width)}  ${'STATUS'.padEnd(8)}  ${'EXPIRES'.padEnd(20)}  RENEWS`),
  ];
  for (const h of hosts) {
    const day = (iso: string | undefined) => (iso === undefined ? '-' : iso.slice(0, 16).replace('T', ' '));
    lines.push(
      `${h.hostname.padEnd(width)}  ${paint(COLOUR[h.status], h.status.padEnd(8))}  ${day(h.certificate?.notAfter).padEnd(20)}  ${day(h.certificate?.renewAt)}`,
      `  ${h.reason}`,
    );
  }
  return lines.join('\n');
}
