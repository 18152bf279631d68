// Starts Debian's Chromium (never a downloaded browser) and opens the built page.
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serveDirectory } from './serve.mjs';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const DIST = process.env.E2E_DIST ?? new URL('../../target/e2e-dist', import.meta.url).pathname;
export const SCREENSHOTS = new URL('../../target/e2e-screenshots/', import.meta.url).pathname;

/**
 * Serves the release page and opens it in headless Chromium (at `query`, e.g. `?seed=42`, with
 * the given viewport and colour scheme; `initScript` runs before the page's own). Every uncaught
 * page error and console error is
 * collected in `problems`, so a test can assert the page stayed healthy.
 */
export async function openPlayground({ query = '', viewport = { width: 1100, height: 700 }, colorScheme = 'light', initScript } = {}) {
  const site = await serveDirectory(DIST);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport, colorScheme });
  if (initScript) await page.addInitScript(initScript);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(site.url + query);
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    page,
    problems,
    close: async () => {
      await browser.close();
      await site.close();
    },
  };
}
