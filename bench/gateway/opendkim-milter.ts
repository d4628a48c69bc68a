/**
 * OpenDKIM as a milter for the Postfix comparison: a fresh RSA-2048 key from opendkim-genkey, signing relaxed/relaxed
 * for example.com (the benchmark's From domain) on a Unix socket in the run's directory, in the foreground as a child
 * of the benchmark so it never outlives it.
 */
import { spawn } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../test/support/tools.ts';
import { dkimRecord } from '../../test/support/gateway.ts';
import { waitFor } from '../dns/processes.ts';
import { treeCpuSeconds } from './cpu.ts';
import { undoOnExit } from './exit-cleanup.ts';

export const OPENDKIM_DOMAIN = 'example.com';
export const OPENDKIM_SELECTOR = 'bench';

export interface OpenDkimMilter {
  /** For Postfix's smtpd_milters: `unix:/path/opendkim.sock`. */
  readonly socket: string;
  /** The DKIM TXT record of the generated key, for an independent verifier: `v=DKIM1; k=rsa; p=...`. */
  readonly record: string;
  /** CPU seconds OpenDKIM (all its threads) has used so far. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** `opendkim -V`'s first line, e.g. "OpenDKIM Filter v2.11.0". */
export async function openDkimVersion(): Promise<string> {
  const r = await run('/usr/sbin/opendkim', ['-V']);
  return r.stdout.split('\n')[0]?.replace(/^opendkim:\s*/, '') ?? 'unknown';
}

export async function startOpenDkim(dir: string): Promise<OpenDkimMilter> {
  const keys = await run('/usr/sbin/opendkim-genkey', [
    '-b',
    '2048',
    '-d',
    OPENDKIM_DOMAIN,
    '-s',
    OPENDKIM_SELECTOR,
    '-D',
    dir,
  ]);
  if (keys.code !== 0) throw new Error(`opendkim-genkey failed: ${keys.stderr}`);
  const keyFile = join(dir, `${OPENDKIM_SELECTOR}.private`);
  const socketPath = join(dir, 'opendkim.sock');
  const config = join(dir, 'opendkim.conf');
  writeFileSync(
    config,
    [
      'Syslog no',
      'Background no',
      `Socket local:${socketPath}`,
      // Postfix's smtpd runs as the postfix user: the socket must be writable for it.
      'UMask 000',
      `Domain ${OPENDKIM_DOMAIN}`,
      `Selector ${OPENDKIM_SELECTOR}`,
      `KeyFile ${keyFile}`,
      'Canonicalization relaxed/relaxed',
      'SignatureAlgorithm rsa-sha256',
      'Mode s',
      // The key lies under the system's temporary directory, which is world-writable: OpenDKIM refuses such keys
      // unless told otherwise.
      'RequireSafeKeys no',
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/sbin/opendkim', ['-f', '-x', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const forget = undoOnExit(() => child.kill('SIGTERM'));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    forget();
  };
  try {
    await waitFor('the OpenDKIM socket', 15_000, () => {
      if (child.exitCode !== null) throw new Error(`opendkim exited (${child.exitCode}): ${output}`);
      return existsSync(socketPath) ? true : undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    socket: `unix:${socketPath}`,
    record: dkimRecord(createPrivateKey(readFileSync(keyFile)), 'rsa-sha256'),
    cpuSeconds: () => treeCpuSeconds(child.pid!),
    stop,
  };
}
