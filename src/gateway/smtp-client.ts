import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { parseIp } from '../ip/index.ts';

/**
 * A small SMTP client for relaying (RFC 5321): one connection, reused for many transactions, with PIPELINING
 * (RFC 2920), STARTTLS (RFC 3207), AUTH PLAIN (RFC 4954/4616), SIZE (RFC 1870) and 8BITMIME (RFC 6152).
 * Replies come back as data; only a broken connection is an exception.
 */

export interface ClientReply {
  readonly code: number;
  /** The reply's text lines, without the code. */
  readonly lines: readonly string[];
}

export type TlsMode = 'none' | 'opportunistic' | 'starttls' | 'implicit';

export interface SmtpClientOptions {
  /** The address to connect to (an IP address or a name). */
  readonly host: string;
  readonly port: number;
  /** The server's name, for TLS SNI and certificate checks. */
  readonly servername?: string;
  /** Our name in EHLO. */
  readonly heloName: string;
  /** opportunistic: STARTTLS when offered, unauthenticated (RFC 7435); starttls: required and verified. */
  readonly tls: TlsMode;
  readonly rejectUnauthorized?: boolean;
  readonly ca?: string;
  readonly auth?: { readonly username: string; readonly password: string };
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
}

export interface TransactionResult {
  readonly mail: ClientReply;
  readonly recipients: readonly ClientReply[];
  /** The reply to the end of data; absent when no recipient was accepted. */
  readonly data?: ClientReply;
}

const END_OF_DATA = '.\r\n';
const DOT_LINE = Buffer.from('\r\n.');
const LF = 10;

/** The envelope of a transaction to pipeline behind the current one (RFC 2920). */
export interface NextEnvelope {
  readonly from: string;
  readonly recipients: readonly string[];
  /** The message's size in bytes, for SIZE= on MAIL FROM (RFC 1870), when the server offers SIZE. */
  readonly size?: number;
}

interface Waiter {
  readonly resolve: (r: ClientReply) => void;
  readonly reject: (e: Error) => void;
  readonly stage: string;
  /** When the reply is overdue (performance.now() ms). */
  readonly deadline: number;
}

export class SmtpConnectionError extends Error {
  readonly stage: string;
  constructor(stage: string, message: string) {
    super(message);
    this.name = 'SmtpConnectionError';
    this.stage = stage;
  }
}

export class SmtpClient {
  #socket: Socket | TLSSocket;
  /** The start of a reply line that has not ended yet. */
  #partial: Buffer | undefined;
  #lines: string[] = [];
  #waiters: Waiter[] = [];
  /** Replies that arrived before anyone asked for them (pipelined commands). */
  #unclaimed: ClientReply[] = [];
  /** One timer per connection for the oldest reply awaited, not one per command. */
  #timer: NodeJS.Timeout | undefined;
  #failure: Error | undefined;
  #extensions = new Map<string, string>();
  #secure = false;
  /** A transaction whose MAIL, RCPT and DATA went out behind the previous message; its replies are still due. */
  #ahead: NextEnvelope | undefined;
  readonly #options: SmtpClientOptions;

  private constructor(socket: Socket | TLSSocket, options: SmtpClientOptions) {
    this.#options = options;
    this.#socket = socket;
    this.#attach(socket);
  }

