import {
  canonicalName,
  formatServer,
  type DnsResolver,
  type DnsServerAddress,
  type RecordType,
} from '../resolver/index.ts';
import { followChain, type ChainStep } from './lookup-chain.ts';
import type { DnsView, Lookup } from './model.ts';

/**
 * The DNS as a recursive resolver serves it to the world: what receivers see, with the TTL left in its cache.
 * The resolver follows CNAMEs itself, so the whole chain arrives in one answer.
 */
export class RecursiveView implements DnsView {
  readonly path = 'recursive' as const;
  readonly label: string;
  readonly #resolver: DnsResolver;
  readonly #server: DnsServerAddress;
  readonly #memo = new Map<string, Promise<Lookup>>();

  constructor(resolver: DnsResolver, server: DnsServerAddress) {
    this.#resolver = resolver;
    this.#server = server;
    this.label = `resolver ${formatServer(server)}`;
  }

  lookup(name: string, type: RecordType): Promise<Lookup> {
    const key = `${canonicalName(name)}|${type}`;
    let p = this.#memo.get(key);
    if (p === undefined) {
      p = followChain(canonicalName(name), type, (n) => this.#ask(n, type), false);
      this.#memo.set(key, p);
    }
    return p;
  }

  async #ask(name: string, type: RecordType): Promise<ChainStep> {
    const r = await this.#resolver.query({ name, type, server: this.#server, recursionDesired: true });
    const base = { server: this.label, disagreements: [] };
    if (r.outcome === 'timeout')
      return { ...base, status: 'timeout', answers: [], detail: 'no answer in time' };
    if (r.outcome === 'failure') return { ...base, status: 'failure', answers: [], detail: r.reason };
    if (r.rcode === 'SERVFAIL') return { ...base, status: 'servfail', answers: [], detail: 'SERVFAIL' };
    if (r.rcode === 'REFUSED')
      return { ...base, status: 'refused', answers: [], detail: 'the resolver refused the query' };
    if (r.rcode !== 'NOERROR' && r.rcode !== 'NXDOMAIN')
      return { ...base, status: 'failure', answers: [], detail: r.rcode };
    return { ...base, status: r.rcode === 'NXDOMAIN' ? 'nxdomain' : 'found', answers: r.answers };
  }
}
