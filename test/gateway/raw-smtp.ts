import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import type { Harness } from './harness.ts';

/** A raw SMTP client for the gateway tests: each command and its reply as text, for what a library would hide. */
export class RawSmtp {
  #socket: Socket;
  #buffer = '';
  #waiter: (() => void) | undefined;

  constructor(socket: Socket) {
    this.#socket = socket;
    this.#attach(socket);
  }

  #attach(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => {
      this.#buffer += chunk.toString('latin1');
      this.#waiter?.();
    });
  }

  static async open(port: number, host = '127.0.0.1'): Promise<RawSmtp> {
    const socket = connect(port, host);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawSmtp(socket);
  }

  /** The next complete reply (the last line has a space after the code). */
  async reply(timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = /^(?:\d{3}-.*\r\n)*\d{3}(?: .*)?\r\n/.exec(this.#buffer);
      if (m) {
        this.#buffer = this.#buffer.slice(m[0].length);
        return m[0].trimEnd();
      }
      if (Date.now() > deadline) throw new Error(`no reply; have ${JSON.stringify(this.#buffer)}`);
      await new Promise<void>((resolve) => {
        this.#waiter = resolve;
        setTimeout(resolve, 100);
      });
    }
  }

  async command(line: string): Promise<string> {
    this.#socket.write(line + '\r\n');
    return this.reply();
  }

  write(data: string | Buffer): void {
    this.#socket.write(data);
  }

  /** Writes and waits until the socket takes more (backpressure), so a large message is never queued whole. */
  async send(data: Buffer): Promise<void> {
    if (this.#socket.write(data)) return;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#socket.once('error', onError);
      this.#socket.once('drain', () => {
        this.#socket.removeListener('error', onError);
        resolve();
      });
    });
  }

  async startTls(ca: string): Promise<void> {
    const secure = connectTls({ socket: this.#socket, ca, servername: 'localhost' });
    await new Promise((resolve, reject) => secure.once('secureConnect', resolve).once('error', reject));
    this.#socket = secure;
    this.#attach(secure);
  }

  close(): void {
    this.#socket.destroy();
  }
}

/** A signed-in session on the submission port, ready for MAIL FROM (as the harness tenant unless told). */
export async function session(
  h: Harness,
  user: { readonly username: string; readonly password: string } = h,
  host = '127.0.0.1',
): Promise<RawSmtp> {
  const c = await RawSmtp.open(h.port(), host);
  assert.match(await c.reply(), /^220 /);
  assert.match(await c.command('EHLO client.test'), /^250/);
  assert.match(await c.command('STARTTLS'), /^220 /);
  await c.startTls(h.ca);
  assert.match(await c.command('EHLO client.test'), /^250/);
  const token = Buffer.from(`\0${user.username}\0${user.password}`).toString('base64');
  assert.match(await c.command(`AUTH PLAIN ${token}`), /^235 /);
  return c;
}

/**
 * The bytes written to the spool: up to the last non-zero byte of each segment, because segment files run ahead in
 * preallocated zeros. Every record ends in a non-zero byte (a message may not contain NUL; a state record is JSON).
 */
export function spoolBytes(h: Harness): number {
  const dir = h.node.config.gateway.spool.dir;
  let sum = 0;
  for (const name of readdirSync(dir)) {
    const data = readFileSync(join(dir, name));
    let end = data.length;
    while (end > 0 && data[end - 1] === 0) end--;
    sum += end;
  }
  return sum;
}
