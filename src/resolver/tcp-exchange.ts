import { connect } from 'node:net';
import type { DnsServerAddress } from './model.ts';

/** A whole message back, or why not. */
export type TcpReply =
  | { readonly ok: true; readonly message: Buffer }
  | { readonly ok: false; readonly timeout: boolean; readonly reason: string };

/**
 * Sends one DNS message over TCP and reads one back (RFC 1035 §4.2.2: each message prefixed by its two-octet
 * length; RFC 7766). The message bytes are the caller's: a query, or a dynamic update (RFC 2136) signed with
 * TSIG, which must reach the server byte for byte as signed.
 */
export function exchangeTcp(server: DnsServerAddress, message: Buffer, timeoutMs: number): Promise<TcpReply> {
  const frame = Buffer.alloc(message.length + 2);
  frame.writeUInt16BE(message.length, 0);
  message.copy(frame, 2);
  return new Promise((resolve) => {
    const socket = connect({ host: server.host, port: server.port });
    let buffered = Buffer.alloc(0);
    const finish = (r: TcpReply) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => finish({ ok: false, timeout: true, reason: 'no answer in time' }));
    socket.on('error', (e) =>
      finish({ ok: false, timeout: false, reason: `TCP to ${server.host}:${server.port}: ${e.message}` }),
    );
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (buffered.length < 2) return;
      const length = buffered.readUInt16BE(0);
      if (buffered.length < length + 2) return;
      finish({ ok: true, message: Buffer.from(buffered.subarray(2, 2 + length)) });
    });
    socket.on('end', () =>
      finish({ ok: false, timeout: false, reason: 'the server closed the TCP connection without an answer' }),
    );
  });
}