  /** Connects, reads the greeting, says EHLO, upgrades with STARTTLS and authenticates as configured. */
  static async connect(options: SmtpClientOptions): Promise<SmtpClient> {
    const socket = await openSocket(options);
    const client = new SmtpClient(socket, options);
    client.#secure = options.tls === 'implicit';
    try {
      await client.#handshake();
      return client;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  get secure(): boolean {
    return this.#secure;
  }

  get usable(): boolean {
    return this.#failure === undefined && !this.#socket.destroyed;
  }

  /** Whether the server offers PIPELINING, so `send` may send the next envelope behind a message. */
  get pipelining(): boolean {
    return this.#extensions.has('PIPELINING');
  }

  /**
   * One transaction: MAIL, RCPT for each recipient, DATA and the message (whole, or in pieces that join into it;
   * dot-stuffed here). With PIPELINING,
   * `next` (the envelope of the transaction that will follow on this connection) is sent in the same write as this
   * message's end of data: RFC 2920 §3.1 lets the message content open a group and DATA close it, so a steady
   * stream of messages costs one write per message. The caller must then send `next` as its very next call.
   */
  async send(
    from: string,
    recipients: readonly string[],
    message: MessageContent,
    next?: NextEnvelope,
  ): Promise<TransactionResult> {
    const pipelining = this.pipelining;
    const size = contentSize(message);
    let mail: ClientReply;
    const rcpt: ClientReply[] = [];
    let dataReply: ClientReply;
    if (pipelining) {
      const ahead = this.#ahead;
      this.#ahead = undefined;
      if (ahead === undefined) this.#write(this.#envelope(from, recipients, size));
      else if (ahead.from !== from || !sameList(ahead.recipients, recipients)) {
        // A caller bug, not the server's: the replies due are for another envelope. The connection is unusable.
        const error = new SmtpConnectionError(
          'MAIL',
          'the pipelined envelope does not match the transaction',
        );
        this.#fail(error);
        throw error;
      }
      // RFC 2920 §3.1: MAIL, the RCPTs and DATA go in one group; DATA is the last command of it.
      mail = await this.#read('MAIL');
      for (let i = 0; i < recipients.length; i++) rcpt.push(await this.#read('RCPT'));
      dataReply = await this.#read('DATA');
    } else {
      mail = await this.command(this.#mailCommand(from, size), 'MAIL');
      if (mail.code !== 250) return { mail, recipients: recipients.map(() => mail) };
      for (const r of recipients) rcpt.push(await this.command(`RCPT TO:<${r}>`, 'RCPT'));
      if (!rcpt.some((r) => r.code === 250 || r.code === 251)) {
        await this.command('RSET', 'RSET');
        return { mail, recipients: rcpt };
      }
      dataReply = await this.command('DATA', 'DATA');
    }
    const accepted = mail.code === 250 && rcpt.some((r) => r.code === 250 || r.code === 251);
    if (dataReply.code !== 354) {
      if (mail.code !== 250 || !accepted) await this.command('RSET', 'RSET');
      return { mail, recipients: rcpt, ...(accepted ? { data: dataReply } : {}) };
    }
    if (!accepted) {
      // RFC 2920 §3.1: the server went into data mode although nobody was accepted; end it with no content.
      await this.command('.', 'DATA end');
      return { mail, recipients: rcpt };
    }
    // The message, its end-of-data line and the next envelope in one write (one system call, no copy).
    const ahead = pipelining && next !== undefined ? next : undefined;
    const tail =
      END_OF_DATA +
      (ahead === undefined ? '' : this.#envelope(ahead.from, ahead.recipients, ahead.size ?? null));
    if (this.#failure) throw this.#failure;
    if (isStreamed(message)) await this.#stream(message, tail);
    else {
      this.#socket.cork();
      for (const piece of dotStuffedPieces(message)) this.#socket.write(piece);
      this.#socket.write(tail, 'latin1');
      this.#socket.uncork();
    }
    this.#ahead = ahead;
    const data = await this.#read('DATA end');
    return { mail, recipients: rcpt, data };
  }

  /**
   * A message whose body is read from its spool file as it is sent: dot-stuffed piece by piece, each write waiting
   * for the socket to drain, so only a few pieces are ever in memory.
   */
  async #stream(message: StreamedContent, tail: string): Promise<void> {
    const stuffer = new DotStuffer();
    for (const piece of stuffer.push(message.head)) this.#socket.write(piece);
    for await (const chunk of message.body()) {
      let flowing = true;
      for (const piece of stuffer.push(chunk)) flowing = this.#socket.write(piece);
      if (!flowing) await this.#drained();
      if (this.#failure) throw this.#failure;
    }
    this.#socket.cork();
    for (const piece of stuffer.end()) this.#socket.write(piece);
    this.#socket.write(tail, 'latin1');
    this.#socket.uncork();
  }

  /** Resolves once the socket takes more, or is gone (then `#failure` says why). */
  #drained(): Promise<void> {
    const socket = this.#socket;
    return new Promise((resolve) => {
      const done = () => {
        socket.removeListener('drain', done);
        socket.removeListener('close', done);
        resolve();
      };
      socket.once('drain', done);
      socket.once('close', done);
    });
  }

  #mailCommand(from: string, size: number | null): string {
    let command = `MAIL FROM:<${from}>`;
    if (size !== null && this.#extensions.has('SIZE')) command += ` SIZE=${size}`;
    // RFC 6152: declaring 8BITMIME for 7-bit content is harmless, and saves scanning every message for 8-bit bytes.
    if (this.#extensions.has('8BITMIME')) command += ' BODY=8BITMIME';
    return command;
  }

  /** MAIL, RCPTs and DATA as one pipelined group; no SIZE= when `size` is null. */
  #envelope(from: string, recipients: readonly string[], size: number | null): string {
    let group = this.#mailCommand(from, size) + '\r\n';
    for (const r of recipients) group += `RCPT TO:<${r}>\r\n`;
    return group + 'DATA\r\n';
  }

  async command(line: string, stage: string): Promise<ClientReply> {
    this.#write(line + '\r\n');
    return this.#read(stage);
  }

  async quit(): Promise<void> {
    if (!this.usable) return this.close();
    try {
      await this.command('QUIT', 'QUIT');
    } catch {
      // The server may close first; either way the connection is over.
    }
    this.close();
  }

  close(): void {
    this.#socket.destroy();
  }

  async #handshake(): Promise<void> {
    const greeting = await this.#read('greeting');
    if (greeting.code !== 220) throw rejected('greeting', greeting);
    await this.#ehlo();
    const offered = this.#extensions.has('STARTTLS');
    const mode = this.#options.tls;
    if (mode === 'starttls' && !offered)
      throw new SmtpConnectionError('STARTTLS', 'the server does not offer STARTTLS');
    if ((mode === 'starttls' || mode === 'opportunistic') && offered) {
      const reply = await this.command('STARTTLS', 'STARTTLS');
      if (reply.code !== 220) {
        if (mode === 'starttls') throw rejected('STARTTLS', reply);
      } else {
        // RFC 3207 §4.2 (and §6): nothing the server sent before TLS may be used after it. Bytes already buffered
        // behind the 220 were not sent through TLS: a man in the middle can append replies there (the
        // CVE-2011-0411 class), which would then answer our first commands inside TLS. Such a server is broken or
        // attacked: give up on this connection (a temporary failure; the stage is not 'STARTTLS', so delivery
        // does not fall back to plain text on this host).
        if (this.#buffered())
          throw new SmtpConnectionError(
            'STARTTLS reply',
            'the server sent more after its 220 to STARTTLS (RFC 3207 section 4.2); connection dropped',
          );
        await this.#upgrade();
        await this.#ehlo();
      }
    }
    const auth = this.#options.auth;
    if (auth !== undefined) {
      if (!this.#secure) throw new SmtpConnectionError('AUTH', 'refusing to send credentials without TLS');
      const token = Buffer.from(`\0${auth.username}\0${auth.password}`).toString('base64');
      const reply = await this.command(`AUTH PLAIN ${token}`, 'AUTH');
      if (reply.code !== 235) throw rejected('AUTH', reply);
    }
  }

  async #ehlo(): Promise<void> {
    let reply = await this.command(`EHLO ${this.#options.heloName}`, 'EHLO');
    this.#extensions = new Map();
    if (reply.code !== 250) {
      // RFC 5321 §3.2: a server that does not know EHLO gets HELO, and then no extensions.
      reply = await this.command(`HELO ${this.#options.heloName}`, 'HELO');
      if (reply.code !== 250) throw rejected('HELO', reply);
      return;
    }
    for (const line of reply.lines.slice(1)) {
      const [keyword = '', ...rest] = line.trim().split(/\s+/);
      this.#extensions.set(keyword.toUpperCase(), rest.join(' '));
    }
  }

  /** Whether anything the server sent is buffered and not yet read as a reply. */
  #buffered(): boolean {
    return this.#unclaimed.length > 0 || this.#lines.length > 0 || this.#partial !== undefined;
  }

  async #upgrade(): Promise<void> {
    const plain = this.#socket;
    plain.removeAllListeners('data');
    // RFC 3207 §4.2: the client discards any knowledge obtained from the server before TLS.
    this.#unclaimed = [];
    this.#lines = [];
    this.#partial = undefined;
    this.#extensions = new Map();
    const secure = connectTls({
      socket: plain,
      ...sni(this.#options.servername ?? this.#options.host),
      // RFC 7435: opportunistic TLS encrypts without authenticating; a required TLS verifies the certificate.
      rejectUnauthorized: this.#options.tls === 'starttls' && this.#options.rejectUnauthorized !== false,
      minVersion: 'TLSv1.2',
      ...(this.#options.ca ? { ca: this.#options.ca } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new SmtpConnectionError('STARTTLS', 'TLS handshake timed out')),
        this.#options.commandTimeoutMs,
      );
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      secure.once('error', (e: Error) => {
        clearTimeout(timer);
        reject(new SmtpConnectionError('STARTTLS', `TLS handshake failed: ${e.message}`));
      });
    });
    this.#socket = secure;
    this.#secure = true;
    this.#attach(secure);
  }

  #attach(socket: Socket | TLSSocket): void {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (e: Error) => this.#fail(new SmtpConnectionError('connection', e.message)));
    socket.on('close', () =>
      this.#fail(new SmtpConnectionError('connection', 'the server closed the connection')),
    );
  }

  #onData(chunk: Buffer): void {
    let data = chunk;
    if (this.#partial !== undefined) {
      data = Buffer.concat([this.#partial, chunk]);
      this.#partial = undefined;
    }
    let start = 0;
    for (let nl = data.indexOf(LF); nl >= 0; nl = data.indexOf(LF, start)) {
      const end = nl > start && data[nl - 1] === 13 ? nl - 1 : nl;
      this.#line(data.toString('latin1', start, end));
      start = nl + 1;
    }
    if (start < data.length) {
      if (data.length - start > 65536) {
        this.#fail(new SmtpConnectionError('reply', 'reply line too long'));
        return;
      }
      this.#partial = data.subarray(start);
    }
  }

  #line(line: string): void {
    this.#lines.push(line);
    // A reply ends with a line whose fourth character is a space (or which is just the code), RFC 5321 §4.2.
    if (line.length >= 3 && (line.length === 3 || line.charCodeAt(3) === 32) && isCode(line)) {
      const code = Number(line.slice(0, 3));
      const lines = this.#lines.map((l) => l.slice(4));
      this.#lines = [];
      const waiter = this.#waiters.shift();
      if (waiter !== undefined) waiter.resolve({ code, lines });
      else this.#unclaimed.push({ code, lines });
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    for (const w of this.#waiters.splice(0)) w.reject(this.#failure);
    this.#socket.destroy();
  }

  #write(text: string): void {
    if (this.#failure) throw this.#failure;
    this.#socket.write(text, 'latin1');
  }

  #read(stage: string): Promise<ClientReply> {
    const ready = this.#unclaimed.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiters.push({
        resolve,
        reject,
        stage,
        deadline: performance.now() + this.#options.commandTimeoutMs,
      });
      // Unreferenced: the socket keeps the process alive while a reply is due; the timer need not.
      this.#timer ??= setTimeout(() => this.#checkDeadline(), this.#options.commandTimeoutMs).unref();
    });
  }

