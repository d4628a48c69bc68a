/**
 * `senderd start` builds the dashboard when its installation's copy is missing or stale, as `npm start` does
 * (prestart): a service manager or `npm link` runs senderd without npm, and would otherwise serve "the dashboard is
 * not built" until someone ran `npm run build:web`. A dashboard.dir of the operator's own is built only when it
 * holds no dashboard at all: whatever is there was put there on purpose.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import type { Logger } from '../core/index.ts';
import { buildDashboard, isFresh, WEB_SOURCE } from '../dashboard-build.ts';
import { dashboardDir } from '../node-settings.ts';

export async function prepareDashboard(config: Config, log: Logger): Promise<void> {
  if (!config.http.enabled || !config.dashboard.enabled) return;
  const dir = dashboardDir(config);
  const ready = config.dashboard.dir === '' ? isFresh(dir) : existsSync(join(dir, 'index.html'));
  if (ready) return;
  if (!existsSync(WEB_SOURCE)) {
    log.warn(
      { component: 'dashboard', dir },
      'no dashboard in dashboard.dir, and no sources to build one from',
    );
    return;
  }
  log.info({ component: 'dashboard', dir }, 'building the dashboard (missing or built from other sources)');
  try {
    const ms = await buildDashboard(dir);
    log.info({ component: 'dashboard', dir, ms: Math.round(ms) }, 'dashboard built');
  } catch (error) {
    // Starting without a dashboard is better than not starting: the API and DNS keep working.
    const missing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
    log.warn(
      { component: 'dashboard', reason: error instanceof Error ? error.message : String(error) },
      missing
        ? 'dashboard not built: Vite is not installed (npm ci installs it); the API works without the dashboard'
        : 'dashboard not built; the API works without it',
    );
  }
}
