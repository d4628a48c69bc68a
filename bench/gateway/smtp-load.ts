/**
 * The benchmark's load: Postfix's smtp-source sends, Postfix's smtp-sink takes. Both are the same for every server
 * under test (senderd's gateway, Postfix with OpenDKIM), so the figures differ only by what sits between them.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '../../test/support/ports.ts';
import { treeCpuSeconds } from './cpu.ts';
import { undoOnExit } from './exit-cleanup.ts';

export interface SmtpSink {
  readonly port: number;
  readonly pid: number;
  /** Messages taken so far (smtp-sink's -c output: "mesg=N"). */
  count(): number;
  /** CPU seconds the sink has used so far. */
  cpuSeconds(): number;
  stop(): void;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port, or rejects after `ms`. */
export async function waitForListener(port: number, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${ms} ms`);
    // Nothing to wait on but the listener itself: look again shortly.
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Postfix smtp-sink on a free port, with a live count of the messages it took. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const port = await freePort();
  const sink = spawn('/usr/sbin/smtp-sink', ['-c', '-u', 'root', `127.0.0.1:${port}`, '1000'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let count = 0;
  sink.stdout.on('data', (c: Buffer) => {
    const all = [...c.toString().matchAll(/mesg=(\d+)/g)];
    if (all.length > 0) count = Number(all[all.length - 1]![1]);
  });
  const forget = undoOnExit(() => sink.kill('SIGTERM'));
  const stop = () => {
    sink.kill('SIGTERM');
    forget();
  };
  try {
    await waitForListener(port, 'smtp-sink', 10_000);
  } catch (error) {
    stop();
    throw error;
  }
  return { port, pid: sink.pid!, count: () => count, cpuSeconds: () => treeCpuSeconds(sink.pid!), stop };
}

/** Resolves once the sink has taken `messages`, or after five minutes (the caller reports a shortfall). */
export async function waitForSink(sink: SmtpSink, messages: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (sink.count() < messages && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
}

/** smtp-source arguments: `messages` of `bodyBytes` over `sessions` connections kept open (-d), one recipient. */
export function sourceArgs(
  port: number,
  messages: number,
  bodyBytes: number,
  sessions: number,
  recipient = 'sink@sink.test',
  /** A whole message to send instead of smtp-source's own (`-F`; its lines end in LF, smtp-source sends CRLF). */
  messageFile?: string,
): string[] {
  return [
    '-d',
    '-s',
    String(sessions),
    '-m',
    String(messages),
    ...(messageFile === undefined ? ['-l', String(bodyBytes)] : ['-F', messageFile]),
    '-f',
    'bench@example.com',
    '-t',
    recipient,
    `127.0.0.1:${port}`,
  ];
}

/**
 * smtp-source under a shell whose `times` reports the CPU its finished child used (user and system, the second
 * line: "0m1.230s 0m0.450s"). Resolves with those CPU seconds once every message has been sent; rejects when
 * smtp-source fails (it gives up on the first reply that is not a success, a 4xx from a milter included).
 */
export async function runSmtpSource(args: readonly string[]): Promise<number> {
  const child = spawn('/bin/sh', ['-c', '/usr/sbin/smtp-source "$@" && times', 'sh', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`smtp-source failed (${code})`);
  const seconds = [...(out.trim().split('\n')[1] ?? '').matchAll(/(\d+)m([\d.]+)s/g)].map(
    (m) => Number(m[1]) * 60 + Number(m[2]),
  );
  return seconds.reduce((a, b) => a + b, 0);
}
