/**
 * The header fields the gateway adds (pure). RFC 6409 §8 lets a submission server add a missing Date and
 * Message-ID; RFC 5321 §4.4 requires the trace (Received) field of every SMTP server that takes a message.
 */
import { formatAddressLiteral, parseIp } from '../ip/index.ts';
import { formatDateTime } from '../mail/index.ts';

export interface ReceivedInput {
  readonly helo: string;
  readonly clientAddress: string;
  readonly byHost: string;
  /** RFC 3848 protocol type: ESMTPSA (TLS and AUTH), ESMTPA, ESMTPS, ESMTP. */
  readonly protocol: string;
  readonly id: string;
  readonly at: Date;
}

export function receivedField(r: ReceivedInput): string {
  // The HELO name is the client's word; keep only characters that cannot break the field.
  const helo = r.helo.replace(/[^A-Za-z0-9.\-[\]:]/g, '').slice(0, 255) || 'unknown';
  return (
    `Received: from ${helo} (${addressLiteral(r.clientAddress)})\r\n\tby ${r.byHost} (senderd) with ${r.protocol} id ${r.id};\r\n` +
    `\t${formatDateTime(r.at)}\r\n`
  );
}

/**
 * The client's address as an RFC 5321 §4.1.3 address literal: `[192.0.2.1]`, `[IPv6:2001:db8::1]`. An
 * IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, what a dual-stack socket reports for an IPv4 client) is the IPv4
 * client it stands for. A zone index (`fe80::1%eth0`) has no place in the literal's syntax and is dropped.
 */
export function addressLiteral(address: string): string {
  const ip = parseIp(address);
  return ip === null ? `[${address}]` : formatAddressLiteral(ip);
}

export function protocolName(secure: boolean, authenticated: boolean): string {
  return `ESMTP${secure ? 'S' : ''}${authenticated ? 'A' : ''}`;
}

/** The fields to append to a header that lacks them. */
export function missingFields(
  has: (key: string) => boolean,
  messageId: string,
  idDomain: string,
  at: Date,
): string {
  let out = '';
  if (!has('date')) out += `Date: ${formatDateTime(at)}\r\n`;
  if (!has('message-id')) out += `Message-ID: <${messageId}@${idDomain}>\r\n`;
  return out;
}
