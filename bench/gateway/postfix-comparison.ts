/**
 * The established alternative on the benchmark's workload: smtp-source → Postfix (its own queue, fsync before the
 * 250, `in_flow_delay = 0`) with OpenDKIM as a milter (RSA-2048, relaxed/relaxed) → smtp-sink. Before each measured
 * run one message goes through the same instance to a capturing sink and dkimpy verifies its signature against the
 * key generated for the run, so the figures are those of a Postfix that really signs.
 */
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyWithDkimpy } from '../../test/support/dkimpy.ts';
import { startSink, type TestSink } from '../../test/support/gateway.ts';
import {
  OPENDKIM_DOMAIN,
  OPENDKIM_SELECTOR,
  openDkimVersion,
  startOpenDkim,
  type OpenDkimMilter,
} from './opendkim-milter.ts';
import { postfixVersion, startPostfixRelay, type PostfixRelay } from './postfix-relay.ts';
import { benchDir } from './exit-cleanup.ts';
import { describeParts, type RunFigures } from './run-figures.ts';
import { runSmtpSource, sourceArgs, startSmtpSink, waitForSink } from './smtp-load.ts';

const VERIFY_DOMAIN = 'verify.bench.test';

/**
 * "Postfix 3.7.11 + OpenDKIM Filter v2.11.0 as a milter"; rejects with what to do when the comparison cannot run
 * here (a tool missing, or not root).
 */
export async function postfixComparisonName(): Promise<string> {
  const missing = ['/usr/sbin/postfix', '/usr/sbin/opendkim', '/usr/sbin/opendkim-genkey'].filter(
    (tool) => !existsSync(tool),
  );
  if (missing.length > 0)
    throw new Error(
      `the Postfix comparison needs ${missing.join(', ')}: run bash scripts/install-test-deps.sh, or leave postfix out of BENCH_CASES`,
    );
  if (process.getuid?.() !== 0)
    throw new Error(
      "the Postfix comparison needs root (Postfix's master starts as root); leave postfix out of BENCH_CASES",
    );
  return `Postfix ${await postfixVersion()} + ${await openDkimVersion()} as a milter`;
}

/** The tags of the first DKIM-Signature field of `message`, or undefined when it has none. */
function firstSignatureTags(message: Buffer): Map<string, string> | undefined {
  const end = message.indexOf('\r\n\r\n');
  // RFC 5322 §2.2.3: unfold before reading the field.
  const header = message
    .subarray(0, end < 0 ? message.length : end)
    .toString('latin1')
    .replace(/\r\n(?=[ \t])/g, '');
  const value = /^DKIM-Signature:(.*)$/im.exec(header)?.[1];
  if (value === undefined) return undefined;
  // RFC 6376 §3.2: tag=value pairs separated by semicolons; whitespace around them is not part of either.
  return new Map(
    value
      .split(';')
      .map((pair) => pair.split('='))
      .filter((kv) => kv.length >= 2)
      .map(([tag, ...rest]) => [tag!.trim(), rest.join('=').replace(/\s+/g, '')]),
  );
}

/**
 * Sends one message through Postfix to `capture` and checks its DKIM-Signature with dkimpy against `milter`'s key.
 * Resolves with a sentence saying what was checked; rejects when the message is unsigned or does not verify.
 */
async function checkPostfixSigns(
  port: number,
  capture: TestSink,
  milter: OpenDkimMilter,
  dir: string,
): Promise<string> {
  await runSmtpSource(sourceArgs(port, 1, 2048, 1, `check@${VERIFY_DOMAIN}`));
  const [message] = await capture.waitFor(1, 60_000);
  const tags = firstSignatureTags(message!.data);
  if (tags === undefined) throw new Error('Postfix relayed the check message without a DKIM-Signature');
  const expected = {
    d: OPENDKIM_DOMAIN,
    s: OPENDKIM_SELECTOR,
    a: 'rsa-sha256',
    c: 'relaxed/relaxed',
  };
  for (const [tag, value] of Object.entries(expected)) {
    if (tags.get(tag) !== value)
      throw new Error(`OpenDKIM signed with ${tag}=${tags.get(tag) ?? '(none)'}, expected ${value}`);
  }
  const records = join(dir, 'dkim-records.json');
  writeFileSync(
    records,
    JSON.stringify({ [`${OPENDKIM_SELECTOR}._domainkey.${OPENDKIM_DOMAIN}.`]: milter.record }),
  );
  const results = await verifyWithDkimpy(message!.data, records, dir);
  if (results.length !== 1 || results[0]?.ok !== true)
    throw new Error(`dkimpy did not verify Postfix's signature: ${JSON.stringify(results)}`);
  return `signed: dkimpy verified a relayed message's DKIM-Signature (d=${OPENDKIM_DOMAIN}, s=${OPENDKIM_SELECTOR}, a=rsa-sha256, c=relaxed/relaxed, h=${tags.get('h') ?? ''}) against this run's key`;
}

/** One measured run: a fresh directory, key, Postfix, OpenDKIM and sinks; all of it gone when it returns. */
export async function runPostfix(messages: number, bodyBytes: number, sessions: number): Promise<RunFigures> {
  const dir = benchDir('senderd-bench-postfix-');
  // Postfix's processes run as the postfix user and reach the milter socket through this directory.
  chmodSync(dir.path, 0o711);
  const stops: Array<() => Promise<void> | void> = [];
  try {
    const sink = await startSmtpSink();
    stops.push(() => sink.stop());
    const capture = await startSink();
    stops.push(() => capture.close());
    const milter = await startOpenDkim(dir.path);
    stops.push(() => milter.stop());
    const relay: PostfixRelay = await startPostfixRelay({
      dir: dir.path,
      relayPort: sink.port,
      milter: milter.socket,
      routes: { [VERIFY_DOMAIN]: capture.port },
    });
    stops.push(() => relay.stop());
    const verified = await checkPostfixSigns(relay.port, capture, milter, dir.path);

    const postfixBefore = relay.cpuSeconds();
    const milterBefore = milter.cpuSeconds();
    const sinkBefore = sink.cpuSeconds();
    const started = performance.now();
    const sourceSeconds = await runSmtpSource(sourceArgs(relay.port, messages, bodyBytes, sessions));
    const acceptedSeconds = (performance.now() - started) / 1000;
    await waitForSink(sink, messages);
    const totalSeconds = (performance.now() - started) / 1000;
    if (sink.count() < messages) console.log(`  only ${sink.count()} of ${messages} reached the sink`);
    const per1000 = 1000 / messages;
    const postfixCpu = (relay.cpuSeconds() - postfixBefore) * per1000;
    const milterCpu = (milter.cpuSeconds() - milterBefore) * per1000;
    return {
      accepted: messages / acceptedSeconds,
      endToEnd: sink.count() / totalSeconds,
      serverCpu: postfixCpu + milterCpu,
      sourceCpu: sourceSeconds * per1000,
      sinkCpu: (sink.cpuSeconds() - sinkBefore) * per1000,
      breakdown: describeParts(
        new Map([
          ['Postfix processes', postfixCpu],
          ['OpenDKIM', milterCpu],
        ]),
      ),
      verified,
    };
  } finally {
    // Postfix first: it holds connections to the milter and the sinks.
    for (const stop of stops.reverse()) await stop();
    dir.remove();
  }
}
