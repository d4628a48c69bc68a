/**
 * Debian's Pebble (an RFC 8555 test CA from Let's Encrypt) for tests: its own config and listener certificate in
 * a temporary directory, a resolver to validate through (`-dnsserver`), and the HTTP-01 port set to the edge's
 * port of the test (Pebble connects to the address its DNS gives and this port). Fast and deterministic: no
 * validation sleeps, no nonce rejections, no authorization reuse.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { selfSignedCertificate } from '../../src/gateway/index.ts';
import { tempDir } from './node.ts';
import { freePort } from './ports.ts';

export interface Pebble {
  /** The ACME directory URL. */
  readonly directoryUrl: string;
  /** The listener's certificate: trust it (edge.acme.caFile) to talk to Pebble over HTTPS. */
  readonly listenerCaFile: string;
  /** Pebble's root for the certificates it issues (made new at every start), PEM. */
  readonly rootPem: string;
  readonly rootFile: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startPebble(options: {
  httpPort: number;
  dnsServer: string;
  /** Lifetime of issued certificates, in seconds (Let's Encrypt's 90 days by default). */
  validitySeconds?: number;
}): Promise<Pebble> {
  const dir = tempDir('senderd-pebble-');
  const listener = selfSignedCertificate('localhost', new Date());
  const certFile = join(dir.path, 'listener.crt');
  writeFileSync(certFile, listener.cert);
  writeFileSync(join(dir.path, 'listener.key'), listener.key, { mode: 0o600 });
  const [acmePort, managementPort] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir.path, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${acmePort}`,
        managementListenAddress: `127.0.0.1:${managementPort}`,
        certificate: certFile,
        privateKey: join(dir.path, 'listener.key'),
        httpPort: options.httpPort,
        tlsPort: options.httpPort,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
        certificateValidityPeriod: options.validitySeconds ?? 90 * 86_400,
      },
    }),
  );
  const child: ChildProcess = spawn(
    '/usr/bin/pebble',
    ['-config', join(dir.path, 'pebble.json'), '-dnsserver', options.dnsServer],
    {
      env: {
        ...process.env,
        PEBBLE_VA_NOSLEEP: '1',
        PEBBLE_WFE_NONCEREJECT: '0',
        PEBBLE_AUTHZREUSE: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }).then(() => dir.remove());
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pebble did not start:\n${output}`)), 20_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        if (output.includes('ACME directory available at')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`pebble exited (${code}):\n${output}`));
      });
    });
    const rootPem = await get(`https://127.0.0.1:${managementPort}/roots/0`, listener.cert);
    const rootFile = join(dir.path, 'root.pem');
    writeFileSync(rootFile, rootPem);
    return {
      directoryUrl: `https://127.0.0.1:${acmePort}/dir`,
      listenerCaFile: certFile,
      rootPem,
      rootFile,
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function get(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(body) : reject(new Error(`${url}: ${res.statusCode}`)),
      );
    })
      .on('error', reject)
      .end();
  });
}
