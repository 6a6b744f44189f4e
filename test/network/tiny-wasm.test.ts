import { afterEach, describe, expect, it, vi } from 'vitest';
import { Network, Scaler, Trainer, type ActivationName } from '../../src/index.js';
import { tinyForward } from '../../src/network/tiny/forward-js.js';
import { tinyPlan } from '../../src/network/tiny/plan.js';
import { compileTiny, callTiny, releaseTiny, tinySlotsInUse, TINY_CALLS_BEFORE_CODE, TINY_CODE_LIMIT } from '../../src/network/tiny/dispatch.js';
import type { LayerShape } from '../../src/network/plan.js';
import { runtimeFor } from '../support/backends.js';
import { values } from '../support/random-values.js';

const ACTS: ActivationName[] = ['linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh'];


/** The network's generated code (its tiny path's), a private field. */
const codeOf = (net: unknown): unknown => (net as { tiny: { wasm: unknown } | null }).tiny?.wasm;

describe('generated straight-line Wasm for one sample of a tiny network', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives the JS loop’s outputs (within one float32 ulp) for random shapes and every activation', async () => {
    const rt = await runtimeFor({ simd: true });
    let seed = 1;
    for (let trial = 0; trial < 60; trial++) {
      const depth = 1 + (trial % 3);
      let inputs = 1 + (trial % 6);
      const first = inputs;
      const shapes: LayerShape[] = [];
      for (let l = 0; l < depth; l++) {
        const outputs = 1 + ((trial * 7 + l * 3) % 8);
        const last = l === depth - 1;
        const activation = last && trial % 4 === 0 && outputs > 1 ? 'softmax' : ACTS[(trial + l) % ACTS.length]!;
        shapes.push({ inputs, outputs, activation, alpha: 0.1 });
        inputs = outputs;
      }
      const n = shapes.reduce((a, s) => a + (s.inputs + 1) * s.outputs, 0);
      const plan = tinyPlan(shapes, values(n, seed++).map((v) => v * 2));
      const w = compileTiny(plan, rt.backend.kernels)!;
      expect(w).not.toBeNull();
      for (let r = 0; r < 5; r++) {
        const x = Array.from(values(first, seed++), (v) => v * 4);
        const ref = new Array<number>(inputs);
        expect(tinyForward(plan, x, ref)).toBe(true);
        w.f64.set(x, w.inputAt);
        const first0 = Math.fround(callTiny(w.slot));
        const got = [first0, ...Array.from({ length: inputs - 1 }, (_, j) => Math.fround(w.f64[w.outputAt + j + 1]!))];
        got.forEach((v, j) => expect(Math.abs(v - ref[j]!), `trial ${trial} output ${j}`).toBeLessThanOrEqual(2 ** -23 * Math.abs(ref[j]!) + 1e-30));
      }
      releaseTiny(w);
    }
  });

  it('gives its table slot back on dispose', async () => {
    const rt = await runtimeFor({ simd: true });
    const before = tinySlotsInUse();
    for (let i = 0; i < 100; i++) {
      const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: i, runtime: rt });
      for (let c = 0; c <= TINY_CALLS_BEFORE_CODE; c++) expect(Number.isFinite(net.predict([0.5, 0.6])[0])).toBe(true);
      expect(codeOf(net)).toBeTruthy();
      expect(tinySlotsInUse()).toBe(before + 1);
      net.dispose();
    }
    expect(tinySlotsInUse()).toBe(before);
  });

  it(`keeps at most ${TINY_CODE_LIMIT} networks' code alive; past that, networks use the JS loop`, async () => {
    const rt = await runtimeFor({ simd: true });
    const before = tinySlotsInUse();
    const nets: Network[] = [];
    const warm = (net: Network) => {
      for (let c = 0; c <= TINY_CALLS_BEFORE_CODE; c++) net.predict([0.5, 0.6]);
      return codeOf(net);
    };
    for (let i = before; i < TINY_CODE_LIMIT; i++) {
      const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: i, runtime: rt });
      expect(warm(net)).toBeTruthy();
      nets.push(net);
    }
    const extra = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime: rt });
    expect(warm(extra)).toBeNull();
    const ref = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime: rt });
    expect(Math.abs(extra.predict([0.5, 0.6])[0]! - ref.predict([[0.5, 0.6]])[0]![0]!)).toBeLessThan(1e-6);
    for (const net of nets) net.dispose();
    expect(tinySlotsInUse()).toBe(before);
  });

  it('sees new weights (setWeights, training, fromJSON) once its code is generated', async () => {
    const rt = await runtimeFor({ simd: false });
    const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 5, runtime: rt });
    for (let c = 0; c <= TINY_CALLS_BEFORE_CODE; c++) net.predict([0.5, 0.6]);
    expect(codeOf(net)).toBeTruthy();
    net.setWeights([
      { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
      { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
    ]);
    expect(net.predict([0.5, 0.6])[0]).toBeCloseTo(0.5653933, 6);
    new Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 1 }).fit([[0.5, 0.6]], [[1]], { epochs: 2 });
    const single = net.predict([0.5, 0.6])[0]!;
    expect(single).toBeGreaterThan(0.5653933);
    expect(Math.abs(single - net.predict([[0.5, 0.6], [0.5, 0.6]])[1]![0]!)).toBeLessThan(1e-6);
    const copy = Network.fromJSON(net.toJSON(), { runtime: rt });
    for (let c = 0; c <= TINY_CALLS_BEFORE_CODE; c++) expect(copy.predict([0.5, 0.6])[0]).toBe(single);
  });

  it('falls back to the JS loop where Wasm cannot be compiled from bytes (as in Cloudflare Workers)', async () => {
    const rt = await runtimeFor({ simd: true });
    const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], runtime: rt });
    net.setWeights([
      { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
      { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
    ]);
    vi.spyOn(WebAssembly, 'Module').mockImplementation(function () {
      throw new WebAssembly.CompileError('Wasm code generation disallowed by embedder');
    });
    for (let c = 0; c <= TINY_CALLS_BEFORE_CODE; c++) expect(net.predict([0.5, 0.6])[0]).toBeCloseTo(0.5653933, 6);
    expect(codeOf(net)).toBeNull();
    expect(net.predict(new Float32Array([0.5, 0.6]))[0]).toBeCloseTo(0.5653933, 6);
  });
});

