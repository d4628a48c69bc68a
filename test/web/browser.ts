/**
 * Debian's Chromium driven by playwright-core: headless, sandbox off (tests run as root), nothing fetched from the
 * network, a fresh profile directory per launch. No browser is ever downloaded.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { tempDir } from '../support/node.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = new URL('../../.artifacts/dashboard/', import.meta.url).pathname;

export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Saves a full-page screenshot as .artifacts/dashboard/<name>.png. */
  screenshot(name: string, page?: Page): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(
  origin: string,
  options: { viewport?: { width: number; height: number } } = {},
): Promise<TestBrowser> {
  const profile = tempDir('senderd-chromium-');
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile.path, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: options.viewport ?? { width: 1280, height: 900 },
    acceptDownloads: true,
    permissions: ['clipboard-read', 'clipboard-write'],
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = context.pages()[0] ?? (await context.newPage());
  // Anything the page loads must come from the senderd node under test.
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort('blockedbyclient'),
  );
  return {
    context,
    page,
    async screenshot(name, which = page) {
      const path = join(ARTIFACTS, `${name}.png`);
      await which.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      profile.remove();
    },
  };
}

/** Collects script errors and CSP violations (Chromium logs those as console errors) of a browser into `problems`;
 * expected 401/403/404 answers of the API are logged as "Failed to load resource" and are not problems. */
export function watchProblems(b: TestBrowser, problems: string[]): void {
  b.context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  b.context.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
}
