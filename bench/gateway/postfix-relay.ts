/**
 * A throwaway Postfix instance for the comparison: its own config_directory, queue_directory and log file in the
 * run's directory, one smtpd on a free port of 127.0.0.1 with a milter, and every message relayed to one host.
 * The master runs in the foreground (`master -d`) as the leader of its own process group, so stopping it stops every
 * Postfix process, and a benchmark that ends early takes the group with it.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../test/support/ports.ts';
import { POSTFIX_SERVICES as SERVICES } from '../../test/support/postfix.ts';
import { run } from '../../test/support/tools.ts';
import { waitFor } from '../dns/processes.ts';
import { treeCpuSeconds } from './cpu.ts';
import { undoOnExit } from './exit-cleanup.ts';
import { waitForListener } from './smtp-load.ts';

export interface PostfixRelayOptions {
  readonly dir: string;
  /** Where every message goes (relayhost). */
  readonly relayPort: number;
  /** For Postfix's smtpd_milters, e.g. `unix:/tmp/x/opendkim.sock`. */
  readonly milter: string;
  /** Recipient domains relayed elsewhere (transport_maps): domain → port on 127.0.0.1. */
  readonly routes?: Readonly<Record<string, number>>;
}

export interface PostfixRelay {
  readonly port: number;
  /**
   * CPU seconds used so far by the master and every Postfix process: the live ones, and through the master's
   * cutime/cstime the short-lived ones it has reaped (cleanup and smtp exit every 100 messages).
   */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

export async function postfixVersion(): Promise<string> {
  return (await run('/usr/sbin/postconf', ['-h', '-d', 'mail_version'])).stdout.trim();
}

export async function startPostfixRelay(options: PostfixRelayOptions): Promise<PostfixRelay> {
  const { dir } = options;
  const config = join(dir, 'postfix');
  const log = join(dir, 'maillog');
  mkdirSync(config);
  // `postfix check` makes the queue's subdirectories with their owners, not the queue directory itself.
  mkdirSync(join(dir, 'queue'));
  const port = await freePort();
  const transport = join(config, 'transport');
  writeFileSync(
    transport,
    Object.entries(options.routes ?? {})
      .map(([domain, to]) => `${domain} smtp:[127.0.0.1]:${to}\n`)
      .join(''),
  );
  writeFileSync(
    join(config, 'main.cf'),
    [
      'compatibility_level = 3.6',
      `queue_directory = ${join(dir, 'queue')}`,
      `data_directory = ${join(dir, 'data')}`,
      // There is no syslog to rely on: Postfix logs to a file (postlogd), allowed by the prefix.
      `maillog_file = ${log}`,
      `maillog_file_prefixes = ${dir}`,
      'myhostname = postfix.bench.test',
      'mydestination =',
      'alias_maps =',
      'alias_database =',
      'inet_interfaces = 127.0.0.1',
      'inet_protocols = ipv4',
      'mynetworks = 127.0.0.0/8',
      'smtpd_relay_restrictions = permit_mynetworks, reject',
      // No reverse lookup of 127.0.0.1: no test traffic leaves the machine.
      'smtpd_peername_lookup = no',
      `relayhost = [127.0.0.1]:${options.relayPort}`,
      `transport_maps = texthash:${transport}`,
      // The default (1s) pauses smtpd before each message while mail arrives faster than it leaves: a brake senderd
      // does not have, and the comparison is about throughput.
      'in_flow_delay = 0',
      `smtpd_milters = ${options.milter}`,
      // A message the milter could not sign is refused with a 4xx, never passed on unsigned.
      'milter_default_action = tempfail',
      '',
    ].join('\n'),
  );
  writeFileSync(join(config, 'master.cf'), `127.0.0.1:${port} inet  n  -  n  -  -  smtpd\n${SERVICES}`);
  const check = await run('/usr/sbin/postfix', ['-c', config, 'check']);
  const logText = () => {
    try {
      return readFileSync(log, 'utf8');
    } catch {
      return '(no log)';
    }
  };
  if (check.code !== 0) throw new Error(`postfix check failed (${check.code}): ${check.stderr}${logText()}`);
  const daemons = (await run('/usr/sbin/postconf', ['-c', config, '-h', 'daemon_directory'])).stdout.trim();
  const master = spawn(join(daemons, 'master'), ['-d', '-c', config], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let masterErrors = '';
  master.stderr.on('data', (c: Buffer) => (masterErrors += c.toString()));
  const group = master.pid!;
  const forget = undoOnExit(() => process.kill(-group, 'SIGTERM'));
  const exited = new Promise<void>((resolve) => master.once('exit', () => resolve()));
  const stop = async () => {
    if (groupAlive(group)) process.kill(-group, 'SIGTERM');
    await exited;
    // The master signals its children and exits at once; wait until the last of them has gone too.
    await waitFor('the Postfix processes to exit', 15_000, () => (groupAlive(group) ? undefined : true));
    forget();
  };
  try {
    await waitForListener(port, 'Postfix smtpd');
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${masterErrors}${logText()}`, { cause: error });
  }
  return { port, cpuSeconds: () => treeCpuSeconds(group), stop };
}
