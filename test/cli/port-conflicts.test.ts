/**
 * `senderd start` as a service manager runs it, with several listeners' ports taken (issue 15 item 9): every
 * conflict is reported at once, each with its listener, address, port and config key, without a stack trace,
 * and the process exits 13 (not 7, the instance lock's code) without having started anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { senderdFlags } from '../support/senderd-process.ts';
import { tempDir, testConfig } from '../support/node.ts';

const SENDERD = new URL('../../bin/senderd', import.meta.url).pathname;

const tcp = () =>
  new Promise<Server>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
const udp = () =>
  new Promise<Socket>((resolve) => {
    const s = createSocket('udp4');
    s.bind(0, '127.0.0.1', () => resolve(s));
  });

test('start with three ports taken lists all three at once, with their config keys, and no stack trace', async () => {
  const dir = tempDir();
  testConfig(dir.path);
  const http = await tcp();
  const inbound = await tcp();
  const dns = await udp();
  const portOf = (s: Server) => (s.address() as AddressInfo).port;
  try {
    const flags = senderdFlags(dir.path, [
      'http.enabled=true',
      'http.host=127.0.0.1',
      `http.port=${portOf(http)}`,
      'inbound.host=127.0.0.1',
      `inbound.port=${portOf(inbound)}`,
      `dns.port=${dns.address().port}`,
      'log.format=json',
    ]);
    const result = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      execFile(SENDERD, [...flags, 'start'], { timeout: 60_000 }, (error, out, err) =>
        resolve({ code: error === null ? 0 : ((error as { code?: number }).code ?? null), out, err }),
      );
    });
    const all = result.out + result.err;
    assert.equal(result.code, 13, all);
    assert.doesNotMatch(all, /\n\s+at [\w.<]+ \(|"stack"/, 'no stack trace anywhere');
    assert.match(result.err, /3 listeners cannot start/);
    assert.match(result.err, new RegExp(`http\\s+127\\.0\\.0\\.1:${portOf(http)}\\s+in use\\s+http\\.port`));
    assert.match(
      result.err,
      new RegExp(`inbound\\s+127\\.0\\.0\\.1:${portOf(inbound)}\\s+in use\\s+inbound\\.port`),
    );
    assert.match(
      result.err,
      new RegExp(`dns \\(udp\\)\\s+127\\.0\\.0\\.1:${dns.address().port}\\s+in use\\s+dns\\.port`),
    );
    assert.match(result.err, /SENDERD_HTTP_PORT=/);
    assert.doesNotMatch(all, /"msg":"listening"/, 'nothing started');
  } finally {
    http.close();
    inbound.close();
    dns.close();
    dir.remove();
  }
});
