/**
 * The DNS as a receiving MTA sees it, for end-to-end tests: the customer's own zone holds only the records the
 * plan tells the customer to create (CNAMEs into the platform zone, emulated here from the plan), and every name
 * in the platform zone is asked of senderd's real DNS server over UDP. Names elsewhere do not exist.
 */
import { Resolver } from 'node:dns/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordPlan } from '../../src/domains/index.ts';
import { run, SYSTEM_PYTHON } from './tools.ts';

export interface ReceiverDns {
  /** For mailauth's `resolver` option: like node's dns.resolve(name, rrtype). */
  resolve(name: string, rrtype: string): Promise<string[] | string[][]>;
  /** Customer CNAMEs, name → target (no trailing dots). */
  readonly cnames: ReadonlyMap<string, string>;
  readonly port: number;
}

const bare = (n: string) => n.toLowerCase().replace(/\.$/, '');

export function receiverDns(dnsPort: number, zone: string, plans: readonly RecordPlan[]): ReceiverDns {
  const cnames = new Map<string, string>();
  for (const plan of plans) {
    for (const r of plan.customer) if (r.data.type === 'CNAME') cnames.set(bare(r.name), bare(r.data.target));
  }
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${dnsPort}`]);
  return {
    cnames,
    port: dnsPort,
    async resolve(name, rrtype) {
      const target = cnames.get(bare(name)) ?? bare(name);
      if (target !== zone && !target.endsWith(`.${zone}`)) {
        throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      }
      return resolver.resolve(target, rrtype) as Promise<string[] | string[][]>;
    },
  };
}

const DKIMPY = String.raw`
import dkim, json, re, sys
import dns.resolver
cnames = json.load(open(sys.argv[1]))
message = open(sys.argv[2], 'rb').read()
r = dns.resolver.Resolver(configure=False)
r.nameservers = ['127.0.0.1']
r.port = int(sys.argv[3])
def dnsfunc(name, timeout=5):
    name = (name.decode() if isinstance(name, bytes) else name).lower().rstrip('.')
    target = cnames.get(name, name)
    try:
        answer = r.resolve(target, 'TXT', lifetime=timeout)
    except Exception:
        return b''
    return b''.join(answer[0].strings)
d = dkim.DKIM(message)
count = len(re.findall(rb'(?mi)^dkim-signature:', message.split(b'\r\n\r\n', 1)[0]))
out = []
for i in range(count):
    try:
        ok = d.verify(idx=i, dnsfunc=dnsfunc)
        error = None
    except Exception as e:
        ok, error = False, repr(e)
    text = lambda x: x.decode() if isinstance(x, bytes) else (x or '')
    out.append({'ok': bool(ok), 'domain': text(d.domain), 'selector': text(d.selector), 'error': error})
print(json.dumps(out))
`;

/** Every DKIM-Signature of `message`, verified by dkimpy with keys fetched from senderd's DNS server. */
export async function dkimpyThroughDns(
  message: Buffer,
  dns: ReceiverDns,
  dir: string,
): Promise<Array<{ ok: boolean; domain: string; selector: string; error: string | null }>> {
  const stamp = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const cnamesFile = join(dir, `cnames-${stamp}.json`);
  const messageFile = join(dir, `message-${stamp}.eml`);
  writeFileSync(cnamesFile, JSON.stringify(Object.fromEntries(dns.cnames)));
  writeFileSync(messageFile, message);
  const r = await run(SYSTEM_PYTHON, ['-c', DKIMPY, cnamesFile, messageFile, String(dns.port)], {
    timeoutMs: 60_000,
  });
  if (r.code !== 0) throw new Error(`dkimpy failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Array<{
    ok: boolean;
    domain: string;
    selector: string;
    error: string | null;
  }>;
}
