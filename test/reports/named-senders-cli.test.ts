/**
 * `senderd reports sources` names each source after the catalogue (issue 21): the service, whether its mail
 * passes DMARC, and under the table the one fix with the records to publish. Reverse DNS is off here, so the
 * names come from DKIM signatures, selectors and envelope domains alone; --json carries the same named sender.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir, testConfig } from '../support/node.ts';
import { cliInDataDir } from '../support/cli.ts';
import { NAMED_SOURCES, PLATFORM_IP, namedSendersReport } from './named-senders-report.ts';

test('reports sources: the sender column and the fixes', async () => {
  const dir = tempDir();
  const set = ['reports.reverseDns.enabled=false', `platform.egressIps=${PLATFORM_IP}`];
  testConfig(dir.path, set);
  const run = cliInDataDir(dir.path, set);
  try {
    assert.equal((await run('tenant', 'add', 'acme')).code, 0);
    assert.equal((await run('domain', 'add', 'shop.com')).code, 0);
    writeFileSync(join(dir.path, 'named.xml'), namedSendersReport('shop.com', 'named-cli'));
    const imported = await run('reports', 'import', 'named.xml', '--tenant', 'acme');
    assert.equal(imported.code, 0, imported.err);

    const text = await run('reports', 'sources', 'shop.com');
    assert.equal(text.code, 0, text.err);
    const line = (ip: string) => text.out.split('\n').find((l) => l.startsWith(ip)) ?? '';
    assert.match(line(NAMED_SOURCES.platform), /platform\s+-\s/);
    assert.match(line(NAMED_SOURCES.sendgrid), /Twilio SendGrid \(fails\)/);
    assert.match(line(NAMED_SOURCES.zendesk), /Zendesk \(passes\)/);
    assert.match(line(NAMED_SOURCES.spoofer), /unknown \(fails\)/);
    // Without its reverse name, the Google Workspace mailbox is only a failing SPF check of the domain: unknown.
    assert.match(line(NAMED_SOURCES.google), /unknown \(fails\)/);
    assert.match(
      text.out,
      /\n\nTo fix:\n {2}Twilio SendGrid \(198\.51\.100\.30\): Let Twilio SendGrid sign as shop\.com: publish .*\n {4}s1\._domainkey\.shop\.com CNAME s1\.domainkey\.<u-account>\.<wl-number>\.sendgrid\.net\n {4}s2\._domainkey\.shop\.com CNAME .*\n {4}see https:\/\/www\.twilio\.com\//,
    );
    assert.doesNotMatch(text.out, /Zendesk \(198\.51\.100\.40\)/, 'a passing sender has nothing to fix');

    const json = await run('--json', 'reports', 'sources', 'shop.com');
    assert.equal(json.code, 0, json.err);
    const body = JSON.parse(json.out) as {
      sources: Array<{ sourceIp: string; sender: { service: { id: string } | null } | null }>;
    };
    const zendesk = body.sources.find((s) => s.sourceIp === NAMED_SOURCES.zendesk);
    assert.equal(zendesk?.sender?.service?.id, 'zendesk');
  } finally {
    dir.remove();
  }
});
