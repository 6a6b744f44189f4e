/**
 * A model save killed at random moments, over and over (a user's file must
 * survive a crash, a kill or a full disk): a child process saves two large models to one path by turns
 * (test/cli/support/write-loop.ts, bundled here with esbuild) and is sent
 * SIGKILL after a random delay. Each time, the file at the path must be one
 * of the two models, whole, and load with the CLI's loader. The control runs
 * the same loop with an in-place write (truncate, then write), and must catch
 * a torn file, so this test can fail.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../../src/cli/model-file.js';
import { init, Network, type Runtime } from '../../src/index.js';
import { Random } from '../../src/random.js';

const KILLS = 25;

let dir = '';
let child = '';
let runtime: Runtime;
let modelA = '';
let modelB = '';
let textA = '';
let textB = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-kill-'));
  child = join(dir, 'write-loop.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./support/write-loop.ts', import.meta.url))],
    bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'silent',
  });
  runtime = await init({ setDefault: false });
  // about 300,000 parameters: a model file of several MB, so a write takes many system calls
  const layers = [{ units: 512, activation: 'relu' as const }, { units: 512, activation: 'relu' as const }, { units: 10, activation: 'softmax' as const }];
  modelA = join(dir, 'a.model.json');
  modelB = join(dir, 'b.model.json');
  for (const [path, seed] of [[modelA, 1], [modelB, 2]] as const) {
    const net = new Network({ inputs: 64, layers, seed, runtime });
    saveModel(path, net);
    net.dispose();
  }
  textA = readFileSync(modelA, 'utf8');
  textB = readFileSync(modelB, 'utf8');
  expect(textA.length).toBeGreaterThan(3_000_000);
  expect(textA).not.toBe(textB);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Starts the loop, waits until it writes, kills it after `delay` ms; resolves once it is gone. */
function killWhileWriting(out: string, mode: 'atomic' | 'in-place', delay: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, out, modelA, modelB, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.stdout.once('data', () => setTimeout(() => p.kill('SIGKILL'), delay));
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the writer exited by itself (code ${code}): ${stderr}`));
    });
  });
}

/** What a kill left at `out`: 'A', 'B' or 'torn'; and the temporary files it left beside it (removed). */
function outcome(out: string, folder: string): { file: 'A' | 'B' | 'torn'; temps: number } {
  const text = readFileSync(out, 'utf8');
  const temps = readdirSync(folder).filter((f) => f.endsWith('.tmp'));
  for (const t of temps) unlinkSync(join(folder, t));
  return { file: text === textA ? 'A' : text === textB ? 'B' : 'torn', temps: temps.length };
}

describe('a model save killed at random moments', () => {
  it(`leaves the old model or the new one, whole and loadable, every time (${KILLS} kills)`, async () => {
    const folder = mkdtempSync(join(dir, 'atomic-'));
    const out = join(folder, 'model.json');
    copyFileSync(modelA, out);
    const rng = new Random(23);
    const seen = { A: 0, B: 0, torn: 0 };
    let midWrite = 0;
    for (let i = 0; i < KILLS; i++) {
      await killWhileWriting(out, 'atomic', Math.floor(rng.nextFloat() * 120));
      const { file, temps } = outcome(out, folder);
      seen[file]++;
      // a temporary file left behind: the kill came between its creation and the rename
      if (temps > 0) midWrite++;
      expect(file, `kill ${i + 1}`).not.toBe('torn');
      const net = loadModel(out, runtime).network;
      expect(net.parameterCount).toBe(64 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10);
      net.dispose();
    }
    expect(seen.torn).toBe(0);
    // the kills did land while a file was being written, not only between writes
    expect(midWrite).toBeGreaterThanOrEqual(KILLS / 4);
    expect(seen.A + seen.B).toBe(KILLS);
  }, 120_000);

  it('control: the same kills on an in-place write (truncate, then write) do leave torn files', async () => {
    const folder = mkdtempSync(join(dir, 'in-place-'));
    const out = join(folder, 'model.json');
    copyFileSync(modelA, out);
    const rng = new Random(24);
    let torn = 0;
    // (up to 60 tries: a loaded machine may land many kills outside the writes)
    for (let i = 0; i < 60 && torn < 3; i++) {
      await killWhileWriting(out, 'in-place', Math.floor(rng.nextFloat() * 120));
      if (outcome(out, folder).file === 'torn') torn++;
    }
    expect(torn).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
