/**
 * Intake end to end on a real node: SMTP with a real client (nodemailer) and raw sockets, HTTP upload with fetch,
 * the same report by both paths (a duplicate), relay attempts, size limits, attribution and tenant isolation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { createTransport } from 'nodemailer';
import { gzipSync } from 'node:zlib';
import { CORPUS, startTestNode, type TestNode } from '../support/node.ts';
import { goodReport } from './hostile-inputs.ts';

function smtpPort(t: TestNode): number {
  const inbound = t.node.components.find((c) => c.name === 'inbound');
  assert.ok(inbound, 'the inbound component runs');
  return Number(new URL(inbound.address).port);
}

async function tenantWithKey(t: TestNode, name: string, domains: string[]) {
  const tenant = await t.services.accounts.addTenant(name);
  const { key } = await t.services.accounts.createApiKey(tenant.id, 'test');
  const added = [];
  for (const d of domains) added.push(await t.services.domains.add(tenant.id, d, {}));
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${t.http}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers } });
  return { tenant, key, domains: added, api };
}

function mailer(port: number) {
  return createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    tls: { rejectUnauthorized: false },
  });
}

/** Speaks SMTP over a raw socket: sends each line after the previous reply, returns every reply. */
function rawSmtp(port: number, lines: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const replies: string[] = [];
    let buffer = '';
    let next = 0;
    socket.on('data', (d) => {
      buffer += d.toString('latin1');
      for (let nl = buffer.indexOf('\r\n'); nl >= 0; nl = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        if (/^\d{3}-/.test(line)) continue;
        replies.push(line);
        if (next < lines.length) socket.write(lines[next++]! + '\r\n');
        else socket.end();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(replies));
  });
}

test('SMTP intake: a report to <token>@reports.<zone> is stored; the same report uploaded later is a duplicate', async () => {
  const t = await startTestNode();
  try {
    const acme = await tenantWithKey(t, 'acme', ['example.com']);
    const token = acme.domains[0]!.token;
    const report = goodReport('example.com', 'same-report-two-paths');
    const info = await mailer(smtpPort(t)).sendMail({
      from: 'dmarc-noreply@example.net',
      to: `${token}@${t.services.platform.reportsHost}`,
      subject: 'Report domain: example.com Submitter: example.net',
      text: 'A DMARC aggregate report.',
      attachments: [
        {
          filename: 'example.net!example.com!1700000000!1700086399.xml.gz',
          content: gzipSync(report),
          contentType: 'application/octet-stream',
        },
      ],
    });
    assert.match(info.response, /^250 .*1 stored, 0 duplicate, 0 quarantined/);

    const upload = await acme.api('/v1/reports/upload', {
      method: 'POST',
      body: report,
      headers: { 'x-file-name': 'report.xml' },
    });
    assert.equal(upload.status, 200);
    const body = (await upload.json()) as { outcomes: Array<{ status: string; id: string }> };
    assert.equal(body.outcomes.length, 1);
    assert.equal(body.outcomes[0]!.status, 'duplicate');

    const summary = (await (await acme.api('/v1/reports/domains/example.com/summary?days=400')).json()) as {
      totals: { messages: number; reports: number };
    };
    // The test clock is the real one and the report is from 2023: read the roll-up directly for its day.
    const daily = await t.services.store.reportStats.daily(acme.domains[0]!.id, '2023-11-14', '2023-11-15');
    assert.deepEqual(
      daily.map((d) => [d.messages, d.reports, d.dmarcPass, d.dkimAligned, d.spfAligned]),
      [[3, 1, 3, 3, 0]],
    );
    assert.equal(summary.totals.reports, 0, 'the window ends today, and the report is older than 400 days');
    // The API names any window: a range of days, all time, or by arrival (it arrived today).
    const figures = async (query: string) => {
      const res = await acme.api(`/v1/reports/domains/example.com/summary?${query}`);
      assert.equal(res.status, 200, query);
      return ((await res.json()) as { totals: { messages: number; reports: number } }).totals;
    };
    assert.equal((await figures('from=2023-11-14&to=2023-11-15')).messages, 3);
    assert.equal((await figures('all=true')).messages, 3);
    assert.equal((await figures('days=1&basis=arrival')).messages, 3);
    assert.equal((await figures('days=3650')).messages, 3);
    const refused = await acme.api('/v1/reports/domains/example.com/summary?from=2023-11-15&to=2023-11-14');
    assert.equal(refused.status, 422);
    const reporters = (await (await acme.api('/v1/reports/reporters?all=true')).json()) as {
      reporters: unknown[];
      total: number;
      truncated: boolean;
    };
    assert.deepEqual([reporters.reporters.length, reporters.total, reporters.truncated], [1, 1, false]);
    const scoreboard = await t.services.store.reportStats.reporters(
      { tenantId: acme.tenant.id, domainId: null },
      '2000-01-01',
      '2999-01-01',
    );
    // Sent by SMTP long after its range ended (2023): late. The upload copy is the duplicate.
    assert.deepEqual(
      scoreboard.map((r) => [r.reporter, r.reports, r.duplicates, r.late]),
      [['example.net', 1, 1, 1]],
    );
  } finally {
    await t.close();
  }
});

