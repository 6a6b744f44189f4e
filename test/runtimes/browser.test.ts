/**
 * Browser: headless Chromium loads a page that imports the built package as
 * ES modules (dist/browser.js, dist/csv.browser.js; no bundler), under a
 * strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval'):
 * it trains the student network and checks the worked example, with the
 * SIMD build and with SIMD forced off (the scalar fallback).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_REQUIRED, chromiumSkipReason, launchChromium, watchPage } from '../support/chromium.js';
import { serveStatic, type StaticServer } from '../support/static-server.js';
import { studentReference, WORKED_PREDICTION } from './student-reference.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const skip = chromiumSkipReason();

export interface StudentResult {
  kind: string;
  prediction: number;
  batchPrediction: number;
  loss: number[];
  testAccuracy: number;
  testRows: number;
  loadCsvError: string;
  violations: string[];
}

if (skip && CHROMIUM_REQUIRED) {
  it('Chromium is installed (CI installs it in .ci/run)', () => {
    throw new Error(skip);
  });
} else if (skip) {
  it.skip(skip, () => {});
}

describe.skipIf(skip !== '')('browser (headless Chromium): dist/ as ES modules, strict CSP', () => {
  let browser: Browser;
  let server: StaticServer;

  beforeAll(async () => {
    if (!existsSync(`${ROOT}dist/browser.js`)) throw new Error('dist/browser.js is missing: run `npm run build` first (`npm test` does)');
    server = await serveStatic({
      '/dist/': `${ROOT}dist`,
      '/data/': `${ROOT}examples/data`,
      '/': `${ROOT}test/runtimes/pages`,
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function run(query: string): Promise<{ result: StudentResult; problems: string[] }> {
    const page = await browser.newPage();
    const problems = watchPage(page);
    try {
      await page.goto(`${server.origin}/direct.html${query}`);
      await page.waitForFunction(() => '__result' in window || '__error' in window, null, { timeout: 60_000 });
      const error = await page.evaluate(() => (window as unknown as { __error?: string }).__error);
      expect(error, problems.join('\n')).toBeUndefined();
      const result = await page.evaluate(() => (window as unknown as { __result: StudentResult }).__result);
      return { result, problems };
    } finally {
      await page.close();
    }
  }

  it.each([
    ['', 'wasm-simd', true],
    ['?simd=0', 'wasm-scalar', false],
  ] as const)('page%s: %s trains the student network, predicts the worked example, as in Node', async (query, kind, simd) => {
    const { result, problems } = await run(query);
    expect(problems).toEqual([]);
    expect(result.violations).toEqual([]);
    expect(result.kind).toBe(kind);
    expect(result.prediction).toBeCloseTo(WORKED_PREDICTION, 5);
    expect(result.batchPrediction).toBeCloseTo(WORKED_PREDICTION, 5);
    expect(result.loss).toHaveLength(150);
    expect(result.loss.at(-1)!).toBeLessThan(result.loss[0]! * 0.8);
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.8);
    // the same kernels, the same seeds: the same numbers as Node's run
    const reference = await studentReference(simd);
    result.loss.forEach((l, i) => expect(Math.abs(l - reference.loss[i]!), `epoch ${i + 1}`).toBeLessThanOrEqual(1e-6));
    expect(result.testAccuracy).toBe(reference.testAccuracy);
    expect(result.loadCsvError).toMatch(/^StateError: loadCsv\('students.csv'\): reading files needs Node; here, get the text/);
  }, 90_000);
});
