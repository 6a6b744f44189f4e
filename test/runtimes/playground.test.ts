/**
 * The playground (examples/playground, served by its own server as
 * `npm run playground` does) in headless Chromium: training runs in a Web
 * Worker; after training the loss curves, the network figure and the decision
 * boundary are drawn and the loss went down; Stop cancels a long run.
 * A screenshot is saved (its path is printed) for a person to look at.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_REQUIRED, chromiumSkipReason, launchChromium, watchPage } from '../support/chromium.js';

const skip = chromiumSkipReason();

interface PlaygroundState {
  kind: string;
  running: boolean;
  done: number;
  history: number[];
  valHistory: number[];
  snapshot: { valAccuracy: number; grid: Float32Array; weights: unknown[] } | null;
}

if (skip && CHROMIUM_REQUIRED) {
  it('Chromium is installed (CI installs it in .ci/run)', () => {
    throw new Error(skip);
  });
}

describe.skipIf(skip !== '')('playground in headless Chromium', () => {
  let browser: Browser;
  let server: { url: string; close(): Promise<void> };
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    // @ts-expect-error: the example's server is plain JavaScript
    const { startPlayground } = (await import('../../examples/playground/serve.mjs')) as { startPlayground(o: { port: number }): Promise<typeof server> };
    server = await startPlayground({ port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 920 } });
    problems = watchPage(page);
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { playground?: PlaygroundState }).playground?.kind, null, { timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const state = () => page.evaluate(() => {
    const s = (window as unknown as { playground: PlaygroundState }).playground;
    return { kind: s.kind, running: s.running, done: s.done, history: s.history, valHistory: s.valHistory, valAccuracy: s.snapshot?.valAccuracy };
  });

  /** Pixels that are not transparent, and of those the ones near each of the two class colours. */
  const inks = (id: string) =>
    page.evaluate((id) => {
      const canvas = document.getElementById(id) as HTMLCanvasElement;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0, blue = 0, orange = 0, dark = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a === 0) continue;
        ink++;
        if (b > r + 60) blue++;
        if (r > b + 60) orange++;
        if (r < 90 && g < 90 && b < 90) dark++;
      }
      return { total: data.length / 4, ink, blue, orange, dark };
    }, id);

  it('two moons: trains in the Web Worker on the SIMD build; curves, network and boundary drawn; loss went down', async () => {
    await page.selectOption('select[name=dataset]', 'moons');
    await page.fill('input[name=epochs]', '200');
    await page.click('#train');
    await page.waitForFunction(() => (window as unknown as { playground: PlaygroundState }).playground.done >= 1, null, { timeout: 90_000 });
    const s = await state();
    expect(problems).toEqual([]);
    expect(s.kind).toBe('wasm-simd');
    expect(await page.getAttribute('#status', 'data-state')).toBe('done');
    expect(s.history).toHaveLength(200);
    expect(s.valHistory).toHaveLength(200);
    expect(s.history.at(-1)!).toBeLessThan(s.history[0]! * 0.5);
    expect(Math.min(...s.valHistory)).toBeLessThan(s.valHistory[0]! * 0.5);
    expect(s.valAccuracy).toBeGreaterThanOrEqual(0.9);

    const boundary = await inks('boundary');
    // the heat map fills the canvas, both classes' regions are there
    expect(boundary.ink).toBe(boundary.total);
    expect(boundary.blue).toBeGreaterThan(boundary.total * 0.2);
    expect(boundary.orange).toBeGreaterThan(boundary.total * 0.2);
    const loss = await inks('loss');
    expect(loss.dark).toBeGreaterThan(500); // the training curve and the axes
    const net = await inks('network');
    expect(net.blue).toBeGreaterThan(100);
    expect(net.orange).toBeGreaterThan(100);

    const dir = join(tmpdir(), 'simdnet-playground');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'moons.png');
    await page.screenshot({ path: file, fullPage: true });
    console.log(`playground screenshot: ${file}`);
  }, 120_000);

  it('Stop cancels a long run in the worker; the page says so', async () => {
    await page.selectOption('select[name=dataset]', 'students');
    await page.fill('input[name=epochs]', '5000');
    await page.click('#train');
    await page.waitForFunction(() => (window as unknown as { playground: PlaygroundState }).playground.history.length >= 10, null, { timeout: 30_000 });
    await page.click('#stop');
    await page.waitForFunction(() => (window as unknown as { playground: PlaygroundState }).playground.done >= 2, null, { timeout: 30_000 });
    const s = await state();
    expect(s.history.length).toBeLessThan(5000);
    expect(await page.textContent('#status')).toMatch(/^Stopped — epoch \d+\/5000/);
    expect(problems).toEqual([]);
  }, 60_000);

  it.each(['circles', 'xor'])('%s: a ReLU network separates it', async (name) => {
    const before = (await state()).done;
    await page.selectOption('select[name=dataset]', name);
    await page.selectOption('select[name=activation]', 'relu');
    await page.fill('input[name=units]', '8');
    await page.fill('input[name=epochs]', '150');
    await page.click('#train');
    await page.waitForFunction((n) => (window as unknown as { playground: PlaygroundState }).playground.done > n, before, { timeout: 60_000 });
    const s = await state();
    expect(s.valAccuracy).toBeGreaterThanOrEqual(0.85);
    expect(problems).toEqual([]);
  }, 90_000);
});