test('SMTP intake is never a relay, knows its addresses, and enforces its size limit', async () => {
  const t = await startTestNode({ set: ['inbound.maxMessageBytes=4096'] });
  try {
    const acme = await tenantWithKey(t, 'acme', ['example.com']);
    const port = smtpPort(t);
    const reports = t.services.platform.reportsHost;
    const relay = await mailer(port)
      .sendMail({ from: 'spammer@example.org', to: 'victim@gmail.com', text: 'relay me' })
      .then(
        () => null,
        (e: { responseCode?: number; response?: string }) => e,
      );
    assert.equal(relay?.responseCode, 550);
    assert.match(relay?.response ?? '', /Relaying denied/);
    const unknown = await mailer(port)
      .sendMail({ from: 'a@example.net', to: `nosuchtoken@${reports}`, text: 'x' })
      .then(
        () => null,
        (e: { responseCode?: number }) => e,
      );
    assert.equal(unknown?.responseCode, 550);
    // A client that declares no SIZE and sends too much gets 552 after DATA.
    const big = 'x'.repeat(200) + '\r\n';
    const replies = await rawSmtp(port, [
      'EHLO client.example',
      'MAIL FROM:<a@example.net>',
      `RCPT TO:<relay@example.org>`,
      `RCPT TO:<${acme.domains[0]!.token}@${reports}>`,
      'DATA',
      `Subject: big\r\n\r\n${big.repeat(40)}.`,
      'QUIT',
    ]);
    assert.match(replies[0]!, /^220 /);
    assert.match(replies[3]!, /^550 .*Relaying denied/);
    assert.match(replies[4]!, /^250 /);
    assert.match(replies[6]!, /^552 /);
    // Nothing was stored or quarantined from the oversized message.
    assert.equal((await t.services.reportStats.quarantine(null, 10)).total, 0);
  } finally {
    await t.close();
  }
});

test('upload: attribution within the tenant, quarantine with reasons, tenant isolation', async () => {
  const t = await startTestNode();
  try {
    const acme = await tenantWithKey(t, 'acme', ['example.com']);
    const other = await tenantWithKey(t, 'other', ['example.com', 'other.example']);
    // The same report uploaded by two tenants that both have example.com: each gets its own copy (rule 2).
    const report = goodReport('example.com', 'per-tenant');
    for (const who of [acme, other]) {
      const r = (await (await who.api('/v1/reports/upload', { method: 'POST', body: report })).json()) as {
        outcomes: Array<{ status: string }>;
      };
      assert.equal(r.outcomes[0]!.status, 'stored');
    }
    // A report about a domain the tenant does not have is quarantined for that tenant, with its reason.
    const stray = (await (
      await acme.api('/v1/reports/upload', { method: 'POST', body: goodReport('other.example', 'stray') })
    ).json()) as {
      outcomes: Array<{ status: string; reason: string; quarantineId: string }>;
    };
    assert.deepEqual(
      [stray.outcomes[0]!.status, stray.outcomes[0]!.reason],
      ['quarantined', 'unknown_domain'],
    );
    const q = (await (await acme.api('/v1/reports/quarantine?limit=1')).json()) as {
      quarantine: Array<{ id: string; reason: string }>;
      total: number;
      truncated: boolean;
    };
    assert.deepEqual([q.total, q.truncated], [1, false], 'a capped list says how many there are');
    assert.deepEqual(
      q.quarantine.map((x) => x.reason),
      ['unknown_domain'],
    );
    const raw = await acme.api(`/v1/reports/quarantine/${q.quarantine[0]!.id}/raw`);
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get('content-type'), 'application/gzip');
    // Another tenant's quarantine entry reads as not found.
    assert.equal((await other.api(`/v1/reports/quarantine/${q.quarantine[0]!.id}/raw`)).status, 404);
    assert.deepEqual(
      ((await (await other.api('/v1/reports/quarantine')).json()) as { quarantine: unknown[] }).quarantine,
      [],
    );
    // And another tenant's domain reads as not found too.
    assert.equal((await acme.api('/v1/reports/domains/other.example/summary')).status, 404);
    // The corpus' Google e-mail through the upload endpoint.
    const eml = readFileSync(new URL('dmarc-reports/parsedmarc/aggregate/twilight.eml', CORPUS));
    acme.domains.push(await t.services.domains.add(acme.tenant.id, 'twlnet.com', {}));
    const up = (await (await acme.api('/v1/reports/upload', { method: 'POST', body: eml })).json()) as {
      outcomes: Array<{ status: string; kind: string }>;
    };
    assert.deepEqual(
      up.outcomes.map((o) => `${o.status} ${o.kind}`),
      ['stored aggregate'],
    );
    const sources = (await (await acme.api('/v1/reports/domains/twlnet.com/sources?days=400')).json()) as {
      sources: unknown[];
    };
    assert.ok(Array.isArray(sources.sources));
  } finally {
    await t.close();
  }
});

