/**
 * `dns apply` against real primaries that accept RFC 2136 updates: Knot (knotd) and BIND (named), each with an
 * update policy. The zone is read back with dig. Covered: the difference shown by a dry run (nothing sent), the
 * update applied with the SPF include merged into the customer's SPF record and a foreign CNAME left alone, a
 * second run that changes nothing, and each refusal as a sentence (BADKEY, BADSIG, REFUSED by policy, NOTAUTH, a
 * prerequisite that fails because the zone changed between reading and writing). The secret never shows.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cryptoRandom } from '../../src/core/index.ts';
import { parseTsigKey, type TsigKey } from '../../src/dns-wire/index.ts';
import { applyPlan, type DnsApplyDeps, type DnsApplyResult } from '../../src/provisioning/index.ts';
import { StubResolver, type DnsResolver } from '../../src/resolver/index.ts';
import { planFor } from '../checks/scenario.ts';
import { tempDir, type TestDir } from '../support/node.ts';
import { run } from '../support/tools.ts';
import { startUpdatePrimary, type PrimaryKind, type UpdatePrimary } from '../support/update-primary.ts';

const ZONE = 'customer.test';
const BODY = ['@ 300 IN TXT "v=spf1 mx -all"', 'clicks 300 IN CNAME links.elsewhere.example.'].join('\n');

let dir: TestDir;
let resolver: StubResolver;
before(() => {
  dir = tempDir('senderd-dns-apply-');
  resolver = new StubResolver({ timeoutMs: 2000, attempts: 1, random: cryptoRandom });
});
after(() => {
  resolver?.close();
  dir?.remove();
});

function deps(over: Partial<DnsApplyDeps> = {}): DnsApplyDeps {
  return {
    resolver,
    random: cryptoRandom,
    now: () => Math.floor(Date.now() / 1000),
    timeoutMs: 5000,
    ...over,
  };
}

async function dig(p: UpdatePrimary, name: string, type: string): Promise<string[]> {
  const r = await run('dig', ['+short', '+norec', '-p', String(p.port), '@127.0.0.1', name, type]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** Adds a TXT record with knsupdate (Knot's nsupdate), an independent update client. */
async function addTxt(p: UpdatePrimary, key: 0 | 1, name: string, text: string): Promise<void> {
  const keyName = key === 0 ? p.keys.full.name : p.keys.narrow.name;
  const script = [
    `server 127.0.0.1 ${p.port}`,
    `zone ${ZONE}.`,
    `update add ${name}. 300 TXT "${text}"`,
    'send',
    '',
  ];
  const r = await run('knsupdate', ['-y', `hmac-sha256:${keyName}:${p.secrets[key]!}`], {
    input: script.join('\n'),
  });
  assert.equal(r.code, 0, r.stdout + r.stderr + p.log());
}

function assertNoSecret(p: UpdatePrimary, result: DnsApplyResult): void {
  const text = JSON.stringify(result);
  for (const s of p.secrets) assert.ok(!text.includes(s), 'the TSIG secret never appears in a result');
}

