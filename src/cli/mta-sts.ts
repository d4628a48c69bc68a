import type { Command } from 'commander';
import { AppError } from '../core/index.ts';
import type { MtaStsView } from '../mta-sts/index.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';
import { resolveTenant, withServices } from './session.ts';

/**
 * `senderd mta-sts show|enable|mode|disable <domain>`: MTA-STS (RFC 8461) and TLS-RPT (RFC 8460) for the domain's
 * inbound mail, with the same guard as the API.
 */
export function describeMtaSts(v: MtaStsView): string {
  if (!v.enabled)
    return `${v.domain}: MTA-STS is off. \`senderd mta-sts enable ${v.domain}\` starts it in testing.`;
  const lines = [
    `${v.domain}: MTA-STS ${v.mode} (id ${v.policyId}, max_age ${v.maxAge} s)`,
    `  policy     ${v.policyUrl}`,
    `  mx         ${v.mx.join(', ')}`,
    `  MX in DNS  ${v.checkedMx.join(', ') || '-'} (looked up ${v.checkedAt ?? 'never'})`,
  ];
  if (v.uncoveredMx.length > 0)
    lines.push(
      `  NOT COVERED ${v.uncoveredMx.join(', ')}: enforce is refused; run mta-sts enable again to take them in`,
    );
  lines.push(
    '',
    ...v
      .policy!.trimEnd()
      .split('\r\n')
      .map((l) => `    ${l}`),
  );
  return lines.join('\n');
}

export function registerMtaSts(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const sts = program
    .command('mta-sts')
    .description("MTA-STS and TLS reporting for the domain's inbound mail (RFC 8461, RFC 8460)");
  const withTenant = (c: Command) => c.option('--tenant <name>', 'tenant');

  withTenant(sts.command('show <domain>').description('mode, MX patterns, policy text and id')).action(
    async (domain: string, o: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const v = await s.mtaSts.status((await resolveTenant(s, io, o.tenant)).id, domain);
        emit(io, globals(), v, () => describeMtaSts(v));
      });
    },
  );

  withTenant(
    sts
      .command('enable <domain>')
      .description(
        'switch on in testing mode with the MX hosts the DNS has now (or take in new ones); the plan then asks for _mta-sts, _smtp._tls and mta-sts.<domain>',
      )
      .option('--mx <pattern...>', 'mx: patterns instead of the MX hosts (such as *.example.net)'),
  ).action(async (domain: string, o: { tenant?: string; mx?: string[] }) => {
    await withServices(
      io,
      globals(),
      async (s) => {
        const tenantId = (await resolveTenant(s, io, o.tenant)).id;
        const v = await s.mtaSts.enable(tenantId, domain, o.mx === undefined ? {} : { mx: o.mx });
        emit(
          io,
          globals(),
          v,
          () => `${describeMtaSts(v)}\n\nCreate the new records: senderd records ${domain}`,
        );
      },
      'served',
    );
  });

  withTenant(
    sts
      .command('mode <domain> <mode>')
      .description('testing, enforce (needs clean TLS reports, or --force) or none (withdraws the policy)')
      .option('--force', 'enforce although the TLS reports show failed sessions or there are none'),
  ).action(async (domain: string, mode: string, o: { tenant?: string; force?: boolean }) => {
    if (mode !== 'testing' && mode !== 'enforce' && mode !== 'none')
      throw new AppError('validation_failed', `"${mode}" is not a mode: use testing, enforce or none.`);
    await withServices(
      io,
      globals(),
      async (s) => {
        const tenantId = (await resolveTenant(s, io, o.tenant)).id;
        const v = await s.mtaSts
          .setMode(tenantId, domain, mode, { force: o.force === true })
          .catch((error: unknown) => {
            if (error instanceof AppError && error.code === 'confirmation_required')
              throw new AppError(error.code, `${error.message}\nAdd --force if this is what you want.`);
            throw error;
          });
        emit(io, globals(), v, () => describeMtaSts(v));
      },
      'served',
    );
  });

  withTenant(
    sts
      .command('disable <domain>')
      .description('switch off; from enforce only through mode none (RFC 8461 §8.3) or with --force')
      .option('--force', 'switch off an enforced policy at once'),
  ).action(async (domain: string, o: { tenant?: string; force?: boolean }) => {
    await withServices(
      io,
      globals(),
      async (s) => {
        const tenantId = (await resolveTenant(s, io, o.tenant)).id;
        const v = await s.mtaSts.disable(tenantId, domain, { force: o.force === true });
        emit(io, globals(), v, () => describeMtaSts(v));
      },
      'served',
    );
  });
}
