/**
 * Builds the dashboard (src/web) into web-dist/ with Vite, when the output is missing or was built from other
 * sources (a hash of every input file is kept in web-dist/.build-stamp). `npm start` runs it first (prestart,
 * through scripts/build-web.ts), and `senderd start` does too (a service manager or `npm link` runs senderd
 * without npm), so a fresh checkout or a changed dashboard is built without a manual step.
 *
 * The Vite config is given inline (configFile: false), so no config file needs loading by Vite's own loader.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WEB_SOURCE = join(ROOT, 'src', 'web');
export const WEB_DIST = join(ROOT, 'web-dist');
const STAMP = '.build-stamp';

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? files(full) : [full];
    });
}

/** A hash of everything the build reads: the dashboard's sources, the lockfile and this script. */
export function sourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [...files(WEB_SOURCE), join(ROOT, 'package-lock.json'), fileURLToPath(import.meta.url)];
  for (const file of inputs) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function isFresh(outDir = WEB_DIST): boolean {
  const stamp = join(outDir, STAMP);
  return (
    existsSync(join(outDir, 'index.html')) &&
    existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === sourceHash()
  );
}

/**
 * Builds the dashboard into `outDir`; returns the milliseconds it took. The build goes to a sibling directory of
 * its own, which then takes `outDir`'s place: a server loading `outDir` meanwhile, or a second build at the same
 * time, never sees half of it.
 */
export async function buildDashboard(outDir = WEB_DIST): Promise<number> {
  const started = performance.now();
  const hash = sourceHash();
  const dir = outDir.replace(/\/+$/, '');
  const own = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = `${dir}.building-${own}`;
  // Imported here so that serving a built dashboard never needs Vite (a production install may omit it).
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: WEB_SOURCE,
    base: '/',
    logLevel: 'warn',
    mode: 'production',
    publicDir: false,
    build: {
      outDir: staging,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
      // No data: URLs for assets: everything is a file the CSP allows as 'self'.
      assetsInlineLimit: 0,
    },
    oxc: { jsx: { runtime: 'automatic' } },
  });
  writeFileSync(join(staging, STAMP), `${hash}\n`);
  const old = `${dir}.old-${own}`;
  const code = (e: unknown) => (e as { code?: string }).code;
  try {
    renameSync(dir, old);
  } catch (e) {
    if (code(e) !== 'ENOENT') throw e;
  }
  try {
    renameSync(staging, dir);
  } catch (e) {
    // Another build put its copy in place meanwhile: built from the same sources, it serves as well.
    if (code(e) !== 'ENOTEMPTY' && code(e) !== 'EEXIST') throw e;
    rmSync(staging, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
  return performance.now() - started;
}

/** Builds when the output is missing or stale. Returns whether it built. */
export async function ensureDashboardBuilt(outDir = WEB_DIST): Promise<boolean> {
  if (isFresh(outDir)) return false;
  await buildDashboard(outDir);
  return true;
}
