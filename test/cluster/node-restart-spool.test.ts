/**
 * A gateway node over the shared PostgreSQL store (issue 20) accepts a message by real submission (STARTTLS, then
 * AUTH with an SMTP credential) while its destination is down, is killed with SIGKILL, and is started again on the
 * same data directory: the message waits in the node's own spool, and once the destination is up it is delivered
 * exactly once. (The gateway runs as test/support/gateway-process.ts, a node with only the gateway component, since
 * `senderd start` has no active DKIM key before its rotation publishes one.) Runs in the PostgreSQL pass of
 * `npm test` (scripts/test.sh picks it by storeFlags()).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import nodemailer from 'nodemailer';
import { openServices } from '../../src/main.ts';
import { prepareGatewayChild, spawnGatewayChild, type GatewayChild } from '../support/gateway-child.ts';
import { startSink, type TestSink } from '../support/gateway.ts';
import { corpusPublicSuffixes, storeFlags, tempDir, testConfig } from '../support/node.ts';

const onPostgres = process.env.TEST_STORE === 'postgres';

/** A port nothing listens on (taken from the kernel, then let go). */
async function downPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

test(
  'SIGKILL with a message in the spool for a destination that is down: delivered exactly once after the restart',
  { skip: onPostgres ? false : 'needs PostgreSQL: the PostgreSQL pass of npm test runs it', timeout: 60_000 },
  async () => {
    const dir = tempDir('senderd-cluster-spool-');
    const store = await storeFlags();
    const port = await downPort();
    let gateway: GatewayChild | undefined;
    let sink: TestSink | undefined;
    try {
      const spec = await prepareGatewayChild({
        dir: dir.path,
        smarthostPort: port,
        algorithms: ['rsa-sha256'],
        flags: store,
      });
      const services = await openServices(testConfig(dir.path, store), {
        publicSuffixes: corpusPublicSuffixes(),
      });
      let user: string;
      let pass: string;
      try {
        const tenant = await services.accounts.tenantByName('acme');
        const created = await services.smtpCredentials.create(tenant.id, 'restart-test');
        user = created.credential.username;
        pass = created.password;
      } finally {
        await services.close();
      }

      gateway = await spawnGatewayChild(spec);
      const client = nodemailer.createTransport({
        host: '127.0.0.1',
        port: gateway.submissionPort,
        secure: false,
        requireTLS: true,
        auth: { user, pass },
        // The gateway's certificate is the self-signed one it made in its data directory.
        tls: { rejectUnauthorized: false },
      });
      const sent = await client.sendMail({
        from: 'app@example.com',
        to: 'someone@sink.test',
        subject: 'spooled across a SIGKILL',
        headers: { 'X-Test-Id': 'spool-1' },
        text: 'This waits in the spool while its destination is down.\n',
      });
      client.close();
      assert.match(sent.response, /^250 /);

      // A few attempts against the closed port, so the message is deferred in the spool, then SIGKILL.
      await sleep(1500);
      gateway.child.kill('SIGKILL');
      await gateway.exited;

      gateway = await spawnGatewayChild(spec);
      sink = await startSink({ port });
      const [message] = await sink.waitFor(1, 20_000);
      const text = message!.data.toString('latin1');
      assert.match(text, /^X-Test-Id: spool-1\r$/im);
      assert.match(text, /with ESMTPSA id /, 'submitted over TLS with AUTH');
      assert.match(text, /^DKIM-Signature: /m);
      // Several retry periods more (gateway.retry.maxDelaySeconds=1): no second copy.
      await sleep(3000);
      assert.equal(sink.messages.length, 1, 'delivered exactly once');
    } finally {
      if (gateway) {
        gateway.child.kill('SIGTERM');
        await gateway.exited;
      }
      await sink?.close();
      dir.remove();
    }
  },
);
