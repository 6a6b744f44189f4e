/**
 * Headless Chromium (Debian's `chromium`, driven by playwright-core) for the
 * browser tests. Where the binary is missing the tests skip with a message,
 * except in CI (CI=true), where .ci/run installs it and its absence fails.
 */
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM = process.env.SIMDNET_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const CHROMIUM_REQUIRED = process.env.CI === 'true' || process.env.CI === '1';

/** The reason browser tests are skipped, or '' when they run. */
export function chromiumSkipReason(): string {
  if (HAVE_CHROMIUM) return '';
  return `skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set SIMDNET_CHROMIUM)`;
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    // playwright gives every launch a fresh temporary profile;
    // without the background-networking flags Chromium keeps calling home.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
}

/**
 * Collects what a page says went wrong (uncaught errors, console errors,
 * CSP violations, failed requests), for the assertion messages.
 */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return problems;
}
