import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySettings } from './domain-settings.ts';
import { countLookupTerms, hostedSpfRecord } from './spf-budget.ts';

test('RFC 7208 §4.6.4: include, a, mx, ptr, exists and redirect= cost a lookup; ip4, ip6 and all do not', () => {
  assert.equal(countLookupTerms(['ip4:192.0.2.0/24', 'ip6:2001:db8::/32', '-all', '~all']), 0);
  assert.equal(
    countLookupTerms(['include:_spf.example.com', '+a', 'a:mail.example.com/24', 'mx', '~mx:x.example']),
    5,
  );
  assert.equal(countLookupTerms(['exists:%{i}.x.example', 'ptr', 'redirect=_spf.example']), 3);
  assert.equal(countLookupTerms(['all', 'aaa.example', 'mxx']), 0, 'only whole mechanism names count');
});

test('t.spf keeps include:spf.<zone> while the customer adds no lookups, and inlines the egress IPs once they do', () => {
  const egress = ['192.0.2.10', '2001:db8::/64'];
  assert.equal(
    hostedSpfRecord(['ip4:198.51.100.1'], 'spf.z.example', egress),
    'v=spf1 include:spf.z.example ip4:198.51.100.1 -all',
  );
  assert.equal(
    hostedSpfRecord(['include:_spf.google.com'], 'spf.z.example', egress),
    'v=spf1 ip4:192.0.2.10 ip6:2001:db8::/64 include:_spf.google.com -all',
  );
  assert.equal(
    hostedSpfRecord(['mx'], 'spf.z.example'),
    'v=spf1 include:spf.z.example mx -all',
    'no egress list: no flattening',
  );
});

test('a customer may add at most 9 lookup mechanisms (the 10th lookup is their own include)', () => {
  const base = {
    mode: 'delegated' as const,
    bounceLabel: 'bounce',
    clickLabel: 'clicks',
    tracking: true,
    spfMechanisms: [],
    ownDkimSelectors: [],
    dkimSelectors: [],
  };
  const nine = Array.from({ length: 9 }, (_, i) => `include:s${i}.example`);
  assert.deepEqual(applySettings(base, { spfMechanisms: nine }, ['sd1', 'sd2', 'sd3']).problems, []);
  const ten = [...nine, 'mx'];
  const { problems } = applySettings(base, { spfMechanisms: [...ten, 'ip4:192.0.2.1'] }, [
    'sd1',
    'sd2',
    'sd3',
  ]);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.path, 'spfMechanisms');
  assert.match(problems[0]!.message, /10 mechanisms need DNS lookups/);
});
