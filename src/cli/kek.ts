import type { Command } from 'commander';
import { AppError, cryptoRandom } from '../core/index.ts';
import { rewrapDkimKeys } from '../dkim/index.ts';
import { rewrapEdgeKeys } from '../edge/index.ts';
import { prependNewKek, pruneOldKeks, rewrapPlatformSecrets } from '../secrets/index.ts';
import type { Services } from '../main.ts';
import { withServices } from './session.ts';
import { emit, type CliIo, type GlobalOptions } from './io.ts';

/** Re-seals everything under the current KEK; drops old keys from the file only when nothing needs them. */
async function rewrapAll(s: Services, keepOld: boolean) {
  const dkim = await rewrapDkimKeys(s.store.dkim, s.kek);
  const webhooks = await s.events.rewrapSecrets();
  const platform = await rewrapPlatformSecrets(s.store.platformSecrets, s.kek);
  const edge = await rewrapEdgeKeys(s.store.edge, s.kek);
  const failed = [
    ...dkim.failed.map((id) => `DKIM key ${id}`),
    ...webhooks.failed.map((t) => `webhook secret of tenant ${t}`),
    ...platform.failed.map((name) => `platform secret ${name}`),
    ...edge.failed.map((key) => `edge ${key} key`),
  ];
  const remaining = dkim.remaining + webhooks.remaining + platform.remaining + edge.remaining;
  let pruned: string[] = [];
  if (failed.length > 0) {
    throw new AppError(
      'internal',
      `Re-wrapped ${dkim.rewrapped + webhooks.rewrapped + platform.rewrapped + edge.rewrapped}, but ${failed.length} did not open under any key in the file (${failed.join(', ')}). The old keys stay in the file.`,
    );
  }
  if (!keepOld && remaining === 0) pruned = pruneOldKeks(s.config.secrets.kekFile);
  return {
    rewrapped: {
      dkimKeys: dkim.rewrapped,
      webhookSecrets: webhooks.rewrapped,
      platformSecrets: platform.rewrapped,
      edgeKeys: edge.rewrapped,
    },
    remaining,
    pruned,
  };
}

export function registerKek(program: Command, io: CliIo, globals: () => GlobalOptions): void {
  const kek = program.command('kek').description('the key-encryption key that seals private keys at rest');
  kek
    .command('rotate')
    .description(
      'put a new key-encryption key first, re-wrap every sealed key under it, then drop the old ones',
    )
    .option('--keep-old', 'keep the old keys in the file after re-wrapping')
    .action(async (flags: { keepOld?: boolean }) => {
      await withServices(io, globals(), async (s) => {
        // Crash safety: the new key is written first (atomically) and old keys stay until every ciphertext moved.
        const id = prependNewKek(s.config.secrets.kekFile, cryptoRandom);
        const outcome = await rewrapAll(s, flags.keepOld === true);
        emit(io, globals(), { current: id, ...outcome }, () =>
          [
            `New key-encryption key ${id} is current.`,
            `Re-wrapped ${outcome.rewrapped.dkimKeys} DKIM keys, ${outcome.rewrapped.webhookSecrets} webhook secrets, ${outcome.rewrapped.platformSecrets} platform secrets and ${outcome.rewrapped.edgeKeys} certificate and ACME account keys.`,
            outcome.pruned.length > 0
              ? `Removed old keys from the file: ${outcome.pruned.join(', ')}.`
              : 'Old keys kept in the file.',
            'Back up the key file now.',
          ].join('\n'),
        );
      });
    });
  kek
    .command('rewrap')
    .description('finish an interrupted rotation: re-wrap under the current key, then drop old keys')
    .option('--keep-old', 'keep the old keys in the file')
    .action(async (flags: { keepOld?: boolean }) => {
      await withServices(io, globals(), async (s) => {
        const outcome = await rewrapAll(s, flags.keepOld === true);
        emit(
          io,
          globals(),
          { current: s.kek.keys().current.id, ...outcome },
          () =>
            `Re-wrapped ${outcome.rewrapped.dkimKeys} DKIM keys, ${outcome.rewrapped.webhookSecrets} webhook secrets, ${outcome.rewrapped.platformSecrets} platform secrets and ${outcome.rewrapped.edgeKeys} certificate and ACME account keys under ${s.kek.keys().current.id}.`,
        );
      });
    });
}
