/**
 * Gathers what the message carrying reports proves about its sender, while it streams in: its DKIM signatures,
 * verified by mailauth with senderd's own resolver (never the system's), and the SMTP client's forward-confirmed
 * reverse name. The verdict per report is reporter-trust.ts; this only collects the facts.
 */
import { PassThrough } from 'node:stream';
import { dkimVerify } from 'mailauth';
import { normaliseIp } from '../ip/index.ts';
import type { MessageEvidence } from './reporter-trust.ts';
import { lookUpReverseName, type ReverseResolver } from './reverse-names.ts';

/** TXT records of a name, each one's strings joined; [] when there is none; throws when DNS fails. */
export type TxtLookup = (name: string) => Promise<string[]>;

export interface EvidenceResolvers {
  readonly txt: TxtLookup;
  readonly reverse: ReverseResolver | null;
}

/** A header field name at the very start: the input is an RFC 5322 message (not XML, JSON, zip or gzip). */
const FIELD_START = /^[\x21-\x39\x3b-\x7e]{1,76}:/;

export class EvidenceCollector {
  readonly #stream: PassThrough;
  readonly #dkim: Promise<{ pass: string[]; summary: string }>;
  readonly #client: Promise<string | null>;
  readonly #clientIp: string | null;
  #decided = false;
  #isMessage = false;
  readonly #resolvers: EvidenceResolvers;

  constructor(resolvers: EvidenceResolvers, clientIp: string | null) {
    this.#resolvers = resolvers;
    // An IPv4 client on a dual-stack socket shows as ::ffff:192.0.2.1; its PTR is the IPv4 one.
    this.#clientIp = clientIp === null ? null : normaliseIp(clientIp);
    clientIp = this.#clientIp;
    this.#stream = new PassThrough({ highWaterMark: 1 << 20 });
    this.#dkim = this.#verify(this.#stream);
    this.#client =
      clientIp === null || resolvers.reverse === null
        ? Promise.resolve(null)
        : lookUpReverseName(resolvers.reverse, clientIp).then(
            (r) => (r.verified ? r.ptr : null),
            () => null,
          );
  }

  /** Each chunk of the input, in order. */
  add(chunk: Uint8Array): void {
    if (!this.#decided) {
      this.#decided = true;
      this.#isMessage = FIELD_START.test(Buffer.from(chunk.subarray(0, 80)).toString('latin1'));
    }
    if (this.#isMessage) this.#stream.write(chunk);
  }

  /** After the last chunk, when nothing needs the evidence: ends the verifier's stream. */
  close(): void {
    this.#stream.end();
  }

  /** After the last chunk: what the message proves. */
  async result(): Promise<MessageEvidence> {
    this.#stream.end();
    const [dkim, clientName] = await Promise.all([this.#dkim, this.#client]);
    return { dkimPass: dkim.pass, dkimSummary: dkim.summary, clientIp: this.#clientIp, clientName };
  }

  async #verify(stream: PassThrough): Promise<{ pass: string[]; summary: string }> {
    const txt = this.#resolvers.txt;
    try {
      // Read nothing until the first chunk says whether this is a message at all.
      const result = await dkimVerify(stream, {
        resolver: async (name: string, rrtype: string) => {
          if (rrtype !== 'TXT') throw Object.assign(new Error(`no ${rrtype} lookups`), { code: 'ENOTFOUND' });
          const found = await txt(name);
          if (found.length === 0) throw Object.assign(new Error(`no TXT at ${name}`), { code: 'ENOTFOUND' });
          return found.map((t) => [t]);
        },
      });
      if (!this.#isMessage) return { pass: [], summary: 'not a message, so no DKIM signature' };
      const signed = result.results.filter((r) => r.signingDomain !== undefined);
      if (signed.length === 0) return { pass: [], summary: 'no DKIM signature' };
      const pass = signed
        .filter((r) => r.status.result === 'pass')
        .map((r) => r.signingDomain!.toLowerCase().replace(/\.$/, ''));
      const summary = signed
        .map(
          (r) =>
            `DKIM d=${r.signingDomain} ${r.status.result}${r.status.comment ? ` (${r.status.comment})` : ''}`,
        )
        .join(', ');
      return { pass, summary };
    } catch (error) {
      stream.resume();
      return { pass: [], summary: `DKIM not verifiable: ${(error as Error).message}` };
    }
  }
}