  /** The oldest awaited reply is the first due: fail if it is overdue, else wait until it is. */
  #checkDeadline(): void {
    this.#timer = undefined;
    const oldest = this.#waiters[0];
    if (oldest === undefined) return;
    const left = oldest.deadline - performance.now();
    if (left <= 0) {
      this.#fail(
        new SmtpConnectionError(
          oldest.stage,
          `no reply to ${oldest.stage} within ${this.#options.commandTimeoutMs} ms`,
        ),
      );
    } else this.#timer = setTimeout(() => this.#checkDeadline(), left + 1).unref();
  }
}

function isCode(line: string): boolean {
  for (let i = 0; i < 3; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function rejected(stage: string, reply: ClientReply): SmtpConnectionError {
  return new SmtpConnectionError(stage, `${stage} refused: ${reply.code} ${reply.lines.join(' ')}`);
}

function openSocket(options: SmtpClientOptions): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket =
      options.tls === 'implicit'
        ? connectTls({
            host: options.host,
            port: options.port,
            ...sni(options.servername ?? options.host),
            rejectUnauthorized: options.rejectUnauthorized !== false,
            minVersion: 'TLSv1.2',
            ...(options.ca ? { ca: options.ca } : {}),
          })
        : connectTcp({ host: options.host, port: options.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SmtpConnectionError('connect', `connecting to ${options.host}:${options.port} timed out`));
    }, options.connectTimeoutMs);
    socket.once(options.tls === 'implicit' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e: Error) => {
      clearTimeout(timer);
      reject(new SmtpConnectionError('connect', `${options.host}:${options.port}: ${e.message}`));
    });
  });
}

