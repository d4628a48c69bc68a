/**
 * `npm run build:web` (always) and `npm start`'s prestart (`--if-stale`): builds the dashboard into web-dist/. The
 * build itself is src/dashboard-build.ts, which `senderd start` uses too.
 */
import { fileURLToPath } from 'node:url';
import { buildDashboard, isFresh } from '../src/dashboard-build.ts';

export {
  buildDashboard,
  ensureDashboardBuilt,
  isFresh,
  sourceHash,
  WEB_DIST,
  WEB_SOURCE,
} from '../src/dashboard-build.ts';

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
