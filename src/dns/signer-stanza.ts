import type { TsigAlgorithm } from '../dns-wire/index.ts';

/**
 * The knot.conf of a Knot DNS signer between senderd and the public secondaries (docs/dns.md, "DNSSEC"):
 * senderd stays the hidden primary of unsigned data; Knot takes the zone by IXFR/AXFR with a TSIG key, signs
 * it, and serves it to the secondaries the world asks. Printed by `senderd dns tsig-keygen`, and the very
 * stanza test/dns/dnssec.test.ts runs.
 *
 * The choices: ECDSA P-256 with SHA-256 (algorithm 13), which every validator must support (RFC 8624 §3.1) and
 * whose signatures are small; NSEC3 rather than NSEC, because the zone's names include every customer's
 * domain (`<domain>._report._dmarc.reports.<zone>`) and NSEC would let anyone list them by walking the chain;
 * no salt and no extra iterations (RFC 9276 §3.1: they cost validators and add nothing). The KSK never rolls
 * by itself (its DS is at the parent, changed by hand); the ZSK rolls every 30 days.
 */
export interface SignerStanzaInput {
  readonly keyName: string;
  readonly algorithm: TsigAlgorithm;
  readonly secret: string;
  /** The platform zone, no trailing dot. */
  readonly zone: string;
  /** senderd's address and port as Knot writes them (`192.0.2.1@53`). */
  readonly primary: string;
  /** The public secondaries' addresses, and the port they are told of changes on. */
  readonly secondaries: readonly string[];
  readonly secondaryPort: number;
}

export function renderSignerStanza(s: SignerStanzaInput): string {
  const primaryAddress = s.primary.split('@')[0]!;
  const list = (items: readonly string[]) => `[${items.join(', ')}]`;
  return [
    'key:',
    `  - id: ${s.keyName}`,
    `    algorithm: ${s.algorithm}`,
    `    secret: ${s.secret}`,
    'remote:',
    '  - id: senderd',
    `    address: ${s.primary}`,
    `    key: ${s.keyName}`,
    '  - id: public-secondaries',
    `    address: ${list(s.secondaries.map((a) => `${a}@${s.secondaryPort}`))}`,
    'acl:',
    '  - id: notify-from-senderd',
    `    address: ${primaryAddress}`,
    `    key: ${s.keyName}`,
    '    action: notify',
    '  - id: transfer-to-secondaries',
    `    address: ${list(s.secondaries)}`,
    '    action: transfer',
    'policy:',
    '  - id: senderd',
    '    algorithm: ecdsap256sha256',
    '    nsec3: on',
    '    nsec3-iterations: 0',
    '    nsec3-salt-length: 0',
    '    ksk-lifetime: 0',
    '    zsk-lifetime: 30d',
    'zone:',
    `  - domain: ${s.zone}.`,
    '    master: senderd',
    '    notify: public-secondaries',
    '    acl: [notify-from-senderd, transfer-to-secondaries]',
    '    dnssec-signing: on',
    '    dnssec-policy: senderd',
    '    journal-content: all',
    '    zonefile-sync: -1',
  ].join('\n');
}