for (const kind of ['knot', 'bind'] as const satisfies readonly PrimaryKind[]) {
  describe(`dns apply against ${kind === 'knot' ? 'Knot' : 'BIND named'}`, () => {
    let p: UpdatePrimary;
    before(async () => {
      const sub = join(dir.path, kind);
      mkdirSync(sub);
      p = await startUpdatePrimary(kind, sub, ZONE, BODY);
    });
    after(() => p?.stop());
    const request = (domain: string, key: TsigKey | null, dryRun = false) => ({
      plan: planFor(domain, 'delegated', null),
      server: { host: '127.0.0.1', port: p.port },
      key,
      dryRun,
    });

    test('a dry run shows the difference and sends nothing', async () => {
      const result = await applyPlan(request(ZONE, p.keys.full, true), deps());
      assert.equal(result.zone, ZONE);
      assert.equal(result.sent, 'dry-run');
      const byName = new Map(result.items.map((i) => [i.name, i]));
      assert.equal(byName.get(`_dmarc.${ZONE}`)?.action, 'add');
      assert.equal(byName.get(`clicks.${ZONE}`)?.action, 'conflict');
      assert.equal(byName.get(ZONE)?.action, 'replace');
      assert.match(byName.get(ZONE)!.value, /^v=spf1 mx include:\S+\.spf\.mail\.example\.net -all$/);
      assert.deepEqual(await dig(p, `_dmarc.${ZONE}`, 'CNAME'), []);
    });

    test('the update is applied, the SPF include merged, the foreign CNAME kept; a second run changes nothing', async () => {
      const first = await applyPlan(request(ZONE, p.keys.full), deps());
      assert.deepEqual(first.outcome, { kind: 'applied' }, `${first.message}\n${p.log()}`);
      assertNoSecret(p, first);
      const plan = planFor(ZONE, 'delegated', null);
      for (const r of plan.customer.filter((x) => x.data.type === 'CNAME' && !x.name.startsWith('clicks.')))
        assert.deepEqual(await dig(p, r.name, 'CNAME'), [`${(r.data as { target: string }).target}.`]);
      const spf = await dig(p, ZONE, 'TXT');
      assert.equal(spf.length, 1, 'still one SPF record');
      assert.match(spf[0]!, /^"v=spf1 mx include:\S+\.spf\.mail\.example\.net -all"$/);
      assert.deepEqual(await dig(p, `clicks.${ZONE}`, 'CNAME'), ['links.elsewhere.example.']);

      const serial = await dig(p, ZONE, 'SOA');
      const second = await applyPlan(request(ZONE, p.keys.full), deps());
      assert.equal(second.sent, 'nothing-to-do');
      assert.equal(second.outcome, null);
      assert.deepEqual(
        [...new Set(second.items.map((i) => i.action))].sort(),
        ['conflict', 'unchanged'],
        'every record is unchanged except the one left alone',
      );
      assert.deepEqual(await dig(p, ZONE, 'SOA'), serial, 'the zone was not touched');
    });

    test('an unknown key is BADKEY, said with the key name and never the secret', async () => {
      const stranger = parseTsigKey('stranger.test', 'hmac-sha256', p.secrets[0]!);
      assert.ok(stranger.ok);
      const result = await applyPlan(request(`a.${ZONE}`, stranger.value), deps());
      assert.deepEqual(result.outcome, { kind: 'refused', rcode: 'NOTAUTH', tsigError: 'BADKEY' });
      assert.match(
        result.message,
        /does not accept the TSIG key "stranger\.test" \(hmac-sha256\) for this update \(NOTAUTH, BADKEY\)/,
      );
      assertNoSecret(p, result);
    });

    test('a known key with another secret is BADSIG', async () => {
      const forged = parseTsigKey(p.keys.full.name, 'hmac-sha256', Buffer.alloc(32, 7).toString('base64'));
      assert.ok(forged.ok);
      const result = await applyPlan(request(`b.${ZONE}`, forged.value), deps());
      assert.deepEqual(result.outcome, { kind: 'refused', rcode: 'NOTAUTH', tsigError: 'BADSIG' });
      assert.match(result.message, /signature does not verify/);
    });

    test('a key whose policy does not cover the names is refused (BIND: REFUSED; Knot: NOTAUTH, BADKEY)', async () => {
      // The narrow key is good for what its policy grants: a TXT record at the apex.
      await addTxt(p, 1, ZONE, 'narrow-ok');
      const result = await applyPlan(request(`c.${ZONE}`, p.keys.narrow), deps());
      if (kind === 'bind') {
        assert.deepEqual(result.outcome, { kind: 'refused', rcode: 'REFUSED', tsigError: null });
        assert.match(
          result.message,
          /refused the update \(REFUSED\): its policy does not let the TSIG key "narrow\.bind\.test"/,
        );
      } else {
        // Knot answers an acl that denies a known key with NOTAUTH and the TSIG error BADKEY.
        assert.deepEqual(result.outcome, { kind: 'refused', rcode: 'NOTAUTH', tsigError: 'BADKEY' });
        assert.match(result.message, /its acl does not let this key update these names/);
      }
      assert.deepEqual(await dig(p, `_dmarc.c.${ZONE}`, 'CNAME'), []);
    });

    test('a zone the server does not serve is NOTAUTH, before anything is sent', async () => {
      const result = await applyPlan(request('elsewhere.example', p.keys.full), deps());
      assert.equal(result.outcome?.kind, 'refused');
      assert.match(result.message, /is not authoritative for elsewhere\.example \(NOTAUTH\)/);
    });

    test('a change made between reading and writing fails the prerequisite; nothing is overwritten', async () => {
      const domain = `d.${ZONE}`;
      let raced = false;
      // The zone changes after dns apply read the domain's TXT: someone adds their own record there.
      const racing: DnsResolver = {
        query: async (q) => {
          const answer = await resolver.query(q);
          if (!raced && q.name === domain && q.type === 'TXT') {
            raced = true;
            await addTxt(p, 0, domain, 'v=spf1 -all');
          }
          return answer;
        },
      };
      const result = await applyPlan(request(domain, p.keys.full), deps({ resolver: racing }));
      assert.ok(raced);
      assert.deepEqual(result.outcome, { kind: 'refused', rcode: 'YXRRSET', tsigError: null });
      assert.match(result.message, /The zone changed between reading it and writing to it/);
      assert.deepEqual(await dig(p, domain, 'TXT'), ['"v=spf1 -all"'], 'their record is as they wrote it');
      assert.deepEqual(await dig(p, `_dmarc.${domain}`, 'CNAME'), [], 'the update was all or nothing');
    });
  });
}
