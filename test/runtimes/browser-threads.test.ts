/**
 * Threads in a browser: headless Chromium loads dist/browser.js from a page
 * served cross-origin isolated (COOP and COEP headers), where init({ threads:
 * 2 }) gets two threads (module Web Workers running dist/thread-worker.browser.js over
 * a shared memory), and from the same page served without them, where it gets
 * one thread and says why; both train to the same bits as one thread. The
 * default init gets one thread per core in the isolated page (its workers
 * started by the large steps) and the one-thread build in the other. Under
 * the strict CSP of the other browser tests.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_REQUIRED, chromiumSkipReason, launchChromium, watchPage } from '../support/chromium.js';
import { CROSS_ORIGIN_ISOLATED, serveStatic, STRICT_CSP, type StaticServer } from '../support/static-server.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const skip = chromiumSkipReason();

interface ThreadsResult {
  isolated: boolean;
  threads: number;
  note: string | null;
  jobs: number;
  same: boolean;
  loss: number[];
  afterDispose: number;
  default: { threads: number; note: string | null; memory: string; started: boolean; jobs: number; same: boolean };
}

if (skip && CHROMIUM_REQUIRED) {
  it('Chromium is installed (CI installs it in .ci/run)', () => {
    throw new Error(skip);
  });
} else if (skip) {
  it.skip(skip, () => {});
}

describe.skipIf(skip !== '')('browser threads (headless Chromium): dist/browser.js, strict CSP', () => {
  let browser: Browser;
  const servers: StaticServer[] = [];

  beforeAll(async () => {
    if (!existsSync(`${ROOT}dist/thread-worker.browser.js`)) throw new Error('dist/thread-worker.browser.js is missing: run `npm run build` first (`npm test` does)');
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((s) => s.close()));
  });

  async function run(isolated: boolean): Promise<{ result: ThreadsResult; problems: string[] }> {
    const server = await serveStatic({ '/dist/': `${ROOT}dist`, '/': `${ROOT}test/runtimes/pages` }, STRICT_CSP, isolated ? CROSS_ORIGIN_ISOLATED : {});
    servers.push(server);
    const page = await browser.newPage();
    const problems = watchPage(page);
    try {
      await page.goto(`${server.origin}/threads.html`);
      await page.waitForFunction(() => '__result' in window || '__error' in window, null, { timeout: 60_000 });
      const error = await page.evaluate(() => (window as unknown as { __error?: string }).__error);
      expect(error, problems.join('\n')).toBeUndefined();
      return { result: await page.evaluate(() => (window as unknown as { __result: ThreadsResult }).__result), problems };
    } finally {
      await page.close();
    }
  }

  it('cross-origin isolated: two threads, every step shared, the same bits as one thread; dispose() ends them', async () => {
    const { result, problems } = await run(true);
    expect(problems).toEqual([]);
    expect(result.isolated).toBe(true);
    expect(result.threads, result.note ?? '').toBe(2);
    expect(result.jobs).toBeGreaterThanOrEqual(6);
    expect(result.same).toBe(true);
    expect(result.loss.every(Number.isFinite)).toBe(true);
    expect(result.afterDispose).toBe(1);
    // the default: one thread per core (this page has at least two), its workers started by the large steps, then shared, the same bits
    expect(result.default.threads).toBeGreaterThanOrEqual(2);
    expect(result.default.note).toBeNull();
    expect(result.default.memory).toBe('SharedArrayBuffer');
    expect(result.default.started).toBe(true);
    expect(result.default.jobs).toBeGreaterThanOrEqual(6);
    expect(result.default.same).toBe(true);
  }, 90_000);

  it('not isolated: one thread, a note saying why, the same bits', async () => {
    const { result, problems } = await run(false);
    expect(problems).toEqual([]);
    expect(result.isolated).toBe(false);
    expect(result.threads).toBe(1);
    expect(result.note).toBe('1 thread of the 2 asked for: this page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)');
    expect(result.jobs).toBe(0);
    expect(result.same).toBe(true);
    // the default: one thread, the one-thread build, no note
    expect(result.default).toEqual({ threads: 1, note: null, memory: 'ArrayBuffer', started: false, jobs: 0, same: true });
  }, 90_000);
});
