import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { runCli } from '../../src/cli/index.ts';
import { quietLogger } from '../../src/core/index.ts';
import { parseUnsubscribeAddress, type MailResolver } from '../../src/gateway/index.ts';
import { startNode } from '../../src/main.ts';
import { verpKeyOnce } from '../../src/node-components.ts';
import { verifyLinkToken, type LinkTokenKeys } from '../../src/tracking/index.ts';
import { verifyWithDkimpy } from '../support/dkimpy.ts';
import { corpusPublicSuffixes } from '../support/node.ts';
import { startHarness, waitForTrace, type Harness } from './harness.ts';

/**
 * The sending side of click tracking and of the bulk stream, end to end: a real node's gateway takes a message
 * over SMTP, makes each recipient's copy (tracked links with that recipient's tokens, its own RFC 8058
 * List-Unsubscribe, a Feedback-ID), signs each copy, spools and delivers it to an SMTP sink; dkimpy verifies every
 * copy as received, and the tokens are read back with the platform's link-token key.
 */

const HTML = [
  '<html><body>',
  '<p><a href="https://shop.example/sale?utm=1&amp;x=2">Sale</a></p>',
  '<p><a href="mailto:help@news.example">Mail us</a> or <a href="tel:+15551234">call</a></p>',
  '<p><a href="https://news.example/unsubscribe?u=1">Unsubscribe</a> <a href="#top">Top</a></p>',
  '<p><a href="http://blog.example/post">Blog</a></p>',
  '</body></html>',
].join('\r\n');

function rawMessage(from: string, to: readonly string[], extra: readonly string[] = []): string {
  return [
    `From: Newsletter <${from}>`,
    `To: ${to.join(', ')}`,
    'Subject: This week',
    'MIME-Version: 1.0',
    ...extra,
    'Content-Type: multipart/alternative; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'Sale: https://shop.example/sale',
    'Mail us: mailto:help@news.example',
    '',
    '--b1',
    'Content-Type: text/html; charset=us-ascii',
    '',
    HTML,
    '--b1--',
    '',
  ].join('\r\n');
}

const RECIPIENTS = ['ann@sink.test', 'bob@sink.test', 'cat@sink.test'];

function headerOf(data: Buffer): string {
  const text = data.toString('latin1');
  return text.slice(0, text.indexOf('\r\n\r\n') + 2);
}

function field(header: string, name: string): string[] {
  const out: string[] = [];
  for (const m of header.matchAll(new RegExp(`^${name}:(.*(?:\\r\\n[ \\t].*)*)\\r\\n`, 'gim')))
    out.push(m[1]!.replace(/\r\n/g, '').trim());
  return out;
}

/** The h= names of each DKIM-Signature, lower case. */
function signedNames(header: string): string[][] {
  return field(header, 'dkim-signature').map((sig) => {
    const h = /(?:^|;)\s*h=([^;]*)/.exec(sig)![1]!;
    return h.split(':').map((n) => n.trim().toLowerCase());
  });
}

async function keysOf(h: Harness): Promise<{ links: LinkTokenKeys; verp: Buffer }> {
  const services = h.node.node.services;
  return { links: await services.tracking.keys(), verp: await verpKeyOnce(services)() };
}

async function sendRaw(h: Harness, from: string, to: readonly string[], extra: readonly string[] = []) {
  return h.send({ envelope: { from, to: [...to] }, raw: rawMessage(from, to, extra) });
}

