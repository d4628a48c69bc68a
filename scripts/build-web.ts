/**
 * Builds the dashboard (src/web) into web-dist/ with Vite. `--if-stale` builds only when the output is missing or
 * was built from other sources: a hash of every input file is kept in web-dist/.build-stamp. `npm start` runs
 * this first, so a fresh checkout or a changed dashboard is built without a manual step.
 *
 * The Vite config is given inline (configFile: false), so no config file needs loading by Vite's own loader.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/** Builds the dashboard into `outDir`; returns the milliseconds it took. */
export async function buildDashboard(outDir = WEB_DIST): Promise<number> {
  const started = performance.now();
  const hash = sourceHash();
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
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      reportCompressedSize: false,
      // No data: URLs for assets: everything is a file the CSP allows as 'self'.
      assetsInlineLimit: 0,
    },
    oxc: { jsx: { runtime: 'automatic' } },
  });
  writeFileSync(join(outDir, STAMP), `${hash}\n`);
  return performance.now() - started;
}

/** Builds when the output is missing or stale. Returns whether it built. */
export async function ensureDashboardBuilt(outDir = WEB_DIST): Promise<boolean> {
  if (isFresh(outDir)) return false;
  await buildDashboard(outDir);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && isFresh()) {
    console.log('dashboard: web-dist/ is up to date');
  } else {
    try {
      const ms = await buildDashboard();
      console.log(`dashboard: built web-dist/ in ${(ms / 1000).toFixed(1)} s`);
    } catch (error) {
      const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
      console.error(
        missing
          ? 'dashboard: cannot build: Vite is not installed (npm ci installs it). The API works without the dashboard.'
          : `dashboard: build failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      // Starting without a dashboard is better than not starting: the API and DNS keep working.
      process.exitCode = ifStale ? 0 : 1;
    }
  }
}
