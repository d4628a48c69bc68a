import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { BimiLogoView } from '../bimi/index.ts';
import { AppError } from '../core/index.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';
import { resolveTenant, withServices } from './session.ts';

/** `senderd bimi logo|show|remove <domain>`: the BIMI logo senderd hosts for a domain. */
export function describeBimi(v: BimiLogoView): string {
  if (v.logo === null)
    return `${v.domain}: no BIMI logo. senderd bimi logo ${v.domain} logo.svg uploads one.`;
  return [
    `${v.domain}: BIMI logo ${v.logo.bytes} bytes, uploaded ${v.logo.uploadedAt}`,
    `  served at ${v.url ?? `(no edge host: turn tracking or MTA-STS on)`}`,
    '  published as l= in the BIMI record while the DMARC policy is enforced (senderd dmarc show)',
  ].join('\n');
}

export function registerBimi(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const bimi = program
    .command('bimi')
    .description('BIMI logo hosting: an SVG Tiny PS logo served by the edge');
  const withTenant = (c: Command) => c.option('--tenant <name>', 'tenant');

  withTenant(
    bimi
      .command('logo <domain> <file>')
      .description(
        'upload the logo (SVG Tiny PS, at most 32 KB); hostile or invalid SVG is refused with the reason',
      ),
  ).action(async (domain: string, file: string, o: { tenant?: string }) => {
    const path = isAbsolute(file) ? file : resolve(io.cwd, file);
    let bytes: Buffer;
    try {
      // Read at most a little more than the limit: the check says "too large" with the size either way.
      if (statSync(path).size > 1024 * 1024)
        throw new AppError('payload_too_large', `${file} is larger than 1 MB; a BIMI logo is at most 32 KB.`);
      bytes = readFileSync(path);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError('bad_request', `Cannot read ${file}: ${(error as Error).message}`);
    }
    await withServices(
      io,
      globals(),
      async (s) => {
        const v = await s.bimi.upload((await resolveTenant(s, io, o.tenant)).id, domain, bytes);
        emit(io, globals(), v, () => describeBimi(v));
      },
      'served',
    );
  });

  withTenant(bimi.command('show <domain>').description('the logo, its size and where it is served')).action(
    async (domain: string, o: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const v = await s.bimi.status((await resolveTenant(s, io, o.tenant)).id, domain);
        emit(io, globals(), v, () => describeBimi(v));
      });
    },
  );

  withTenant(
    bimi.command('remove <domain>').description('remove the logo and the l= that points at it'),
  ).action(async (domain: string, o: { tenant?: string }) => {
    await withServices(
      io,
      globals(),
      async (s) => {
        const v = await s.bimi.remove((await resolveTenant(s, io, o.tenant)).id, domain);
        emit(io, globals(), v, () => describeBimi(v));
      },
      'served',
    );
  });
}
