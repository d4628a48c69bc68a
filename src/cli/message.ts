import type { Command } from 'commander';
import { resolveTenant, withServices } from './session.ts';
import { emit, keyValues, type CliIo, type GlobalOptions } from './io.ts';

/** `senderd message list|trace`: what the gateway did with a tenant's messages. */
export function registerMessage(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const cmd = program.command('message').description("the gateway's per-message trace");
  cmd
    .command('list')
    .description('recent messages, newest first')
    .option('--tenant <name>', 'tenant')
    .option('--limit <n>', 'how many', '20')
    .action(async (options: { tenant?: string; limit: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const list = await s.traces.messages(tenant.id, Number(options.limit) || 20);
        emit(io, globals(), { messages: list }, () =>
          list.length === 0
            ? 'No messages.'
            : list
                .map(
                  (m) =>
                    `${m.id}\t${m.acceptedAt}\t${m.status}\t${m.headerFrom}\t${m.recipients.length} rcpt`,
                )
                .join('\n'),
        );
      });
    });
  cmd
    .command('trace <id>')
    .description('signing, envelope and every delivery attempt of one message')
    .option('--tenant <name>', 'tenant')
    .action(async (id: string, options: { tenant?: string }) => {
      await withServices(io, globals(), async (s) => {
        const tenant = await resolveTenant(s, io, options.tenant);
        const { message: m, attempts } = await s.traces.message(tenant.id, id);
        emit(io, globals(), { message: m, attempts }, () =>
          [
            `Message ${m.id} (${m.status})`,
            keyValues([
              ['tenant', tenant.name],
              [
                'accepted',
                `${m.acceptedAt} from ${m.clientAddress}${m.credential ? ` as ${m.credential}` : ''}`,
              ],
              ['From', m.headerFrom],
              ['sender domain', m.senderDomain ?? '(none)'],
              ['signing', m.signingDecision],
              ...m.signatures.map(
                (sig) =>
                  [
                    'signature',
                    `d=${sig.signingDomain} s=${sig.selector} a=${sig.algorithm} key ${sig.keyId}`,
                  ] as const,
              ),
              ['MAIL FROM given', m.submittedMailFrom || '<>'],
              ...m.recipients.map((r) => ['recipient', `${r.address} (envelope ${r.envelopeFrom})`] as const),
              ['size', `${m.size} bytes`],
            ]),
            'Attempts:',
            ...(attempts.length === 0
              ? ['  none yet']
              : attempts.map(
                  (a) =>
                    `  ${a.at} ${a.recipient} ${a.status} via ${a.host || '-'}${a.tls ? ' (TLS)' : ''}: ${a.code} ${a.reply}`,
                )),
          ].join('\n'),
        );
      });
    });
}
