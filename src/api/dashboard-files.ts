/**
 * Serves the built dashboard (index.html and hashed assets) on the API's origin. Every file is read once at start
 * into memory, so a request can never reach the filesystem: no path traversal, no directory listing, no file
 * that was not in the build. Unknown paths under /assets are 404; other page paths get index.html (the
 * single-page app routes them).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';

interface StaticFile {
  readonly body: Uint8Array;
  readonly gzip: Uint8Array | null;
  readonly type: string;
  readonly etag: string;
  readonly immutable: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);

/**
 * The dashboard's Content Security Policy: only our own scripts, styles and API; nothing inline, no framing.
 * React sets style properties through the CSSOM, which CSP does not restrict, so no 'unsafe-inline' is needed.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the API, never to the dashboard's page fallback. */
const API_PATHS = /^\/(v1(\/|$)|openapi\.json$|healthz$|readyz$|metrics$)/;

/** The single-page app's routes (src/web/router.ts); each is answered with index.html. */
export const DASHBOARD_ROUTES =
  /^\/($|sign-in\/?$|operator\/?$|team\/?$|account\/?$|api-keys\/?$|smtp-credentials\/?$|suppressions\/?$|notifications\/?$|set-password\/?$|domains(\/|$))/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** Reads a built dashboard directory. Returns null when there is no index.html in it. */
export function loadDashboardFiles(dir: string): Map<string, StaticFile> | null {
  if (!existsSync(join(dir, 'index.html'))) return null;
  const files = new Map<string, StaticFile>();
  for (const full of walk(dir)) {
    const path = `/${relative(dir, full).split(sep).join('/')}`;
    // Build bookkeeping (the stamp file) and hidden files are not served.
    if (path.split('/').some((part) => part.startsWith('.'))) continue;
    const body = readFileSync(full);
    const ext = extname(full).toLowerCase();
    files.set(path, {
      body,
      gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body) : null,
      type: TYPES[ext] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      // Vite names every asset after its content hash, so an asset URL never changes meaning.
      immutable: path.startsWith('/assets/'),
    });
  }
  return files;
}

function securityHeaders(c: Context): void {
  c.header('Content-Security-Policy', DASHBOARD_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Frame-Options', 'DENY');
}

function send(c: Context, file: StaticFile): Response {
  securityHeaders(c);
  c.header('Content-Type', file.type);
  c.header('ETag', file.etag);
  c.header('Vary', 'Accept-Encoding');
  c.header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  const tags = c.req.header('if-none-match');
  if (tags !== undefined && tags.split(',').some((t) => t.trim() === file.etag)) return c.body(null, 304);
  const gzip =
    file.gzip !== null && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '') ? file.gzip : null;
  if (gzip !== null) c.header('Content-Encoding', 'gzip');
  const body = gzip ?? file.body;
  if (c.req.method === 'HEAD') {
    c.header('Content-Length', String(body.byteLength));
    return c.body(null, 200);
  }
  return c.body(body as Uint8Array<ArrayBuffer>, 200);
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>senderd</title></head>
<body><h1>The dashboard is not built</h1><p>Build it with <code>npm run build:web</code> (<code>npm start</code>
does this by itself), then restart senderd. The REST API works meanwhile: see <a href="/openapi.json">/openapi.json</a>.</p></body></html>`;

/**
 * Middleware for GET and HEAD of dashboard paths. Other methods and API paths pass through to the API.
 */
export function serveDashboard(files: Map<string, StaticFile> | null): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    const path = c.req.path;
    if ((method !== 'GET' && method !== 'HEAD') || API_PATHS.test(path)) return next();
    if (files === null) {
      securityHeaders(c);
      c.header('Cache-Control', 'no-store');
      return c.html(NOT_BUILT, 503);
    }
    const exact = files.get(path);
    if (exact !== undefined && path !== '/index.html') return send(c, exact);
    // Only the dashboard's own routes get the page. A missing asset is a 404, never the page: a stale cached page
    // must not receive HTML as its script.
    if (!DASHBOARD_ROUTES.test(path)) return next();
    return send(c, files.get('/index.html')!);
  };
}