/**
 * RFC 5321 §4.5.2: a line that starts with a period gets one more. The message is CRLF-only, given whole or in
 * pieces that join into it; a final CRLF is added if missing (the end-of-data line follows). Returns the pieces to
 * write, slices of the message: no copy.
 */
export function dotStuffedPieces(message: Buffer | readonly Buffer[]): Buffer[] {
  const pieces = Buffer.isBuffer(message) ? [message] : message;
  const stuffer = new DotStuffer();
  const parts: Buffer[] = [];
  for (const piece of pieces) parts.push(...stuffer.push(piece));
  parts.push(...stuffer.end());
  return parts;
}

/** `dotStuffedPieces` for a message that comes piece by piece: what to write for each, then for the end. */
export class DotStuffer {
  // The last two bytes so far (-1: none yet); a line starts after CRLF, and at the very beginning.
  #before2 = -1;
  #before1 = -1;
  #total = 0;

  push(piece: Buffer): Buffer[] {
    if (piece.length === 0) return [];
    const parts: Buffer[] = [];
    let start = 0;
    const lineStart = this.#total === 0 || (this.#before2 === 13 && this.#before1 === 10);
    if (lineStart && piece[0] === 0x2e) parts.push(DOT);
    else if (this.#before1 === 13 && piece[0] === 10 && piece[1] === 0x2e) {
      // The CRLF before the period straddles two pieces.
      parts.push(piece.subarray(0, 1), DOT);
      start = 1;
    }
    for (let i = piece.indexOf(DOT_LINE, start); i >= 0; i = piece.indexOf(DOT_LINE, start)) {
      parts.push(piece.subarray(start, i + 2), DOT);
      start = i + 2;
    }
    parts.push(start === 0 ? piece : piece.subarray(start));
    this.#before2 = piece.length >= 2 ? piece[piece.length - 2]! : this.#before1;
    this.#before1 = piece[piece.length - 1]!;
    this.#total += piece.length;
    return parts;
  }