test('upload: a body over reports.maxUploadBytes is refused with 413', async () => {
  const t = await startTestNode({ set: ['reports.maxUploadBytes=2048'] });
  try {
    const acme = await tenantWithKey(t, 'acme', ['example.com']);
    const r = await acme.api('/v1/reports/upload', { method: 'POST', body: 'x'.repeat(5000) });
    assert.equal(r.status, 413);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'payload_too_large');
  } finally {
    await t.close();
  }
});

test('operator intake (no token, no tenant): a domain two tenants claim goes to the verified one only', async () => {
  const t = await startTestNode();
  try {
    const a = await tenantWithKey(t, 'a', ['example.com']);
    const b = await tenantWithKey(t, 'b', ['example.com']);
    const ingest = (id: string) =>
      t.services.reports.ingest({
        source: Readable.from([Buffer.from(goodReport('example.com', id))]),
        via: 'import',
      });
    const before = await ingest('ambiguous');
    assert.equal(
      before.outcomes[0]!.status === 'quarantined' ? before.outcomes[0]!.reason : '',
      'ambiguous_domain',
    );
    await t.services.store.domains.setVerified(
      b.domains[0]!.id,
      new Date().toISOString(),
      new Date().toISOString(),
    );
    const after = await ingest('verified');
    assert.equal(after.outcomes[0]!.status, 'stored');
    assert.equal(after.outcomes[0]!.status === 'stored' ? after.outcomes[0]!.tenantId : '', b.tenant.id);
    assert.equal(a.domains.length, 1);
  } finally {
    await t.close();
  }
});

test('postmaster (RFC 5321 §4.5.1): accepted at our hosts and bare, kept whole in a Maildir; not at other domains', async () => {
  const t = await startTestNode();
  try {
    const port = smtpPort(t);
    const { reportsHost, mxHost, zone } = t.services.platform;
    const replies = await rawSmtp(port, [
      'EHLO client.example',
      'MAIL FROM:<mailer-daemon@receiver.example>',
      'RCPT TO:<Postmaster>',
      `RCPT TO:<postmaster@${reportsHost}>`,
      `RCPT TO:<POSTMASTER@${mxHost.toUpperCase()}>`,
      `RCPT TO:<postmaster@bounce.${zone}>`,
      'RCPT TO:<postmaster@example.org>',
      `RCPT TO:<sometoken@${reportsHost}>`,
      'DATA',
      'Subject: your MX\r\n\r\nHello postmaster.\r\n..leading dot\r\n.',
      'QUIT',
    ]);
    assert.match(replies[3]!, /^250 /, 'bare <Postmaster>');
    assert.match(replies[4]!, /^250 /, 'postmaster at the reports host');
    assert.match(replies[5]!, /^250 /, 'postmaster at the mx host, any case');
    assert.match(replies[6]!, /^250 /, 'postmaster at the platform bounce domain');
    assert.match(replies[7]!, /^550 .*Relaying denied/, 'not a relay for other domains');
    assert.match(replies[8]!, /^(452|550) /, 'a report address is not mixed into mail to postmaster');
    assert.match(replies[10]!, /^250 .*postmaster/);

    const maildir = join(t.config.inbound.postmasterMaildir, 'new');
    const files = readdirSync(maildir);
    assert.equal(files.length, 1);
    assert.deepEqual(readdirSync(join(t.config.inbound.postmasterMaildir, 'tmp')), []);
    const message = readFileSync(join(maildir, files[0]!), 'latin1');
    assert.match(message, /^Return-Path: <mailer-daemon@receiver\.example>\r\nDelivered-To: Postmaster, /);
    assert.match(message, /\r\nSubject: your MX\r\n\r\nHello postmaster\.\r\n\.leading dot\r\n$/);
  } finally {
    await t.close();
  }
});

test('the postmaster Maildir has a quota and a message limit: anonymous mail cannot fill the disk', async () => {
  const t = await startTestNode({
    set: ['inbound.postmasterQuotaBytes=6000', 'inbound.postmasterMaxMessageBytes=4000'],
  });
  try {
    const port = smtpPort(t);
    const send = (bytes: number) =>
      rawSmtp(port, [
        'EHLO client.example',
        'MAIL FROM:<someone@elsewhere.example>',
        'RCPT TO:<Postmaster>',
        'DATA',
        `Subject: fill\r\n\r\n${'x'.repeat(bytes)}\r\n.`,
        'QUIT',
      ]);
    assert.match((await send(2500))[5]!, /^250 /, 'the first message fits');
    assert.match((await send(5000))[5]!, /^552 5\.3\.4 /, 'larger than the message limit');
    assert.match((await send(2500))[5]!, /^250 /, 'the second still fits');
    assert.match((await send(2500))[5]!, /^452 4\.2\.2 /, 'the third passes the quota: try later');
    const dir = t.config.inbound.postmasterMaildir;
    assert.equal(readdirSync(join(dir, 'new')).length, 2);
    assert.deepEqual(readdirSync(join(dir, 'tmp')), [], 'nothing half-written is left');
  } finally {
    await t.close();
  }
});
