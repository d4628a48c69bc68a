import { chmodSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError, cryptoRandom } from '../core/index.ts';
import {
  generateTsigSecret,
  isTsigAlgorithm,
  parseTsigKey,
  renderKeyStanzas,
  renderSignerStanza,
} from '../dns/index.ts';
import { configFor } from './session.ts';
import { registerDnsApply } from './dns-apply.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';

export function registerDns(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const dns = program
    .command('dns')
    .description("senderd's authoritative DNS server, and writing records into the customer's own zone");
  registerDnsApply(dns, io, globals);
  dns
    .command('tsig-keygen')
    .description(
      'make a TSIG key (RFC 8945) for zone transfers and NOTIFY; prints the senderd, NSD, Knot and BIND stanzas',
    )
    .argument('<name>', 'the key name, a domain name such as xfr.example.net')
    .option('-a, --algorithm <algorithm>', 'hmac-sha256, hmac-sha384 or hmac-sha512', 'hmac-sha256')
    .option('-o, --output <file>', 'write the secret to this file (mode 0600) and refer to it as secretFile')
    .option('--zone <zone>', "the platform zone, for the signer's stanza (default: the configured one)")
    .option('--primary <address@port>', "senderd's address as the signer reaches it", '192.0.2.1@53')
    .option(
      '--secondary <address>',
      'a public secondary the signer serves (repeat for several)',
      (value: string, list: string[]) => [...list, value],
      [] as string[],
    )
    .action(
      (
        name: string,
        options: { algorithm: string; output?: string; zone?: string; primary: string; secondary: string[] },
      ) => {
        const algorithm = options.algorithm.toLowerCase();
        if (!isTsigAlgorithm(algorithm)) {
          const checked = parseTsigKey(name, algorithm, '');
          throw new AppError('bad_request', checked.ok ? 'unknown algorithm' : checked.error);
        }
        const secret = generateTsigSecret(cryptoRandom, algorithm);
        const key = parseTsigKey(name, algorithm, secret);
        if (!key.ok) throw new AppError('bad_request', key.error);
        let secretFile: string | null = null;
        if (options.output !== undefined) {
          secretFile = resolve(io.cwd, options.output);
          try {
            // 'wx': an existing key file is never overwritten (it may be in use).
            writeFileSync(secretFile, `${secret}\n`, { mode: 0o600, flag: 'wx' });
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            throw new AppError(
              code === 'EEXIST' ? 'conflict' : 'bad_request',
              code === 'EEXIST'
                ? `${secretFile} already exists; it is not overwritten`
                : `${secretFile}: ${code}`,
            );
          }
          chmodSync(secretFile, 0o600);
        }
        const stanzas = renderKeyStanzas({
          name: key.value.name,
          algorithm,
          secret: secretFile === null ? secret : null,
          secretFile,
          secretForOthers: secret,
        });
        const signer = renderSignerStanza({
          keyName: key.value.name,
          algorithm,
          secret,
          zone: options.zone ?? configuredZone(io, globals()),
          primary: options.primary,
          secondaries: options.secondary.length > 0 ? options.secondary : ['198.51.100.53'],
          secondaryPort: 53,
        });
        emit(
          io,
          globals(),
          { name: key.value.name, algorithm, secretFile, secret, stanzas: { ...stanzas, signer } },
          () =>
            [
              '# senderd (senderd.yaml)',
              stanzas.senderd,
              '',
              '# NSD (nsd.conf)',
              stanzas.nsd,
              '',
              '# Knot (knot.conf)',
              stanzas.knot,
              '',
              '# BIND (named.conf)',
              stanzas.bind,
              '',
              '# A Knot DNS signer between senderd and the public secondaries (knot.conf, with its own server: section):',
              '# it transfers the zone with this key, signs it with ECDSA P-256 and NSEC3, and serves the secondaries.',
              signer,
            ].join('\n'),
        );
      },
    );
}

/** The platform zone of the configuration, when there is one that loads; an example otherwise. */
function configuredZone(io: CliIo, globals: GlobalOptions): string {
  try {
    return configFor(io, globals, { runtime: false }).platform.zone;
  } catch {
    return 'mail.example.net';
  }
}
