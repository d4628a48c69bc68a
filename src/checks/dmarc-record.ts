import type { Remark } from './model.ts';
import { remark } from './remarks.ts';

/**
 * DMARC policy records, read as RFC 7489 §6.3 and RFC 9989 both define them. RFC 9989 removed pct, rf and ri
 * (receivers that follow it ignore them) and added np (non-existent subdomains), psd (public suffix domain) and
 * t (testing). Unknown tags are ignored by receivers (RFC 7489 §6.3), so they are warnings, not errors.
 */
export interface DmarcRecord {
  readonly tags: ReadonlyMap<string, string>;
  readonly rua: readonly DmarcUri[];
  readonly ruf: readonly DmarcUri[];
}

export interface DmarcUri {
  readonly uri: string;
  /** The mailbox's domain for mailto: URIs, lower case; null for others. */
  readonly domain: string | null;
}

const POLICY = /^(none|quarantine|reject)$/;
const VALUES: Record<string, { readonly test: (v: string) => boolean; readonly says: string }> = {
  p: { test: (v) => POLICY.test(v), says: 'none, quarantine or reject' },
  sp: { test: (v) => POLICY.test(v), says: 'none, quarantine or reject' },
  np: { test: (v) => POLICY.test(v), says: 'none, quarantine or reject' },
  adkim: { test: (v) => /^[rs]$/.test(v), says: 'r or s' },
  aspf: { test: (v) => /^[rs]$/.test(v), says: 'r or s' },
  fo: { test: (v) => /^[01ds](:[01ds])*$/.test(v), says: 'a colon-separated list of 0, 1, d and s' },
  pct: { test: (v) => /^\d{1,3}$/.test(v) && Number(v) <= 100, says: 'a whole number from 0 to 100' },
  rf: { test: (v) => /^[a-z0-9-]+(:[a-z0-9-]+)*$/i.test(v), says: 'a report format such as afrf' },
  ri: { test: (v) => /^\d{1,10}$/.test(v), says: 'a number of seconds' },
  psd: { test: (v) => /^[ynu]$/.test(v), says: 'y, n or u' },
  t: { test: (v) => /^[yn]$/.test(v), says: 'y or n' },
  rua: { test: () => true, says: '' },
  ruf: { test: () => true, says: '' },
  v: { test: () => true, says: '' },
};
const LEGACY = new Set(['pct', 'rf', 'ri']);

/** RFC 7489 §6.6.3: only TXT records beginning with "v=DMARC1" are DMARC records. */
export function isDmarcRecord(text: string): boolean {
  return /^v\s*=\s*DMARC1\s*(;|$)/.test(text);
}

export function parseDmarc(text: string): { record: DmarcRecord | null; remarks: Remark[] } {
  const remarks: Remark[] = [];
  const tags = new Map<string, string>();
  const parts = text.split(';').map((p) => p.trim());
  // A trailing ";" leaves an empty last part: harmless, as is its absence (RFC 7489 §6.4 dmarc-record).
  if (parts.at(-1) === '') parts.pop();
  for (const part of parts) {
    const m = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(part);
    if (m === null) {
      remarks.push(remark('dmarc-syntax', 'error', `"${part}" is not a tag=value pair (RFC 7489 §6.4).`));
      continue;
    }
    const tag = m[1]!.toLowerCase();
    if (tags.has(tag)) {
      remarks.push(
        remark(
          'dmarc-duplicate-tag',
          'error',
          `The tag ${tag}= appears twice; receivers may reject the record.`,
        ),
      );
      continue;
    }
    tags.set(tag, m[2]!.trim());
  }
  if (tags.get('v') !== 'DMARC1' || [...tags.keys()][0] !== 'v')
    remarks.push(remark('dmarc-syntax', 'error', 'A DMARC record must begin with v=DMARC1 (RFC 7489 §6.4).'));
  for (const [tag, value] of tags) {
    const rule = VALUES[tag];
    if (rule === undefined) {
      remarks.push(
        remark(
          'dmarc-unknown-tag',
          'warning',
          `The tag ${tag}= is not a DMARC tag; receivers ignore it (RFC 7489 §6.3).`,
        ),
      );
      continue;
    }
    if (!rule.test(value.toLowerCase()))
      remarks.push(
        remark('dmarc-bad-value', 'error', `${tag}=${value} is not valid: it must be ${rule.says}.`),
      );
    if (LEGACY.has(tag))
      remarks.push(
        remark(
          'dmarc-legacy-tag',
          'note',
          `${tag}= is legacy: RFC 9989 removed it and receivers following it ignore it${tag === 'pct' ? ' (t=y is its replacement for testing)' : ''}; RFC 7489 receivers still read it.`,
        ),
      );
  }
  if (!tags.has('p'))
    remarks.push(
      remark(
        'dmarc-no-policy',
        'warning',
        'There is no p= tag: receivers treat the policy as p=none (RFC 7489 §6.6.3).',
      ),
    );
  const uris = (tag: string) => {
    const value = tags.get(tag);
    if (value === undefined || value === '') return [];
    return value.split(',').map((u) => {
      const uri = u.trim();
      const mail = /^mailto:([^!@]+)@([^!]+)(![0-9]+[kmgt]?)?$/i.exec(uri);
      if (mail === null)
        remarks.push(
          remark(
            'dmarc-bad-uri',
            'error',
            `${tag}= has "${uri}", which is not a mailto: URI (RFC 7489 §6.2).`,
          ),
        );
      return { uri, domain: mail === null ? null : mail[2]!.toLowerCase().replace(/\.$/, '') };
    });
  };
  const rua = uris('rua');
  const ruf = uris('ruf');
  const broken = remarks.some((r) => r.code === 'dmarc-syntax');
  return { record: broken ? null : { tags, rua, ruf }, remarks };
}