test('bulk domain with click tracking: each recipient gets its own copy, signed, with its own tokens and List-Unsubscribe', async () => {
  const h = await startHarness({
    domains: [
      {
        name: 'news.example',
        keys: [
          ['rsa-sha256', 'sd1'],
          ['ed25519-sha256', 'sd2'],
        ],
      },
      { name: 'shop.example', keys: [['rsa-sha256', 'sd1']] },
    ],
  });
  try {
    const s = h.node.node.services;
    await s.domains.update(h.tenantId, 'news.example', {
      sending: { clicks: true, bulk: true, feedbackId: 'weekly:acme' },
    });
    const { links, verp } = await keysOf(h);
    // The application's control field goes before signing: here it asks for clicks only (the domain's choice too).
    const sent = await sendRaw(h, 'letters@news.example', RECIPIENTS, ['X-Senderd-Tracking: clicks']);
    assert.match(sent.response, /^250 /);
    const received = await h.sink.waitFor(3);
    const byRecipient = new Map(received.map((m) => [m.rcptTo[0]!, m]));
    assert.deepEqual([...byRecipient.keys()].sort(), RECIPIENTS);

    const bodies = new Set<string>();
    for (const [index, address] of RECIPIENTS.entries()) {
      const message = byRecipient.get(address)!;
      const header = headerOf(message.data);
      const text = message.data.toString('latin1');
      bodies.add(text.slice(text.indexOf('\r\n\r\n')));

      // Every signature of this copy verifies independently, after the rewriting.
      const dkimpy = await verifyWithDkimpy(message.data, h.dns.dkimpyRecordsFile, h.node.config.dataDir);
      assert.deepEqual(
        dkimpy.map((r) => [r.ok, r.domain, r.selector]),
        [
          [true, 'news.example', 'sd1'],
          [true, 'news.example', 'sd2'],
        ],
        JSON.stringify(dkimpy),
      );
      // RFC 8058 §4: both fields are covered (and oversigned, so none can be added after us).
      for (const names of signedNames(header)) {
        assert.equal(names.filter((n) => n === 'list-unsubscribe').length, 2, names.join(':'));
        assert.equal(names.filter((n) => n === 'list-unsubscribe-post').length, 2, names.join(':'));
        assert.ok(names.includes('feedback-id'), names.join(':'));
      }
      assert.doesNotMatch(header, /^x-senderd-/im, 'the control field is gone');
      assert.deepEqual(field(header, 'list-unsubscribe-post'), ['List-Unsubscribe=One-Click']);
      assert.deepEqual(field(header, 'feedback-id'), [`weekly:acme:${h.tenantId}`]);

      // List-Unsubscribe: the one-click HTTPS URL on the click host, and the mailto on the bounce host.
      const [listUnsubscribe] = field(header, 'list-unsubscribe');
      const m = /^<https:\/\/clicks\.news\.example\/u\/([A-Za-z0-9_-]+)>, <mailto:([^>]+)>$/.exec(
        listUnsubscribe ?? '',
      );
      assert.ok(m, listUnsubscribe);
      const unsubscribe = verifyLinkToken(links, m[1]!);
      assert.ok(unsubscribe.ok);
      assert.equal(unsubscribe.value.kind, 'unsubscribe');
      assert.equal(unsubscribe.value.messageId, sent.id);
      assert.equal(unsubscribe.value.recipientId, String(index));
      assert.match(m[2]!, /@bounce\.news\.example$/);
      assert.deepEqual(parseUnsubscribeAddress(verp, m[2]!), { messageId: sent.id, recipient: index });

      // Links: the http(s) ones lead through the click host with this recipient's tokens; the rest are untouched.
      const tokens = [...text.matchAll(/https:\/\/clicks\.news\.example\/c\/([A-Za-z0-9_-]+)/g)].map(
        (t) => t[1]!,
      );
      const targets = tokens.map((token) => {
        const claims = verifyLinkToken(links, token);
        assert.ok(claims.ok);
        assert.equal(claims.value.kind, 'click');
        assert.equal(claims.value.messageId, sent.id);
        assert.equal(claims.value.recipientId, String(index));
        return claims.value.url;
      });
      assert.deepEqual(targets, [
        'https://shop.example/sale',
        'https://shop.example/sale?utm=1&x=2',
        'http://blog.example/post',
      ]);
      assert.ok(text.includes('href="mailto:help@news.example"'));
      assert.ok(text.includes('href="tel:+15551234"'));
      assert.ok(text.includes('href="https://news.example/unsubscribe?u=1"'));
      assert.ok(text.includes('href="#top"'));
      assert.ok(text.includes('Mail us: mailto:help@news.example'));
      assert.ok(!text.includes('https://shop.example/sale'), 'no tracked link is left as it was');
    }
    assert.equal(bodies.size, 3, 'each recipient has its own tokens');

    // The trace names the recipients in the order the tokens' indexes refer to.
    const trace = await waitForTrace(h, sent.id, 'delivered');
    assert.deepEqual(
      trace.message.recipients.map((r: { address: string }) => r.address),
      RECIPIENTS,
    );
  } finally {
    await h.close();
  }
});

