import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APEX, sampleZone } from '../../test/support/dns-zone.ts';
import { presentCharacterString } from './resource-record.ts';
import { renderZoneFile } from './zone-file.ts';

test('the zone file: origin, SOA first, absolute names, quoted strings', () => {
  const text = renderZoneFile(sampleZone().zone.snapshot(), ['hello']);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], '; hello');
  assert.equal(lines[1], `$ORIGIN ${APEX}.`);
  assert.match(lines[2]!, new RegExp(`^${APEX}\\.\\t3600\\tIN\\tSOA\\tns1\\.`));
  assert.ok(lines.slice(2).every((l) => /^\S+\.\t\d+\tIN\t[A-Z]+\t/.test(l)));
  assert.ok(text.includes('\t"v=DKIM1; k=rsa; p="\n'), 'an empty p= (revoked) stays');
});

test('character-strings are escaped so the file is plain ASCII (RFC 1035 §5.1)', () => {
  assert.equal(presentCharacterString('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(presentCharacterString('tab\there'), '"tab\\009here"');
  assert.equal(presentCharacterString('é'), '"\\195\\169"');
});
