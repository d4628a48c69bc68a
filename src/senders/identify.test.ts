import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shippedCatalogue } from './catalogue.ts';
import { identifySender, type SourceEvidence } from './identify.ts';

const DOMAIN = 'shop.com';

/** A source of 100 messages; `pass` of them pass DMARC by the aligned method(s) given. */
function source(over: Partial<SourceEvidence>): SourceEvidence {
  return {
    ptr: null,
    ptrVerified: false,
    messages: 100,
    dmarcPass: 0,
    dkimAligned: 0,
    spfAligned: 0,
    dkim: [],
    spf: [],
    ...over,
  };
}

const dkim = (signingDomain: string, selector: string, result: string) => ({
  signingDomain,
  selector,
  result,
  messages: 100,
});
const spf = (domain: string, result: string) => ({ domain, result, messages: 100 });

interface Case {
  why: string;
  source: SourceEvidence;
  /** Service name, or null. */
  name: string | null;
  confidence?: 'strong' | 'weak' | null;
  /** [dmarc, dkim aligned, spf aligned]. */
  shares?: [string, string, string];
  fix: null | { kind: string; has: RegExp; records?: string[] };
}

const cases: Case[] = [
  {
    why: 'Google Workspace mail from the customer’s own envelope, SPF include missing',
    source: source({
      ptr: 'mail-wr1-f54.google.com',
      ptrVerified: true,
      spf: [spf(DOMAIN, 'softfail')],
    }),
    name: 'Google Workspace',
    confidence: 'strong',
    shares: ['none', 'none', 'none'],
    fix: {
      kind: 'spf-include',
      has: /^Add include:_spf\.google\.com to shop\.com's own SPF mechanisms \(senderd domain set shop\.com --spf/,
    },
  },
  {
    why: 'Google Workspace signing as the domain: passes, nothing to do',
    source: source({
      ptr: 'mail-wr1-f54.google.com',
      ptrVerified: true,
      dmarcPass: 100,
      dkimAligned: 100,
      dkim: [dkim(DOMAIN, 'google', 'pass')],
      spf: [spf(DOMAIN, 'softfail')],
    }),
    name: 'Google Workspace',
    shares: ['all', 'all', 'none'],
    fix: null,
  },
  {
    why: 'SendGrid before domain authentication: its own signature and envelope, a DKIM CNAME fixes it',
    source: source({
      ptr: 'o1.ptr1234.sendgrid.net',
      ptrVerified: true,
      dkim: [dkim('sendgrid.net', 'smtpapi', 'pass')],
      spf: [spf('bounces.sendgrid.net', 'pass')],
    }),
    name: 'Twilio SendGrid',
    confidence: 'strong',
    fix: {
      kind: 'dkim-cname',
      has: /^Let Twilio SendGrid sign as shop\.com: publish s1\._domainkey\.shop\.com and s2\._domainkey\.shop\.com as CNAMEs \(values from SendGrid: /,
      records: [
        's1._domainkey.shop.com CNAME s1.domainkey.<u-account>.<wl-number>.sendgrid.net',
        's2._domainkey.shop.com CNAME s2.domainkey.<u-account>.<wl-number>.sendgrid.net',
      ],
    },
  },
  {
    why: 'Microsoft 365 with DKIM on for part of the mail: the CNAMEs of its documented form, domain dashed',
    source: source({
      ptr: 'mail-db8eur05on2100.outbound.protection.outlook.com',
      ptrVerified: true,
      dmarcPass: 60,
      dkimAligned: 60,
      spfAligned: 0,
      dkim: [
        dkim(DOMAIN, 'selector1', 'pass'),
        dkim('shopcom.onmicrosoft.com', 'selector1-shop-com', 'pass'),
      ],
      spf: [spf('shopcom.onmicrosoft.com', 'pass')],
    }),
    name: 'Microsoft 365',
    shares: ['some', 'some', 'none'],
    fix: {
      kind: 'dkim-cname',
      has: /publish selector1\._domainkey\.shop\.com and selector2\._domainkey\.shop\.com as CNAMEs/,
      records: [
        'selector1._domainkey.shop.com CNAME selector1-shop-com._domainkey.<initial-domain>.onmicrosoft.com',
        'selector2._domainkey.shop.com CNAME selector2-shop-com._domainkey.<initial-domain>.onmicrosoft.com',
      ],
    },
  },
  {
    why: 'Zendesk known only by its selector under the customer’s domain (signature failing: CNAME missing)',
    source: source({ dkim: [dkim(DOMAIN, 'zendesk1', 'fail')] }),
    name: 'Zendesk',
    confidence: 'weak',
    fix: {
      kind: 'dkim-cname',
      has: /publish zendesk1\._domainkey\.shop\.com and zendesk2\._domainkey\.shop\.com as CNAMEs/,
      records: [
        'zendesk1._domainkey.shop.com CNAME zendesk1._domainkey.zendesk.com',
        'zendesk2._domainkey.shop.com CNAME zendesk2._domainkey.zendesk.com',
      ],
    },
  },
  {
    why: 'Mailchimp by its envelope domain: SPF passes for mcsv.net, which never aligns; DKIM is the fix',
    source: source({ spf: [spf('mail123.atl11.rsgsv.net', 'pass')] }),
    name: 'Mailchimp',
    confidence: 'strong',
    fix: {
      kind: 'dkim-cname',
      has: /^Let Mailchimp sign as shop\.com/,
      records: ['k2._domainkey.shop.com CNAME dkim2.mcsv.net', 'k3._domainkey.shop.com CNAME dkim3.mcsv.net'],
    },
  },
  {
    why: 'Salesforce by an unverified reverse name, envelope on the customer’s domain failing SPF',
    source: source({ ptr: 'smtp06-ia4-sp3.mta.salesforce.com', spf: [spf(DOMAIN, 'fail')] }),
    name: 'Salesforce',
    confidence: 'weak',
    fix: { kind: 'spf-include', has: /include:_spf\.salesforce\.com/ },
  },
  {
    why: 'HubSpot: the include is account-specific, and the action says where to find it',
    source: source({
      ptr: 'a1.smtp-out.hubspotemail.net',
      ptrVerified: true,
      spf: [spf(DOMAIN, 'softfail')],
    }),
    name: 'HubSpot',
    fix: { kind: 'spf-include', has: /HubSpot shows the exact include/ },
  },
  {
    why: 'QuickBooks signs as Intuit and has no record form: the fix is the service’s own setup',
    source: source({ dkim: [dkim('notification.intuit.com', 's1', 'pass')] }),
    name: 'QuickBooks Online',
    fix: { kind: 'service-setup', has: /cannot be made to pass by a record of shop\.com alone/ },
  },
  {
    why: 'a selector two services use (s1), and nothing else: not named',
    source: source({ dkim: [dkim(DOMAIN, 's1', 'fail')] }),
    name: null,
    confidence: null,
    fix: null,
  },
  {
    why: 'a name that only looks like the service’s (not on a label boundary)',
    source: source({ ptr: 'evil-sendgrid.net', ptrVerified: true }),
    name: null,
    fix: null,
  },
  {
    why: 'a selector under another domain does not count (only the customer’s own)',
    source: source({ dkim: [dkim('elsewhere.example', 'zendesk1', 'pass')] }),
    name: null,
    fix: null,
  },
  {
    why: 'an unknown source failing everything: shares only',
    source: source({ spf: [spf(DOMAIN, 'fail')] }),
    name: null,
    shares: ['none', 'none', 'none'],
    fix: null,
  },
];

test('identification and fix, case by case', () => {
  const catalogue = shippedCatalogue();
  for (const c of cases) {
    const got = identifySender(catalogue, c.source, DOMAIN);
    assert.equal(got.service?.name ?? null, c.name, `${c.why}: ${got.matchedBy.join(', ')}`);
    if (c.confidence !== undefined) assert.equal(got.confidence, c.confidence, c.why);
    if (c.shares !== undefined)
      assert.deepEqual([got.dmarc, got.dkimAligned, got.spfAligned], c.shares, c.why);
    if (c.fix === null) assert.equal(got.fix, null, c.why);
    else {
      assert.equal(got.fix?.kind, c.fix.kind, c.why);
      assert.match(got.fix.action, c.fix.has, c.why);
      assert.match(got.fix.source, /^https:\/\//, c.why);
      if (c.fix.records !== undefined) {
        assert.deepEqual(
          got.fix.records.map((r) => `${r.name} ${r.type} ${r.value}`),
          c.fix.records,
          c.why,
        );
      }
    }
    if (got.service !== null) assert.ok(got.matchedBy.length > 0, `${c.why}: says what named it`);
  }
});

test('a known forwarder’s address: the fix stands, with a caution that the failures may be forwarded mail', () => {
  const catalogue = shippedCatalogue();
  const workspace = source({
    ptr: 'mail-wr1-f54.google.com',
    ptrVerified: true,
    spf: [spf(DOMAIN, 'softfail')],
  });
  const forwarded = identifySender(catalogue, workspace, DOMAIN, { forwarder: true });
  assert.equal(forwarded.fix?.kind, 'spf-include');
  assert.match(forwarded.note ?? '', /known forwarder: if you do not send through Google Workspace yourself/);
  assert.equal(identifySender(catalogue, workspace, DOMAIN).note, null, 'not a forwarder: no caution');
  const passing = { ...workspace, dmarcPass: 100, dkimAligned: 100 };
  assert.equal(identifySender(catalogue, passing, DOMAIN, { forwarder: true }).note, null, 'nothing to fix');
});

test('the domain’s own SPF mechanisms: kept in the command, and an include it has already is not suggested again', () => {
  const catalogue = shippedCatalogue();
  const workspace = source({
    ptr: 'mail-wr1-f54.google.com',
    ptrVerified: true,
    spf: [spf(DOMAIN, 'softfail')],
  });
  const withOwn = identifySender(catalogue, workspace, DOMAIN, { ownSpfMechanisms: ['ip4:192.0.2.0/24'] });
  assert.match(
    withOwn.fix?.action ?? '',
    /\(senderd domain set shop\.com --spf ip4:192\.0\.2\.0\/24 include:_spf\.google\.com\)\.$/,
  );
  const none = identifySender(catalogue, workspace, DOMAIN, { ownSpfMechanisms: [] });
  assert.match(none.fix?.action ?? '', /\(senderd domain set shop\.com --spf include:_spf\.google\.com\)\.$/);
  const already = identifySender(catalogue, workspace, DOMAIN, {
    ownSpfMechanisms: ['INCLUDE:_spf.google.com'],
  });
  assert.equal(already.fix?.kind, 'dkim-txt', 'the include is there and SPF still fails: DKIM is the fix');
  assert.deepEqual(already.fix.records, [
    { type: 'TXT', name: 'google._domainkey.shop.com', value: '<the public key the Admin console shows>' },
  ]);
});
