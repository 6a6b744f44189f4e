/**
 * One plain test per defect the reliability battery found (the battery files
 * beside this one): each case is the smallest input that broke the rule
 * "a correct result, or a SimdnetError naming the argument, with nothing changed".
 */
import { describe, expect, it } from 'vitest';
import { Network, ShapeError, ValueError, type Runtime } from '../../src/index.js';
import { runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { weightBits } from '../support/snapshot.js';

function revokedProxy(): object {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}

const throwing = <T extends object>(target: T, key: PropertyKey): T =>
  Object.defineProperty(target, key, { get() { throw new Error('hostile getter'); }, enumerable: true });

const student = (runtime: Runtime) =>
  new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime });

describe('found by the battery: the network', () => {
  it('a revoked Proxy as options, a layer or the runtime is refused by name (it threw a TypeError)', async () => {
    const rt = await runtimeFor({});
    expectError(() => new Network(revokedProxy() as never), ValueError, 'Network options: expected an options object');
    expectError(() => new Network({ inputs: 2, layers: [revokedProxy() as never], runtime: rt }), ValueError, 'layers[0]: expected an options object');
    expectError(() => new Network({ inputs: 2, layers: [{ units: 1 }], runtime: revokedProxy() as never }), ValueError, 'runtime: expected a Runtime returned by init()');
    expectError(() => student(rt).getWeights(revokedProxy() as never), ValueError, 'options: expected an options object');
  });

  it('a hole in layers is refused by name (map skipped it, and a TypeError followed)', async () => {
    const rt = await runtimeFor({});
    const layers = [, { units: 1 }] as never;
    expectError(() => new Network({ inputs: 2, layers, runtime: rt }), ValueError, 'layers[0]: expected an options object { units, activation, alpha }, got undefined');
  });

  it('setWeights reads each layer as options: own keys only, unknown keys named, a getter that throws named', async () => {
    const rt = await runtimeFor({});
    const net = student(rt);
    const before = weightBits(net);
    const w = net.getWeights();
    expectError(() => net.setWeights([Object.create(w[0]!) as never, w[1]!]), ShapeError, 'weights[0].W: expected an array of numbers or of rows, got undefined');
    expectError(() => net.setWeights([{ weight: w[0]!.W, bias: w[0]!.b } as never, w[1]!]), ValueError, `weights[0]: unknown option "weight"`);
    expectError(() => net.setWeights([throwing({ W: w[0]!.W }, 'b') as never, w[1]!]), ValueError, 'weights[0].b: reading it threw (Error: hostile getter)');
    const keysThrow = new Proxy(w[1]!, { ownKeys() { throw new Error('trap'); } });
    expectError(() => net.setWeights([w[0]!, keysThrow]), ValueError, 'weights[1]: its keys could not be listed (Error: trap)');
    expectError(() => net.setWeights(revokedProxy() as never), ValueError, 'weights: reading it threw');
    expect(weightBits(net)).toEqual(before);
  });

  it('predict and predictInto name x when reading it throws, on every path (it was a raw Error)', async () => {
    const rt = await runtimeFor({});
    const net = student(rt);
    for (let i = 0; i < 70; i++) net.predict([0.5, 0.5]); // past the calls that generate code
    expectError(() => net.predict(throwing([0.5, 0.5], 0)), ValueError, 'x: reading it threw (Error: hostile getter)');
    expectError(() => net.predict(throwing([0.5, 0.5], 1)), ValueError, 'x: reading it threw (Error: hostile getter)');
    expectError(() => net.predict(revokedProxy() as never), ValueError, 'x: reading it threw');
    expectError(() => net.predictInto(throwing([0.5, 0.5], 1), new Float32Array(1)), ValueError, 'x: reading it threw (Error: hostile getter)');
  });

  it('predictInto refuses a Proxy of a Float32Array as out by name (its length getter threw a TypeError)', async () => {
    const rt = await runtimeFor({});
    const net = student(rt);
    const out = new Proxy(new Float32Array(1), {});
    expectError(() => net.predictInto([0.5, 0.5], out), ShapeError, 'out: expected a Float32Array, got an object');
    expectError(() => net.predictInto([[0.5, 0.5], [1, 1]], new Proxy(new Float32Array(2), {})), ShapeError, 'out: expected a Float32Array');
  });
});