test('a message with its own List-Unsubscribe keeps it; a domain with nothing on is sent as submitted', async () => {
  const h = await startHarness({
    domains: [
      { name: 'news.example', keys: [['rsa-sha256', 'sd1']] },
      { name: 'shop.example', keys: [['rsa-sha256', 'sd1']] },
    ],
  });
  try {
    const s = h.node.node.services;
    await s.domains.update(h.tenantId, 'news.example', { sending: { bulk: true } });
    const own = '<https://news.example/leave?id=7>, <mailto:leave@news.example>';
    await sendRaw(
      h,
      'letters@news.example',
      ['ann@sink.test', 'bob@sink.test'],
      [`List-Unsubscribe: ${own}`],
    );
    // shop.example has every sending option off: no control field is needed to keep links as they are, and a
    // control field that asks for nothing is still removed.
    await sendRaw(h, 'orders@shop.example', ['cat@sink.test'], ['X-Senderd-Stream: transactional']);
    const received = await h.sink.waitFor(3);
    for (const message of received) {
      const header = headerOf(message.data);
      const dkimpy = await verifyWithDkimpy(message.data, h.dns.dkimpyRecordsFile, h.node.config.dataDir);
      assert.ok(
        dkimpy.every((r) => r.ok),
        JSON.stringify(dkimpy),
      );
      assert.doesNotMatch(header, /^x-senderd-/im);
      assert.doesNotMatch(header, /^list-unsubscribe-post:/im);
      assert.doesNotMatch(header, /^feedback-id:/im);
      const text = message.data.toString('latin1');
      assert.ok(text.includes('href="https://shop.example/sale?utm=1&amp;x=2"'), 'links untouched');
      if (message.rcptTo[0] === 'cat@sink.test') assert.deepEqual(field(header, 'list-unsubscribe'), []);
      else assert.deepEqual(field(header, 'list-unsubscribe'), [own]);
    }
    // The two recipients of the message that kept its own List-Unsubscribe got the same bytes (one copy).
    const news = received
      .filter((m) => m.rcptTo[0] !== 'cat@sink.test')
      .map((m) => m.data.toString('latin1'));
    assert.equal(news[0], news[1]);
  } finally {
    await h.close();
  }
});

