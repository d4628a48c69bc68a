import { formatIp, parseIp, unmapped } from '../ip/index.ts';

/**
 * How many connections one listener holds open, overall and per client (pure). Every listener of a node (HTTP,
 * DNS over TCP, submission and relay, the inbound MX, the edge host) counts through one of these, so that one
 * client cannot take a listener's every connection, and one listener under attack cannot take the descriptors the
 * others need (src/connections/descriptor-budget.ts gives each listener its share).
 */
export interface ConnectionLimits {
  /** Connections this listener holds open at once. */
  readonly maxConnections: number;
  /** Connections one client (an IPv4 address, or an IPv6 /64) holds open at once. */
  readonly maxConnectionsPerClient: number;
}

export type Admission =
  | { readonly admitted: true; readonly client: string; release(): void }
  | { readonly admitted: false; readonly client: string; readonly reason: 'listener-full' | 'client-full' };

/**
 * The client a connection is counted against: the IPv4 address (also when it arrives IPv4-mapped on a dual-stack
 * socket), or the /64 of an IPv6 address, the smallest block a site is given (RFC 6177 §3; RFC 4291 §2.5.1), so
 * that one host cannot pass the limit by using many addresses of its own subnet.
 */
export function clientOf(remoteAddress: string): string {
  const ip = parseIp(remoteAddress);
  if (ip === null) return remoteAddress;
  const plain = unmapped(ip);
  if (plain.family === 4) return formatIp(plain);
  const prefix = new Uint8Array(16);
  prefix.set(plain.bytes.subarray(0, 8));
  return `${formatIp({ family: 6, bytes: prefix })}/64`;
}

export class ConnectionLimiter {
  readonly limits: ConnectionLimits;
  #open = 0;
  readonly #byClient = new Map<string, number>();

  constructor(limits: ConnectionLimits) {
    this.limits = limits;
  }

  /** Counts a new connection from `remoteAddress`, or says why it is refused; release exactly once. */
  admit(remoteAddress: string): Admission {
    const client = clientOf(remoteAddress);
    if (this.#open >= this.limits.maxConnections) return { admitted: false, client, reason: 'listener-full' };
    const held = this.#byClient.get(client) ?? 0;
    if (held >= this.limits.maxConnectionsPerClient)
      return { admitted: false, client, reason: 'client-full' };
    this.#open += 1;
    this.#byClient.set(client, held + 1);
    let released = false;
    return {
      admitted: true,
      client,
      release: () => {
        if (released) return;
        released = true;
        this.#open -= 1;
        const left = (this.#byClient.get(client) ?? 1) - 1;
        if (left <= 0) this.#byClient.delete(client);
        else this.#byClient.set(client, left);
      },
    };
  }

  get open(): number {
    return this.#open;
  }

  heldBy(remoteAddress: string): number {
    return this.#byClient.get(clientOf(remoteAddress)) ?? 0;
  }
}
