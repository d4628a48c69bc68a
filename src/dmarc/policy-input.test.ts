import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dmarcPolicyInput } from './policy-input.ts';

test('report addresses: mailto URIs and bare addresses pass; a size limit is refused with its reason', () => {
  assert.ok(dmarcPolicyInput.safeParse({ extraRua: ['mailto:dmarc@vendor.example'] }).success);
  assert.ok(dmarcPolicyInput.safeParse({ extraRua: ['dmarc@vendor.example'] }).success);
  for (const uri of ['mailto:dmarc@vendor.example!10m', 'dmarc@vendor.example!100']) {
    const r = dmarcPolicyInput.safeParse({ ruf: [uri] });
    assert.equal(r.success, false, uri);
    assert.match(r.error.issues[0]!.message, /size limit \(!10m\) is not published/);
  }
  for (const uri of [
    'mailto:a,b@vendor.example',
    'dmarc@vendor',
    'dmarc@vendor.example;p=none',
    'https://x.example',
  ]) {
    assert.equal(dmarcPolicyInput.safeParse({ extraRua: [uri] }).success, false, uri);
  }
});
