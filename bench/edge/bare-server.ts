/**
 * The floor for the edge benchmark: the least a node:https server can do for the same request (the same
 * certificate chosen by SNI, the same 302, no tickets), with none of senderd's work (host table, route table,
 * request head). senderd's distance to it is senderd's; its distance to nginx is the runtime's.
 * Usage: node bench/edge/bare-server.ts <port> <key file> <cert file>
 */
import { constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { createSecureContext } from 'node:tls';

const [port, keyFile, certFile] = process.argv.slice(2);
const secureOptions = constants.SSL_OP_NO_TICKET;
const context = createSecureContext({
  key: readFileSync(keyFile!),
  cert: readFileSync(certFile!),
  secureOptions,
});
const headers = ['location', 'https://example.com/', 'content-length', '0'];
createServer({ SNICallback: (_name, cb) => cb(null, context), secureOptions }, (_req, res) => {
  res.writeHead(302, headers);
  res.end();
}).listen(Number(port), '127.0.0.1', () => console.log('listening'));