describe('tiny path with scalers, once its code is generated', () => {
  it.each([
    ['wasm-simd', { simd: true }],
    ['js', { backend: 'js' }],
  ] as const)('input and target scalers: single samples match the batch path (%s)', async (_name, options) => {
    const rt = await runtimeFor(options);
    const rows = 20;
    const x = Float32Array.from(values(rows * 3, 9), (v, i) => v * 40 + (i % 3) * 100);
    const y = Float32Array.from(values(rows * 2, 10), (v) => v * 500 + 1000);
    const net = new Network({ inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 2, activation: 'linear' }], seed: 2, runtime: rt });
    net.scaler = Scaler.fit(x, rows, 3, 'standard');
    net.targetScaler = Scaler.fit(y, rows, 2, 'minmax');
    const targetScale = net.targetScaler.toJSON().scale;
    for (let c = 0; c < TINY_CALLS_BEFORE_CODE + 20; c++) {
      const r = c % rows;
      const sample = Array.from(x.subarray(3 * r, 3 * r + 3));
      const single = net.predict(sample);
      const batch = net.predict([sample, sample])[1]!;
      expect(single).toHaveLength(2);
      // within 1e-5 in the network's own output units: the target scaler multiplies a difference there by its
      // scale (max − min, about 1000 here), and its offset can cancel most of an output, so |v| alone is no bound
      single.forEach((v, j) => expect(Math.abs(v - batch[j]!)).toBeLessThanOrEqual(1e-5 * (Math.abs(targetScale[j]!) + Math.abs(v))));
      const f32 = net.predict(Float32Array.from(sample));
      expect(f32).toBeInstanceOf(Float32Array);
      expect(Array.from(f32)).toEqual(single);
    }
    expect(Boolean(codeOf(net))).toBe(options === undefined || !('backend' in options));
    expect(() => net.predict([1, NaN, 2])).toThrow(/x: expected finite numbers, got 1 non-finite value \(first: NaN at row 0, column 1\)/);
  });
});
