import { describe, expect, it } from 'vitest';
import { Act, Loss, Opt } from '../../src/backend/abi.js';
import { BACKENDS, createBackend } from '../support/backends.js';
import { expectClose } from '../support/close.js';
import { expectBitsEqual, KernelHeap, NAN_NEGATIVE, NAN_POSITIVE } from '../support/kernel-heap.js';
import { gradientsF64, labelsFor, type LayerF64, layersF64, layoutNet, lossOfF64, NET_CASES, type NetCase, snapshot } from '../support/layer-table.js';
import { randomF32, uniform } from '../support/random-values.js';
import { trainStepWith } from '../support/train-step.js';

// mlp_train_step (assembly/mlp-train-step.ts), with mlp_clip_grad_norm:
// several steps of every optimizer against PyTorch's formulas in float64, and
// what a step does with non-finite values and overflowing updates.

describe.each(BACKENDS.map((b) => b.name))('mlp_train_step on %s against float64', (kind) => {
  const rows = 5;
  const steps = 3;
  const [lr, beta1, beta2, eps] = [0.05, 0.9, 0.999, 1e-8];
  const OPTS: [string, number][] = [['sgd', Opt.sgd], ['momentum', Opt.momentum], ['adam', Opt.adam]];

  for (const [oname, opt] of OPTS) {
    for (const [ci, c] of NET_CASES.entries()) for (const clip of [false, true]) {
      it(`${oname}${clip ? ', gradient norm clipped to half the first step\'s' : ''}: ${c.name}`, () => {
        const heap = new KernelHeap(createBackend(kind));
        const rand = uniform(300 + ci);
        const x = randomF32(rand, rows * c.inputs, -2, 2);
        const y = labelsFor(c, rows, rand);
        const net = layoutNet(heap, c.inputs, c.specs, rows, x, y, 400 + ci);
        const ref = layersF64(heap, net);
        const wds = c.specs.map((s) => Math.fround(s.weightDecay ?? 0));
        const state = ref.map((L) => ({ mW: L.W.map(() => 0), mb: L.b.map(() => 0), vW: L.W.map(() => 0), vb: L.b.map(() => 0) }));

        let clipNorm = 0;
        for (let t = 1; t <= steps; t++) {
          const expectedLoss = lossOfF64(ref, x, y, rows, c.loss);
          const g = gradientsF64(ref, x, y, rows, c.loss);
          if (clip) {
            const norm = Math.hypot(...g.dW.flat(), ...g.db.flat());
            if (t === 1) clipNorm = Math.fround(norm / 2);
            const coef = clipNorm / (norm + 1e-6);
            if (coef < 1) for (const v of [...g.dW, ...g.db]) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * coef;
          }
          const value = trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, net.layers.length, net.X, net.Y, rows, c.loss, opt, lr, beta1, beta2, eps, clipNorm, t, net.scratch, 0);
          expect(Math.abs(value - expectedLoss), `loss at step ${t}`).toBeLessThan(1e-5 * Math.abs(expectedLoss) + 1e-6);
          ref.forEach((L, l) => {
            const st = state[l] as { mW: number[]; mb: number[]; vW: number[]; vb: number[] };
            const update = (P: number[], G: number[], M: number[], V: number[], wd: number): void => {
              for (let i = 0; i < P.length; i++) {
                const gi = (G[i] as number) + wd * (P[i] as number);
                if (opt === Opt.sgd) {
                  P[i] = (P[i] as number) - lr * gi;
                } else if (opt === Opt.momentum) {
                  M[i] = beta1 * (M[i] as number) + gi;
                  P[i] = (P[i] as number) - lr * (M[i] as number);
                } else {
                  M[i] = beta1 * (M[i] as number) + (1 - beta1) * gi;
                  V[i] = beta2 * (V[i] as number) + (1 - beta2) * gi * gi;
                  const mHat = (M[i] as number) / (1 - beta1 ** t);
                  const vHat = (V[i] as number) / (1 - beta2 ** t);
                  P[i] = (P[i] as number) - (lr * mHat) / (Math.sqrt(vHat) + eps);
                }
              }
            };
            update(L.W, g.dW[l] as number[], st.mW, st.vW, wds[l] as number);
            update(L.b, g.db[l] as number[], st.mb, st.vb, 0);
          });
        }
        net.layers.forEach((L, l) => {
          const r = ref[l] as LayerF64;
          expectClose(heap.read(L.W, L.inputs * L.outputs), r.W, { atol: 1e-5, rtol: 1e-4 }, `W${l}`);
          expectClose(heap.read(L.b, L.outputs), r.b, { atol: 1e-5, rtol: 1e-4 }, `b${l}`);
          heap.expectCanaries(L.W, L.inputs * L.outputs);
          heap.expectCanaries(L.b, L.outputs);
          if (opt !== Opt.sgd) expectClose(heap.read(L.mW, L.inputs * L.outputs), (state[l] as { mW: number[] }).mW, { atol: 1e-5, rtol: 1e-4 }, `mW${l}`);
        });
      });
    }
  }

  for (const bits of [NAN_POSITIVE, NAN_NEGATIVE]) {
    it(`a NaN (0x${bits.toString(16)}) in X: returns NaN, parameters and optimizer state unchanged`, () => {
      const c = NET_CASES[0] as NetCase;
      const heap = new KernelHeap(createBackend(kind));
      const rand = uniform(7);
      const net = layoutNet(heap, c.inputs, c.specs, rows, randomF32(rand, rows * c.inputs), labelsFor(c, rows, rand), 8);
      for (const opt of [Opt.sgd, Opt.momentum, Opt.adam]) {
        // One good step first so the optimizer state is not all zeros.
        expect(Number.isFinite(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 2, net.X, net.Y, rows, c.loss, opt, lr, beta1, beta2, eps, 0, 1, net.scratch, 0))).toBe(true);
        const before = snapshot(heap, net);
        const u = heap.u32();
        const saved = u[(net.X >>> 2) + 4] as number;
        u[(net.X >>> 2) + 4] = bits;
        expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 2, net.X, net.Y, rows, c.loss, opt, lr, beta1, beta2, eps, 0, 2, net.scratch, 0)).toBeNaN();
        expectBitsEqual(snapshot(heap, net), before, 'parameters and state');
        heap.u32()[(net.X >>> 2) + 4] = saved;
      }
    });
  }

  it('a finite loss with an infinite gradient: returns NaN, parameters unchanged', () => {
    const heap = new KernelHeap(createBackend(kind));
    // Z = 3e38·0 + 1·0.5 = 0.5 is finite, so is the loss (0.5 − 100)², but dW₀ = 3e38·(−199) overflows f32.
    const net = layoutNet(heap, 2, [{ outputs: 1, act: Act.linear }], 1, [3e38, 1], [100], 9);
    heap.write(net.layers[0]!.W, [0, 0.5]);
    heap.write(net.layers[0]!.b, [0]);
    expect(heap.k.mlp_gradients(net.table, 1, net.X, net.Y, 1, Loss.mse, net.scratch)).toBe(99.5 * 99.5);
    expect(heap.read(net.layers[0]!.dW, 2)[0]).toBe(-Infinity);
    for (const opt of [Opt.sgd, Opt.momentum, Opt.adam]) {
      const before = snapshot(heap, net);
      expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 1, net.X, net.Y, 1, Loss.mse, opt, lr, beta1, beta2, eps, 0, 1, net.scratch, 0)).toBeNaN();
      expectBitsEqual(snapshot(heap, net), before, 'parameters and state');
    }
  });

  it('a non-finite loss with finite gradients: returns NaN, parameters unchanged', () => {
    const heap = new KernelHeap(createBackend(kind));
    // Z overflows f32 to +Inf: σ = 1 = y makes dZ, and so every gradient, exactly 0, but the loss is Inf − Inf.
    // Weight decay and non-zero optimizer state, so that an update with zero gradients would show.
    const net = layoutNet(heap, 2, [{ outputs: 1, act: Act.sigmoid, weightDecay: 0.1 }], 1, [3e38, 3e38], [1], 10);
    heap.write(net.layers[0]!.W, [2, 2]);
    heap.write(net.layers[0]!.mW, [0.1, 0.1]);
    heap.write(net.layers[0]!.vW, [0.01, 0.01]);
    expect(heap.k.mlp_gradients(net.table, 1, net.X, net.Y, 1, Loss.bce, net.scratch)).toBeNaN();
    expect(heap.read(net.layers[0]!.dW, 2)).toEqual([0, 0]);
    for (const opt of [Opt.sgd, Opt.momentum, Opt.adam]) {
      const before = snapshot(heap, net);
      expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 1, net.X, net.Y, 1, Loss.bce, opt, lr, beta1, beta2, eps, 0, 1, net.scratch, 0)).toBeNaN();
      expectBitsEqual(snapshot(heap, net), before, 'parameters and state');
    }
  });

  it('an update that overflows a parameter from finite gradients: +Infinity without an undo buffer', () => {
    const heap = new KernelHeap(createBackend(kind));
    const net = layoutNet(heap, 1, [{ outputs: 1, act: Act.linear }], 1, [1], [0], 13);
    heap.write(net.layers[0]!.W, [1]);
    heap.write(net.layers[0]!.b, [0]);
    // loss 1, dW = db = 2: a step of 1e38 takes W to −2e38 (finite) and then to −Inf at twice the rate.
    expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 1, net.X, net.Y, 1, Loss.mse, Opt.sgd, 1e38, 0, 0, 0, 0, 1, net.scratch, 0)).toBe(1);
    expect(heap.read(net.layers[0]!.W, 1)[0]).toBe(Math.fround(1 - 2e38));
    heap.write(net.layers[0]!.W, [1]);
    heap.write(net.layers[0]!.b, [0]);
    expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 1, net.X, net.Y, 1, Loss.mse, Opt.sgd, 2e38, 0, 0, 0, 0, 1, net.scratch, 0)).toBe(Infinity);
    expect(heap.read(net.layers[0]!.W, 1)[0]).toBe(-Infinity);
  });

  for (const [oname, opt] of OPTS) {
    it(`${oname}: an overflowing update with an undo buffer is undone: −Infinity, parameters and state as after the last finite step`, () => {
      const c = NET_CASES[0] as NetCase;
      const heap = new KernelHeap(createBackend(kind));
      const rand = uniform(21);
      const net = layoutNet(heap, c.inputs, c.specs, rows, randomF32(rand, rows * c.inputs), labelsFor(c, rows, rand), 22);
      const undo = heap.alloc(net.layers.reduce((s, L) => s + 3 * (L.inputs * L.outputs + L.outputs), 0));
      expect(Number.isFinite(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, net.layers.length, net.X, net.Y, rows, c.loss, opt, 0.05, 0.9, 0.999, 1e-8, 0, 1, net.scratch, undo))).toBe(true);
      const before = snapshot(heap, net);
      // lr beyond float32: every update overflows
      expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, net.layers.length, net.X, net.Y, rows, c.loss, opt, 1e39, 0.9, 0.999, 1e-8, 0, 2, net.scratch, undo)).toBe(-Infinity);
      expect(snapshot(heap, net)).toEqual(before);
    });
  }

  it('memory growing between steps changes nothing: bit-identical losses and parameters', () => {
    const c = NET_CASES[1] as NetCase;
    const run = (growEvery: number): { losses: number[]; params: number[] } => {
      const heap = new KernelHeap(createBackend(kind, { initialPages: 1, maximumPages: 64 }));
      const rand = uniform(11);
      const r = 16;
      const net = layoutNet(heap, c.inputs, c.specs, r, randomF32(rand, r * c.inputs, -2, 2), labelsFor(c, r, rand), 12);
      const losses: number[] = [];
      for (let t = 1; t <= 8; t++) {
        if (growEvery > 0 && t % growEvery === 0) {
          const old = heap.backend.memory.buffer;
          heap.backend.memory.grow(1);
          expect(old.byteLength, 'old buffer detached').toBe(0);
        }
        losses.push(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 2, net.X, net.Y, r, c.loss, Opt.adam, lr, beta1, beta2, eps, 0, t, net.scratch, 0));
      }
      return { losses, params: snapshot(heap, net) };
    };
    const still = run(0);
    const growing = run(3);
    expect(growing.losses).toEqual(still.losses);
    expectBitsEqual(growing.params, still.params);
    for (const v of still.losses) expect(Number.isFinite(v)).toBe(true);
  });
});
