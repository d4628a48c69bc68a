/**
 * One measured run of senderd's gateway (a child process over a fresh data directory, relaying to smtp-sink), and the
 * reference run with nothing between smtp-source and smtp-sink.
 */
import type { DomainSettingsInput } from '../../src/domains/index.ts';
import { prepareGatewayChild, spawnGatewayChild } from '../../test/support/gateway-child.ts';
import { threadCpuSeconds, treeCpuSeconds } from './cpu.ts';
import { benchDir, undoOnExit } from './exit-cleanup.ts';
import { describeParts, type RunFigures } from './run-figures.ts';
import { runSmtpSource, sourceArgs, startSmtpSink, waitForSink } from './smtp-load.ts';

/** smtp-source straight into smtp-sink: what an SMTP round trip costs here, with no server between. */
export async function runReference(
  messages: number,
  bodyBytes: number,
  sessions: number,
): Promise<RunFigures> {
  const sink = await startSmtpSink();
  try {
    const sinkBefore = sink.cpuSeconds();
    const started = performance.now();
    const sourceSeconds = await runSmtpSource(sourceArgs(sink.port, messages, bodyBytes, sessions));
    const seconds = (performance.now() - started) / 1000;
    await waitForSink(sink, messages);
    const per1000 = 1000 / messages;
    return {
      accepted: messages / seconds,
      endToEnd: messages / seconds,
      serverCpu: 0,
      sourceCpu: sourceSeconds * per1000,
      sinkCpu: (sink.cpuSeconds() - sinkBefore) * per1000,
      breakdown: '',
      verified: '',
    };
  } finally {
    sink.stop();
  }
}

/** smtp-source → the gateway's relay port, signing with `algorithms` → smtp-sink. */
export async function runGateway(
  algorithms: Array<'rsa-sha256' | 'ed25519-sha256'>,
  messages: number,
  bodyBytes: number,
  sessions: number,
  options: {
    readonly messageFile?: string;
    readonly domainSettings?: DomainSettingsInput;
    /** Entries on the tenant's suppression list before the run (the recipients are never among them). */
    readonly suppressions?: number;
  } = {},
): Promise<RunFigures> {
  const dir = benchDir('senderd-bench-');
  // The sink and the directory go whatever happens, also when the gateway does not start.
  try {
    const sink = await startSmtpSink();
    try {
      const spec = await prepareGatewayChild({
        dir: dir.path,
        smarthostPort: sink.port,
        algorithms,
        flags: ['gateway.limits.maxMessageBytes=52428800'],
        ...(options.domainSettings === undefined ? {} : { domainSettings: options.domainSettings }),
        ...(options.suppressions === undefined ? {} : { suppressions: options.suppressions }),
      });
      const gateway = await spawnGatewayChild(spec);
      const pid = gateway.child.pid!;
      const forget = undoOnExit(() => gateway.child.kill('SIGTERM'));
      try {
        const gatewayBefore = treeCpuSeconds(pid);
        const threadsBefore = threadCpuSeconds(pid);
        const sinkBefore = sink.cpuSeconds();
        const started = performance.now();
        const sourceSeconds = await runSmtpSource(
          sourceArgs(gateway.relayPort, messages, bodyBytes, sessions, undefined, options.messageFile),
        );
        const acceptedSeconds = (performance.now() - started) / 1000;
        await waitForSink(sink, messages);
        const totalSeconds = (performance.now() - started) / 1000;
        const per1000 = 1000 / messages;
        const threads = new Map(
          [...threadCpuSeconds(pid)].map(([name, seconds]) => [
            name,
            (seconds - (threadsBefore.get(name) ?? 0)) * per1000,
          ]),
        );
        if (sink.count() < messages) console.log(`  only ${sink.count()} of ${messages} reached the sink`);
        return {
          accepted: messages / acceptedSeconds,
          endToEnd: sink.count() / totalSeconds,
          serverCpu: (treeCpuSeconds(pid) - gatewayBefore) * per1000,
          sourceCpu: sourceSeconds * per1000,
          sinkCpu: (sink.cpuSeconds() - sinkBefore) * per1000,
          breakdown: describeParts(threads),
          verified: '',
        };
      } finally {
        gateway.child.kill('SIGTERM');
        await gateway.exited;
        forget();
      }
    } finally {
      sink.stop();
    }
  } finally {
    dir.remove();
  }
}
