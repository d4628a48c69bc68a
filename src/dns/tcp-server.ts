import { createServer, type Server, type Socket } from 'node:net';
import { limitConnections, type ConnectionLimits } from '../connections/index.ts';
import type { QueryCounters } from './query-counters.ts';
import type { Responder } from './responder.ts';

/**
 * The TCP edge (RFC 7766): messages framed by a 2-octet length, several queries per connection answered as
 * they arrive (pipelining, §6.2.1.1), an idle timeout (§6.2.3), caps on connections overall and per client, and reads paused while a
 * client is not reading its answers, so a slow reader cannot make us buffer without bound.
 */
export interface TcpServerOptions {
  readonly host: string;
  readonly port: number;
  readonly responder: Responder;
  /** Where this listener counts its queries (for /metrics). */
  readonly counters?: QueryCounters | undefined;
  readonly idleTimeoutMs: number;
  /** Overall and per client (src/connections): one client's idle connections cannot starve the others. */
  readonly limits: ConnectionLimits;
  readonly onError: (error: Error) => void;
}

export interface TcpServer {
  readonly port: number;
  readonly address: string;
  close(): Promise<void>;
}

/** Answers queued for one client beyond this many bytes pause reading from it until it drains. */
const MAX_PENDING_OUTPUT = 1024 * 1024;

export function listenTcp(options: TcpServerOptions): Promise<TcpServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, options);
  });
  // RFC 7766 §6.2.2: a server may close connections to free resources; a refused client is closed unanswered.
  limitConnections(server, { limits: options.limits, refusal: () => '' });
  server.on('error', options.onError);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      const bound = server.address();
      if (bound === null || typeof bound === 'string') throw new Error('TCP server has no address');
      resolve({
        port: bound.port,
        address: bound.address,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const s of sockets) s.destroy();
          }),
      });
    });
  });
}

function serveConnection(socket: Socket, options: TcpServerOptions): void {
  const client = socket.remoteAddress ?? '';
  let pending: Buffer = Buffer.alloc(0);
  /** Queries that came while a transfer was being sent: answered after it, in order. */
  const waiting: Buffer[] = [];
  let transferring = false;
  socket.setTimeout(options.idleTimeoutMs, () => {
    if (!transferring) socket.destroy();
  });
  socket.on('error', () => socket.destroy());
  socket.on('drain', () => {
    if (!transferring) socket.resume();
  });
  const handle = (msg: Buffer): boolean => {
    if (transferring) {
      waiting.push(msg);
      return true;
    }
    const reply = options.responder.answer(msg, 'tcp', client);
    options.counters?.record('tcp', reply);
    if (reply === null) return false; // not a query: a peer that sends those gets no more of our time
    if (Array.isArray(reply)) {
      socket.write(frame(reply));
      return true;
    }
    transferring = true;
    socket.pause();
    sendTransfer(socket, reply.transfer).then(
      () => {
        transferring = false;
        while (waiting.length > 0 && !transferring) {
          if (!handle(waiting.shift()!)) return void socket.destroy();
        }
        if (!transferring && socket.writableLength <= MAX_PENDING_OUTPUT) socket.resume();
      },
      (error: unknown) => {
        options.onError(error instanceof Error ? error : new Error(String(error)));
        socket.destroy();
      },
    );
    return true;
  };
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let offset = 0;
    while (pending.length - offset >= 2) {
      const length = pending.readUInt16BE(offset);
      if (pending.length - offset - 2 < length) break;
      // A copy: the responder rewrites the message in place into the answer.
      const msg = Buffer.from(pending.subarray(offset + 2, offset + 2 + length));
      offset += 2 + length;
      if (!handle(msg)) {
        socket.destroy();
        return;
      }
    }
    pending = offset === 0 ? pending : pending.subarray(offset);
    if (socket.writableLength > MAX_PENDING_OUTPUT) socket.pause();
  });
}

/**
 * Sends the messages of a transfer as they are made, waiting whenever the client has not read what was sent (a
 * zone of a million names is never held in memory whole). Returns how many were sent.
 */
async function sendTransfer(socket: Socket, messages: AsyncIterable<Buffer>): Promise<number> {
  let sent = 0;
  for await (const message of messages) {
    if (socket.destroyed) break;
    sent++;
    if (!socket.write(frame([message]))) await drained(socket);
  }
  return sent;
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

function frame(chunks: readonly Buffer[]): Buffer {
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = Buffer.allocUnsafe(2 + length);
  out.writeUInt16BE(length, 0);
  let at = 2;
  for (const c of chunks) {
    c.copy(out, at);
    at += c.length;
  }
  return out;
}
