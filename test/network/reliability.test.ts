import { describe, expect, it } from 'vitest';
import { MemoryError, Network, ShapeError, StateError, Trainer, TrainingError, ValueError, type Runtime } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { values } from '../support/random-values.js';
import { trainStepWith } from '../support/train-step.js';

function dataset(rows: number, inputs: number, seed: number) {
  const xv = values(rows * inputs, seed);
  const x = Array.from({ length: rows }, (_, r) => Array.from(xv.subarray(r * inputs, (r + 1) * inputs)));
  const y = x.map((row) => [row.reduce((s, v) => s + v, 0) > 0 ? 1 : 0]);
  return { x, y };
}

function student(runtime: Runtime, seed = 42): Network {
  return new Network({
    inputs: 2,
    layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }],
    seed,
    runtime,
  });
}

function bits(a: ArrayLike<number>): string {
  return Array.from(new Uint32Array(Float32Array.from(a).buffer)).join(',');
}

function allWeights(net: Network): Float32Array {
  return Float32Array.from(net.getWeights({ flat: true }).flatMap((l) => [...l.W, ...l.b]));
}

describe.each(BACKENDS)('network reliability on $name', ({ options }) => {
  it('determinism: same seed gives the same bits, a different seed different weights', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = dataset(50, 4, 1);
    const run = (seed: number) => {
      const net = new Network({ inputs: 4, layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed, runtime: rt });
      const w0 = bits(allWeights(net));
      const h = new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 8, seed: 3 }).fit(x, y, { epochs: 5 });
      const out = { w0, w: bits(allWeights(net)), h: bits(h.loss) };
      net.dispose();
      return out;
    };
    const a = run(1), b = run(1), c = run(2);
    expect(a).toEqual(b);
    expect(c.w0).not.toEqual(a.w0);
  });

  it('initial weights are the same bits on every backend (seeded init is backend-independent)', async () => {
    const rt = await runtimeFor(options);
    const js = await runtimeFor({ backend: 'js' });
    const mk = (runtime: Runtime) => new Network({ inputs: 5, layers: [{ units: 7, activation: 'relu' }, { units: 3, activation: 'softmax' }], seed: 9, runtime });
    expect(bits(allWeights(mk(rt)))).toEqual(bits(allWeights(mk(js))));
  });

  it('training matches the JS reference backend within float32 tolerance', async () => {
    const rt = await runtimeFor(options);
    const js = await runtimeFor({ backend: 'js' });
    const { x, y } = dataset(64, 6, 4);
    const train = (runtime: Runtime) => {
      const net = new Network({ inputs: 6, layers: [{ units: 9, activation: 'relu' }, { units: 5, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 5, runtime });
      const h = new Trainer(net, { loss: 'bce', optimizer: { type: 'momentum', lr: 0.05 }, batchSize: 16, seed: 1 }).fit(x, y, { epochs: 10 });
      return { h: h.loss, w: allWeights(net) };
    };
    const a = train(rt), b = train(js);
    a.h.forEach((v, i) => expect(Math.abs(v - b.h[i]!)).toBeLessThan(1e-4));
    a.w.forEach((v, i) => expect(Math.abs(v - b.w[i]!)).toBeLessThan(1e-3));
  });

  it('memory growth in the middle of training gives the same losses, bit for bit', async () => {
    const { x, y } = dataset(40, 3, 2);
    const run = async (grow: boolean) => {
      const rt = await runtimeFor({ ...options, initialPages: 1 });
      const net = new Network({ inputs: 3, layers: [{ units: 16, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 4, runtime: rt });
      const trainer = new Trainer(net, { loss: 'bce', optimizer: 'adam', batchSize: 8, seed: 2 });
      const h1 = trainer.fit(x, y, { epochs: 3 }).loss;
      const before = rt.memoryBytes;
      let big: Network | null = null;
      if (grow) {
        big = new Network({ inputs: 300, layers: [{ units: 300 }], runtime: rt });
        expect(rt.memoryBytes).toBeGreaterThan(before);
      }
      const h2 = trainer.fit(x, y, { epochs: 3 }).loss;
      big?.dispose();
      return bits([...h1, ...h2, ...allWeights(net), ...net.predict(x).flat()]);
    };
    expect(await run(true)).toEqual(await run(false));
  });

  it('the heap stops growing: 200 epochs leave memory size unchanged after the first', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = dataset(100, 4, 3);
    const net = new Network({ inputs: 4, layers: [{ units: 32, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], runtime: rt });
    const trainer = new Trainer(net, { loss: 'bce', batchSize: 10 });
    trainer.fit(x, y, { epochs: 1 });
    const mem = rt.memoryBytes, live = rt.liveBytes;
    trainer.fit(x, y, { epochs: 200 });
    expect(rt.memoryBytes).toBe(mem);
    expect(rt.liveBytes).toBe(live);
  });

  it('5,000 create/train/dispose cycles give every byte back; use after dispose is a clear error', async () => {
    const rt = await runtimeFor(options);
    const base = rt.liveBytes;
    const x = [[0.5, 0.6], [0.2, 0.3]];
    const y = [[1], [0]];
    for (let i = 0; i < 5000; i++) {
      const net = student(rt, i);
      if (i % 50 === 0) new Trainer(net, { loss: 'bce', optimizer: 'sgd' }).fit(x, y, { epochs: 1 });
      net.dispose();
    }
    expect(rt.liveBytes).toBe(base);
    const net = student(rt);
    net.dispose();
    net.dispose(); // harmless
    expect(() => net.predict([0.5, 0.6])).toThrow(StateError);
    expect(() => net.predict([0.5, 0.6])).toThrow(/disposed/);
  });

  it('two networks trained interleaved on one runtime each equal their solo runs', async () => {
    const rt = await runtimeFor(options);
    const d1 = dataset(30, 2, 5), d2 = dataset(30, 2, 6);
    const solo = async (d: typeof d1, seed: number) => {
      const own = await runtimeFor(options);
      const net = student(own, seed);
      const t = new Trainer(net, { loss: 'bce', batchSize: 4, seed });
      const h: number[] = [];
      for (let e = 0; e < 4; e++) h.push(...t.fit(d.x, d.y, { epochs: 1 }).loss);
      return bits([...h, ...allWeights(net)]);
    };
    const a = student(rt, 1), b = student(rt, 2);
    const ta = new Trainer(a, { loss: 'bce', batchSize: 4, seed: 1 });
    const tb = new Trainer(b, { loss: 'bce', batchSize: 4, seed: 2 });
    const ha: number[] = [], hb: number[] = [];
    for (let e = 0; e < 4; e++) {
      ha.push(...ta.fit(d1.x, d1.y, { epochs: 1 }).loss);
      hb.push(...tb.fit(d2.x, d2.y, { epochs: 1 }).loss);
    }
    expect(bits([...ha, ...allWeights(a)])).toEqual(await solo(d1, 1));
    expect(bits([...hb, ...allWeights(b)])).toEqual(await solo(d2, 2));
  });

  it('exploding gradients stop with an error naming epoch and batch; weights stay finite', async () => {
    const rt = await runtimeFor(options);
    const { x } = dataset(20, 2, 7);
    const y = x.map((r) => [r[0]! * 1e30]);
    const net = new Network({ inputs: 2, layers: [{ units: 4, activation: 'relu' }, { units: 1 }], runtime: rt });
    const trainer = new Trainer(net, { loss: 'mse', optimizer: { type: 'sgd', lr: 1e10 }, batchSize: 5, shuffle: false });
    let err: unknown;
    try {
      trainer.fit(x, y, { epochs: 5 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TrainingError);
    expect((err as TrainingError).message).toMatch(/(not finite at|the update at) epoch \d+, batch \d+ (made a weight non-finite)?/);
    expect((err as TrainingError).epoch).toBeGreaterThanOrEqual(1);
    expect(allWeights(net).every(Number.isFinite)).toBe(true);
    // the network is still usable
    const calm = new Trainer(net, { loss: 'mse', optimizer: { type: 'sgd', lr: 0.01 }, batchSize: 5 });
    expect(calm.fit(x, x.map((r) => [r[0]!]), { epochs: 1 }).loss.every(Number.isFinite)).toBe(true);
  });

  it.each(['sgd', 'momentum'] as const)('an update that overflows from finite gradients (%s) is undone: the weights and state of the last finite step', async (type) => {
    const rt = await runtimeFor(options);
    // batch 1 (x = 1e-30) moves b to about −1e8 and stays finite; batch 2 (x = 1) then asks for a step of ~1e46
    const x = [...Array(5).fill([1e-30]), ...Array(5).fill([1])] as number[][];
    const y = x.map(() => [0]);
    const mk = () => {
      const net = new Network({ inputs: 1, layers: [{ units: 1 }], runtime: rt });
      net.setWeights([{ W: [[0.5]], b: [0] }]);
      return net;
    };
    const opts = { loss: 'mse', optimizer: { type, lr: 1e38 }, batchSize: 5, shuffle: false } as const;
    const net = mk();
    expect(() => new Trainer(net, opts).fit(x, y, { epochs: 1 })).toThrow(
      /the update at epoch 1, batch 2 made a weight non-finite; it was undone, so the weights and optimizer state are those after the last finite step/,
    );
    const ref = mk();
    new Trainer(ref, opts).fit(x.slice(0, 5), y.slice(0, 5), { epochs: 1 });
    expect(allWeights(ref)[1]).toBeLessThan(-1e7);
    expect(bits(allWeights(net))).toEqual(bits(allWeights(ref)));
    if (type === 'momentum') {
      const state = (n: Network) => rt.heap.f32().slice(n.plan.params[0]!.mW >>> 2, (n.plan.params[0]!.mW >>> 2) + 1)[0]! + rt.heap.f32()[n.plan.params[0]!.mb >>> 2]!;
      expect(state(net)).toBe(state(ref));
    }
  });

  it.each(['sgd', 'momentum', 'adam'] as const)('train_step (%s): an overflowing update is undone from the undo block, parameters and optimizer state bit for bit', async (type) => {
    const rt = await runtimeFor(options);
    const k = rt.backend.kernels;
    const net = new Network({ inputs: 3, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }], seed: 5, runtime: rt });
    const trainer = new Trainer(net, { loss: 'cce', optimizer: type, batchSize: 4 });
    const plan = net.plan;
    plan.ensureCapacity(4);
    const heap = rt.heap;
    const undo = heap.alloc(trainer.undoBytes, 'undo', false);
    heap.f32().set([0.1, -0.2, 0.3, 0.5, 0.4, -0.1, -0.3, 0.2, 0.9, 0.0, -0.5, 0.6], plan.X >>> 2);
    heap.f32().set([1, 0, 0, 1, 1, 0, 0, 1], plan.Y >>> 2);
    const everything = () => plan.params.flatMap((p, l) => {
      const n = plan.layers[l]!.inputs * plan.layers[l]!.outputs, nb = plan.layers[l]!.outputs;
      const f = heap.f32();
      const at = (ptr: number, len: number) => Array.from(f.subarray(ptr >>> 2, (ptr >>> 2) + len));
      return [...at(p.W, n), ...at(p.b, nb), ...at(p.mW, n), ...at(p.mb, nb), ...at(p.vW, n), ...at(p.vb, nb)];
    });
    const opt = { sgd: 0, momentum: 1, adam: 2 }[type];
    const step = (lr: number, t: number, u = undo) => trainStepWith(k, () => rt.backend.memory.buffer, plan.table, 2, plan.X, plan.Y, 4, 2, opt, lr, 0.9, 0.999, 1e-8, 0, t, plan.scratch, u);
    expect(Number.isFinite(step(0.1, 1))).toBe(true);
    expect(Number.isFinite(step(0.1, 2))).toBe(true);
    const before = everything();
    // a learning rate beyond float32
    expect(step(1e39, 3)).toBe(-Infinity);
    expect(bits(everything())).toEqual(bits(before));
    // a finite step: the kernel now knows how large the parameters are
    expect(Number.isFinite(step(0.1, 3))).toBe(true);
    // output biases just below the top of the float32 range, a modest step for them: only the bound on the
    // parameters says this update could overflow (setWeights made it unknown, so the step recomputes it)
    const w = net.getWeights();
    net.setWeights([w[0]!, { W: w[1]!.W, b: [3.402e38, 3.402e38] }]);
    heap.f32().set([1, 0, 1, 0, 1, 0, 0, 1], plan.Y >>> 2);
    const huge = everything();
    expect(step(1e36, 4)).toBe(-Infinity);
    expect(bits(everything())).toEqual(bits(huge));
    // without an undo block the overflow is reported for the caller to repair
    expect(step(1e39, 5, 0)).toBe(Infinity);
    expect(everything().some((v) => !Number.isFinite(v))).toBe(true);
    heap.release(undo);
  });

  it("the caller's arrays: offset views work, later mutation changes nothing", async () => {
    const rt = await runtimeFor(options);
    const net = student(rt);
    net.setWeights([
      { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
      { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
    ]);
    const backing = new Float32Array([9, 9, 9, 0.5, 0.6, 9]);
    const view = backing.subarray(3, 5);
    expect(net.predict(view)[0]).toBeCloseTo(0.5653933, 6);
    const out = net.predict(view);
    backing[3] = 100;
    expect(out[0]).toBeCloseTo(0.5653933, 6);
    const W = [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]];
    const w = net.getWeights();
    net.setWeights([{ W, b: [-0.5, -0.6, -0.3] }, w[1]!]);
    W[0]![0] = 42;
    expect(net.getWeights()[0]!.W[0]![0]).toBeCloseTo(0.82, 6);
  });
});

describe.each(BACKENDS)('clear errors on $name, before any work, network unchanged', ({ options }) => {
  async function fresh() {
    const rt = await runtimeFor(options);
    const net = student(rt);
    const w = JSON.stringify(net.getWeights());
    return { rt, net, unchanged: () => expect(JSON.stringify(net.getWeights())).toBe(w) };
  }
  const x = [[0.5, 0.6], [0.2, 0.3]];
  const y = [[1], [0]];

  it.each([
    ['wrong feature count', (n: Network) => n.predict([1, 2, 3]), ShapeError, /x: expected a multiple of 2 values/],
    ['ragged rows', (n: Network) => n.predict([[1, 2], [3]]), ShapeError, /x: expected 2 columns per row \(the network's inputs\), got 1 at row 1/],
    ['empty batch', (n: Network) => n.predict([]), ShapeError, /x: expected at least one row of 2 values/],
    ['NaN in x', (n: Network) => n.predict([[1, NaN], [Infinity, 2]]), ValueError, /x: expected finite numbers, got 2 non-finite values \(first: NaN at row 0, column 1\)/],
    ['non-number in x', (n: Network) => n.predict([['a', 1]] as unknown as number[][]), ValueError, /x: expected a number at row 0, column 0, got "a"/],
    ['x/y rows differ', (n: Network) => new Trainer(n, { loss: 'bce' }).fit(x, [[1]]), ShapeError, /y: expected 2 rows \(one per row of x\), got 1/],
    ['y width', (n: Network) => new Trainer(n, { loss: 'bce' }).fit(x, [[1, 0], [0, 1]]), ShapeError, /y: expected 1 columns per row \(one per output unit\), got 2 at row 0/],
    ['bce label out of range', (n: Network) => new Trainer(n, { loss: 'bce' }).fit(x, [[2], [0]]), ValueError, /y: expected binary targets .* in \[0, 1\], got 2 at row 0/],
    ['NaN in fit x (checked in linear memory)', (n: Network) => new Trainer(n, { loss: 'bce' }).fit([[0.5, 0.6], [0.2, -Infinity]], y), ValueError, /x: expected finite numbers, got 1 non-finite value \(first: -Infinity at row 1, column 1\)/],
    ['NaN in a flat Float32Array fit x', (n: Network) => new Trainer(n, { loss: 'bce' }).fit(new Float32Array([0.5, NaN, 0.2, 0.3]), y), ValueError, /x: expected finite numbers, got 1 non-finite value \(first: NaN at row 0, column 1\)/],
    ['NaN in y', (n: Network) => new Trainer(n, { loss: 'bce' }).fit(x, [[NaN], [0]]), ValueError, /y: expected finite numbers, got 1 non-finite value/],
    ['unknown loss', (n: Network) => new Trainer(n, { loss: 'hinge' as 'bce' }), ValueError, /loss: expected one of mse, bce, cce, got "hinge"/],
    ['loss vs output', (n: Network) => new Trainer(n, { loss: 'cce' }), ValueError, /loss: 'cce' \(categorical cross-entropy\) needs a softmax output layer, got 'sigmoid'/],
    ['unknown optimizer', (n: Network) => new Trainer(n, { loss: 'bce', optimizer: 'rmsprop' as 'sgd' }), ValueError, /optimizer.type: expected one of sgd, momentum, adam, got "rmsprop"/],
    ['bad lr', (n: Network) => new Trainer(n, { loss: 'bce', optimizer: { type: 'sgd', lr: -1 } }), ValueError, /optimizer.lr: expected a finite number > 0, got number -1/],
    ['bad batch size', (n: Network) => new Trainer(n, { loss: 'bce', batchSize: 0 }), ValueError, /batchSize: expected a positive integer, got number 0/],
    ['bad epochs', (n: Network) => new Trainer(n, { loss: 'bce' }).fit(x, y, { epochs: 1.5 }), ValueError, /epochs: expected a positive integer, got number 1.5/],
    ['setWeights shape', (n: Network) => n.setWeights([{ W: [[1, 2, 3]], b: [0, 0, 0] }, { W: [[1], [2], [3]], b: [0] }]), ShapeError, /weights\[0\].W: expected 2 × 3 \(inputs × units\), got 1 × 3/],
    ['setWeights NaN', (n: Network) => n.setWeights([{ W: [[1, 2, 3], [4, 5, 6]], b: [0, 0, 0] }, { W: [[1], [NaN], [3]], b: [0] }]), ValueError, /weights\[1\].W: expected finite numbers, got 1 non-finite value \(first: NaN at row 1, column 0\)/],
    ['setWeights layer count', (n: Network) => n.setWeights([]), ShapeError, /weights: expected an array of 2 layers/],
    ['trace loss', (n: Network) => n.trace(x, y, { loss: 'nope' as 'bce' }), ValueError, /loss: expected one of mse, bce, cce, got "nope"/],
  ] as const)('%s', async (_name, call, type, words) => {
    const { net, unchanged } = await fresh();
    let err: unknown;
    try {
      call(net);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(words);
    unchanged();
    // a valid call afterwards still works
    expect(net.predict([0.5, 0.6]).length).toBe(1);
  });

  it.each([
    ['zero inputs', { inputs: 0, layers: [{ units: 1 }] }, ValueError, /inputs: expected a positive integer, got number 0/],
    ['no layers', { inputs: 2, layers: [] }, ShapeError, /layers: expected a non-empty array/],
    ['negative units', { inputs: 2, layers: [{ units: -3 }] }, ValueError, /layers\[0\].units: expected a positive integer, got number -3/],
    ['unknown activation', { inputs: 2, layers: [{ units: 3, activation: 'gelu' }] }, ValueError, /layers\[0\].activation: expected one of linear, relu, leaky_relu, sigmoid, tanh, softmax, got "gelu"/],
    ['hidden softmax', { inputs: 2, layers: [{ units: 3, activation: 'softmax' }, { units: 1 }] }, ValueError, /'softmax' is only supported on the output layer/],
    ['bad seed', { inputs: 2, layers: [{ units: 3 }], seed: -1 }, ValueError, /seed: expected an integer from 0 to 4294967295, got number -1/],
  ] as const)('Network options: %s', async (_n, opts, type, words) => {
    const rt = await runtimeFor(options);
    const before = rt.liveBytes;
    expect(() => new Network({ ...(opts as object), runtime: rt } as never)).toThrow(type);
    expect(() => new Network({ ...(opts as object), runtime: rt } as never)).toThrow(words);
    expect(rt.liveBytes).toBe(before);
  });

  it('a batch larger than memory allows: error naming bytes and the limit, still usable after', async () => {
    const rt = await runtimeFor({ ...options, initialPages: 1, maximumPages: 4 });
    const net = new Network({ inputs: 50, layers: [{ units: 100, activation: 'relu' }, { units: 1 }], runtime: rt });
    const rows = 2000;
    const x = new Float32Array(rows * 50).fill(0.1);
    let err: unknown;
    try {
      net.predict(x);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MemoryError);
    expect((err as Error).message).toMatch(/a batch of \d+ rows: needs \d+ more bytes of linear memory \(\d+ in all\), over the limit of 262144 bytes/);
    expect(net.predict(new Float32Array(50).fill(0.1)).length).toBe(1);
  });

  it('fit runs where memory has no room for the undo block; an overflow then restores the epoch-start weights', async () => {
    const x = Array.from({ length: 8 }, (_, i) => Array.from({ length: 100 }, (_, j) => ((i * 7 + j) % 11) / 11));
    const y = x.map((r) => [r[0]!]);
    const layers = [{ units: 150, activation: 'relu' as const }, { units: 1 }];
    // the fewest pages in which this network trains (with Adam the undo block would need three times its parameters)
    let pages = 2;
    for (; pages < 64; pages++) {
      const rt = await runtimeFor({ ...options, initialPages: 1, maximumPages: pages });
      try {
        const net = new Network({ inputs: 100, layers, seed: 3, runtime: rt });
        new Trainer(net, { loss: 'mse', optimizer: { type: 'adam', lr: 1e-3 }, batchSize: 8 }).fit(x, y, { epochs: 1 });
        break;
      } catch (e) {
        expect(e).toBeInstanceOf(MemoryError);
      }
    }
    const rt = await runtimeFor({ ...options, initialPages: 1, maximumPages: pages });
    const net = new Network({ inputs: 100, layers, seed: 3, runtime: rt });
    const before = allWeights(net);
    expect(() => new Trainer(net, { loss: 'mse', optimizer: { type: 'adam', lr: 1e39 }, batchSize: 8 }).fit(x, y, { epochs: 1 })).toThrow(
      /the update at epoch 1, batch 1 made a weight non-finite; the weights were restored to the start of epoch 1 and the optimizer state reset/,
    );
    expect(allWeights(net)).toEqual(before);
    // with room for it, the same update is undone in place
    const roomy = await runtimeFor({ ...options, initialPages: 1, maximumPages: pages + 16 });
    const net2 = new Network({ inputs: 100, layers, seed: 3, runtime: roomy });
    expect(() => new Trainer(net2, { loss: 'mse', optimizer: { type: 'adam', lr: 1e39 }, batchSize: 8 }).fit(x, y, { epochs: 1 })).toThrow(/it was undone/);
    expect(allWeights(net2)).toEqual(before);
  });
});