test('per message: X-Senderd-Tracking and X-Senderd-Stream turn tracking on for one message, and a bad value is refused', async () => {
  const h = await startHarness({ domains: [{ name: 'shop.example', keys: [['rsa-sha256', 'sd1']] }] });
  try {
    const { links } = await keysOf(h);
    await sendRaw(
      h,
      'orders@shop.example',
      ['ann@sink.test'],
      ['X-Senderd-Tracking: clicks, opens', 'X-Senderd-Stream: bulk'],
    );
    const [message] = await h.sink.waitFor(1);
    const text = message!.data.toString('latin1');
    const header = headerOf(message!.data);
    const dkimpy = await verifyWithDkimpy(message!.data, h.dns.dkimpyRecordsFile, h.node.config.dataDir);
    assert.ok(dkimpy.length === 1 && dkimpy[0]!.ok, JSON.stringify(dkimpy));
    assert.doesNotMatch(header, /^x-senderd-/im);
    assert.match(field(header, 'list-unsubscribe')[0] ?? '', /^<https:\/\/clicks\.shop\.example\/u\//);
    const pixel = /<img src="https:\/\/clicks\.shop\.example\/o\/([A-Za-z0-9_-]+)"/.exec(text);
    assert.ok(pixel, 'the open pixel is in the HTML part');
    const open = verifyLinkToken(links, pixel[1]!);
    assert.ok(open.ok && open.value.kind === 'open' && open.value.recipientId === '0');
    assert.match(text, /href="https:\/\/clicks\.shop\.example\/c\//);

    await assert.rejects(
      sendRaw(h, 'orders@shop.example', ['ann@sink.test'], ['X-Senderd-Tracking: everything']),
      /554 5\.6\.0 X-Senderd-Tracking must be/,
    );
  } finally {
    await h.close();
  }
});

test('personalised copies survive a restart: each recipient still gets its own signed copy from the spool', async () => {
  let open = false;
  const h = await startHarness({
    domains: [{ name: 'news.example', keys: [['rsa-sha256', 'sd1']] }],
    // Deferred until the node has restarted: delivery then reads each copy back from the spool.
    sinkDecide: () => (open ? null : { code: 451, text: '4.3.0 try later' }),
    set: ['gateway.retry.firstDelaySeconds=0.2', 'gateway.retry.maxDelaySeconds=0.5'],
  });
  let second: Awaited<ReturnType<typeof startNode>> | undefined;
  try {
    const s = h.node.node.services;
    await s.domains.update(h.tenantId, 'news.example', { sending: { clicks: true, bulk: true } });
    const { links } = await keysOf(h);
    const sent = await sendRaw(h, 'letters@news.example', RECIPIENTS);
    await waitForTrace(h, sent.id, 'queued');
    await h.node.node.stop();
    open = true;
    const resolver: MailResolver = {
      resolveMx: (d) => h.dns.gateway.resolveMx(d),
      resolveAddresses: (a) => h.dns.gateway.resolveAddresses(a),
    };
    second = await startNode(h.node.config, quietLogger(), {
      publicSuffixes: corpusPublicSuffixes(),
      signingKeys: h.keys,
      mailResolver: resolver,
    });
    const received = await h.sink.waitFor(3, 20_000);
    const seen = new Set<string>();
    for (const message of received) {
      const index = RECIPIENTS.indexOf(message.rcptTo[0]!);
      assert.ok(index >= 0);
      seen.add(message.rcptTo[0]!);
      const dkimpy = await verifyWithDkimpy(message.data, h.dns.dkimpyRecordsFile, h.node.config.dataDir);
      assert.ok(dkimpy.length === 1 && dkimpy[0]!.ok, JSON.stringify(dkimpy));
      const text = message.data.toString('latin1');
      const token = /https:\/\/clicks\.news\.example\/c\/([A-Za-z0-9_-]+)/.exec(text)![1]!;
      const claims = verifyLinkToken(links, token);
      assert.ok(
        claims.ok && claims.value.recipientId === String(index) && claims.value.messageId === sent.id,
      );
    }
    assert.equal(seen.size, 3);
  } finally {
    await second?.stop();
    await h.close();
  }
});

test('the sending settings through the API (PATCH of the domain) and the CLI (domain set)', async () => {
  const h = await startHarness({ domains: [{ name: 'news.example', keys: [['rsa-sha256', 'sd1']] }] });
  try {
    const patch = (body: unknown) =>
      fetch(`${h.node.http}/v1/domains/news.example`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${h.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const fresh = await fetch(`${h.node.http}/v1/domains/news.example`, {
      headers: { authorization: `Bearer ${h.apiKey}` },
    });
    assert.equal(((await fresh.json()) as any).settings.sending, undefined, 'all off by default');
    const on = await patch({ sending: { clicks: true, bulk: true, feedbackId: 'weekly:acme' } });
    assert.equal(on.status, 200);
    assert.deepEqual(((await on.json()) as any).settings.sending, {
      clicks: true,
      opens: false,
      bulk: true,
      feedbackId: 'weekly:acme',
    });
    // A field not given keeps its value.
    const opens = await patch({ sending: { opens: true } });
    assert.deepEqual(((await opens.json()) as any).settings.sending, {
      clicks: true,
      opens: true,
      bulk: true,
      feedbackId: 'weekly:acme',
    });
    const noHost = await patch({ tracking: false });
    assert.equal(noHost.status, 422, 'tracking needs the click host');
    assert.match(JSON.stringify(await noHost.json()), /need the click host/);
    const badId = await patch({ sending: { feedbackId: 'a:b:c:d' } });
    assert.equal(badId.status, 422);

    const cli = await runCliHere(h, [
      'domain',
      'set',
      'news.example',
      '--tenant',
      'acme',
      '--no-clicks',
      '--no-opens',
      '--no-bulk',
      '--feedback-id',
      'none',
    ]);
    assert.equal(cli.code, 0, cli.err);
    assert.match(cli.out, /click tracking\s+off/);
    assert.match(cli.out, /stream\s+transactional/);
    const off = await fetch(`${h.node.http}/v1/domains/news.example`, {
      headers: { authorization: `Bearer ${h.apiKey}` },
    });
    assert.equal(((await off.json()) as any).settings.sending, undefined, 'all off again');
    const bulk = await runCliHere(h, ['domain', 'set', 'news.example', '--tenant', 'acme', '--bulk']);
    assert.equal(bulk.code, 0, bulk.err);
    assert.match(bulk.out, /stream\s+bulk/);
  } finally {
    await h.close();
  }
});

async function runCliHere(h: Harness, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({ write: (c: Buffer, _e, done) => (append(c.toString()), done()) });
  const flags = [
    '--set',
    `dataDir=${h.node.config.dataDir}`,
    '--set',
    `domains.publicSuffixList=${h.node.config.domains.publicSuffixList}`,
  ];
  const code = await runCli([...flags, ...argv], {
    env: {},
    cwd: h.node.config.dataDir,
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
  });
  return { code, out, err };
}