  /** A final CRLF if the message does not end in one (the end-of-data line follows). */
  end(): Buffer[] {
    return this.#before2 === 13 && this.#before1 === 10 ? [] : [CRLF];
  }
}

/** A message whose body is read from a file as it is sent (a spooled message that streamed in, spool.ts). */
export interface StreamedContent {
  readonly head: Buffer;
  readonly size: number;
  readonly body: () => AsyncIterable<Buffer>;
}

/** A message to send: whole, in pieces that join into it, or a head in memory and a body read as it goes. */
export type MessageContent = Buffer | readonly Buffer[] | StreamedContent;

function isStreamed(message: MessageContent): message is StreamedContent {
  return !Buffer.isBuffer(message) && !Array.isArray(message);
}

export function contentSize(message: MessageContent): number {
  if (Buffer.isBuffer(message)) return message.length;
  if (isStreamed(message)) return message.size;
  return (message as readonly Buffer[]).reduce((sum, p) => sum + p.length, 0);
}

/** The message as it goes on the wire, dot-stuffed, without the end-of-data line. */
export function dotStuff(message: Buffer | readonly Buffer[]): Buffer {
  const parts = dotStuffedPieces(message);
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

const DOT = Buffer.from('.');
const CRLF = Buffer.from('\r\n');

/** RFC 6066 §3: SNI carries a host name, never an address literal. */
function sni(name: string): { servername?: string } {
  return parseIp(name) === null ? { servername: name } : {};
}
