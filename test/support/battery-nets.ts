/**
 * Networks and references for the reliability battery: a pool of warmed-up
 * networks (tiny ones with generated code, a batch-only one, with and without
 * scalers and labels), each with its twin on the JS backend, and float64
 * references written from the textbook formulas (test/support/reference.ts).
 */
import fc from 'fast-check';
import { Network, Scaler, type LossName, type NetworkOptions, type Runtime } from '../../src/index.js';
import { refForward, type RefLayer } from './reference.js';
import { Deferred } from './battery.js';
import { NONE, OMIT, transparent, Variant } from './hostile.js';

/** Most rows a battery call holds (capacity is warmed to it, so a success allocates nothing). */
export const MAX_ROWS = 16;

export interface PoolNet {
  name: string;
  net: Network;
  /** The same network (weights, scalers, labels) on the JS backend. */
  js: Network;
  loss: LossName;
}

export interface Architecture {
  name: string;
  options: Omit<NetworkOptions, 'runtime'>;
  loss: LossName;
  dress?(net: Network): void;
}

export const ARCHITECTURES: readonly Architecture[] = [
  { name: 'student 2-3-1', options: { inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 42 }, loss: 'bce' },
  {
    name: 'student with a scaler and labels',
    options: { inputs: 2, layers: [{ units: 3, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 7 },
    loss: 'bce',
    dress(net) {
      net.scaler = Scaler.fit(new Float32Array([0, 10, 1, 30, 2, 20, 4, 60]), 4, 2, 'standard');
      net.classes = ['fail', 'pass'];
      net.featureNames = ['hours', 'attendance'];
      net.targetName = 'passed';
    },
  },
  { name: 'softmax 3-4-3', options: { inputs: 3, layers: [{ units: 4, activation: 'leaky_relu', alpha: 0.2 }, { units: 3, activation: 'softmax' }], seed: 3 }, loss: 'cce' },
  {
    name: 'regressor 3-5-2 with input and target scalers',
    options: { inputs: 3, layers: [{ units: 5, activation: 'relu' }, { units: 2, activation: 'linear' }], seed: 5 },
    loss: 'mse',
    dress(net) {
      net.scaler = Scaler.fit(new Float32Array([0, 1, 2, 4, 3, 1, -2, 0, 5]), 3, 3, 'minmax');
      net.targetScaler = Scaler.fit(new Float32Array([10, -1, 30, 1, 20, 0]), 3, 2, 'standard');
    },
  },
  { name: 'batch-only 4-40-30-1 (over 1,024 parameters)', options: { inputs: 4, layers: [{ units: 40, activation: 'relu' }, { units: 30, activation: 'sigmoid' }, { units: 1, activation: 'linear' }], seed: 9 }, loss: 'mse' },
];

export function makeNet(arch: Architecture, runtime: Runtime): Network {
  const net = new Network({ ...arch.options, runtime });
  arch.dress?.(net);
  return net;
}

/** A fresh network with room for MAX_ROWS rows already made (so a successful call allocates nothing more). */
export function warmNet(arch: Architecture, runtime: Runtime): Network {
  const net = makeNet(arch, runtime);
  net.predict(Array.from({ length: MAX_ROWS }, () => new Array<number>(net.inputs).fill(0)));
  return net;
}

/** The pool: every architecture on `runtime`, warmed (generated code, batch capacity), with its JS twin. */
export function makePool(runtime: Runtime, js: Runtime): PoolNet[] {
  return ARCHITECTURES.map((arch) => {
    const net = makeNet(arch, runtime);
    const sample = Array.from({ length: net.inputs }, (_, i) => i / 4);
    for (let i = 0; i < 70; i++) net.predict(sample);
    net.predict(Array.from({ length: MAX_ROWS }, () => sample));
    return { name: arch.name, net, js: makeNet(arch, js), loss: arch.loss };
  });
}

/** Small values with short binary fractions (exact in float32), so failures shrink to readable numbers. */
export const smallValue = fc.integer({ min: -32, max: 32 }).map((v) => v / 16);

export function rowsOf(rows: number, cols: number): fc.Arbitrary<number[]> {
  return fc.array(smallValue, { minLength: rows * cols, maxLength: rows * cols });
}

/** Clean targets for a loss: binary 0/1, class indices (flat) or one-hot rows, values. */
export function targetsFor(loss: LossName, rows: number, outputs: number): fc.Arbitrary<{ values: number[]; cols: number; nested: boolean }> {
  if (loss === 'bce') return fc.array(fc.constantFrom(0, 1), { minLength: rows * outputs, maxLength: rows * outputs }).map((values) => ({ values, cols: outputs, nested: true }));
  if (loss === 'cce') {
    return fc.tuple(fc.array(fc.nat(outputs - 1), { minLength: rows, maxLength: rows }), fc.boolean()).map(([labels, indices]) => (indices
      ? { values: labels, cols: 1, nested: false }
      : { values: labels.flatMap((l) => Array.from({ length: outputs }, (_, c) => (c === l ? 1 : 0))), cols: outputs, nested: true }));
  }
  return rowsOf(rows, outputs).map((values) => ({ values, cols: outputs, nested: true }));
}

/** The network's layers for the float64 reference. */
export function refLayers(net: Network): RefLayer[] {
  const w = net.getWeights();
  return net.layers.map((l, i) => ({ W: w[i]!.W, b: w[i]!.b, activation: l.activation, alpha: l.alpha }));
}

/** The network's raw outputs (before any target scaling) in float64: input scaling, then the layers. */
export function refRaw(net: Network, rows: readonly (readonly number[])[]): number[][] {
  return refForward(refLayers(net), refScaled(net, rows));
}

/** The rows as the kernels see them: float32, scaled by the network's scaler. */
export function refScaled(net: Network, rows: readonly (readonly number[])[]): number[][] {
  const s = net.scaler?.toJSON();
  return rows.map((r) => r.map((v, c) => (s ? Math.fround((Math.fround(v) - s.offset[c]!) / s.scale[c]!) : Math.fround(v))));
}

/** What predict should give, in float64: raw outputs mapped back to target units by the target scaler. */
export function refPredict(net: Network, rows: readonly (readonly number[])[]): number[][] {
  const t = net.targetScaler?.toJSON();
  return refRaw(net, rows).map((r) => r.map((v, c) => (t ? v * t.scale[c]! + t.offset[c]! : v)));
}

/** Rows of `cols` numbers from any form predict takes (nested, flat, typed). */
export function rowsFrom(x: unknown, cols: number): number[][] {
  const flat: number[] = [];
  const add = (v: unknown) => {
    if (typeof v === 'number') flat.push(v);
    else for (const e of Array.from(v as ArrayLike<unknown>)) add(e);
  };
  add(x);
  return Array.from({ length: flat.length / cols }, (_, r) => flat.slice(r * cols, (r + 1) * cols));
}

/** |a − e| ≤ atol + rtol·|e| for every value; throws naming the first that is not. */
export function expectNear(actual: readonly number[], expected: readonly number[], atol: number, rtol: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} values, expected ${expected.length}`);
  expected.forEach((e, i) => {
    const a = actual[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) throw new Error(`${what}[${i}]: ${a}, expected ${e} ± (${atol} + ${rtol}·|e|)`);
  });
}

/** Whether every number in `x` is moderate (the float64 reference is compared only there: near float32's ends the outputs overflow). */
export function moderate(x: unknown, limit = 100): boolean {
  return rowsFrom(x, 1).every(([v]) => Math.abs(v!) <= limit);
}

/**
 * The network slot of a call (a Trainer's, evaluate's): the network of the
 * call's state, lookalikes of it, and things that are no network.
 */
export function networkVariants<E>(get: (env: E) => Network, disposed: Network): fc.Arbitrary<Variant> {
  const d = (f: (env: E) => unknown) => () => new Deferred<E>(f);
  const refused = (label: string, make: () => unknown) => new Variant(label, make, () => NONE, false);
  return fc.constantFrom(
    new Variant('the network', d(get), d(get), true),
    new Variant('a transparent Proxy of it', d((e) => transparent(get(e))), d(get), false),
    new Variant('an object inheriting from it', d((e) => Object.create(get(e)) as object), d(get), false),
    refused('a disposed network', () => disposed), refused('its saved JSON', d((e) => get(e).toJSON())),
    refused('null', () => null), refused('undefined', () => undefined), refused('an empty object', () => ({})),
    refused('a revoked Proxy', () => {
      const r = Proxy.revocable({}, {});
      r.revoke();
      return r.proxy;
    }),
  );
}

/** AbortSignal slots: live and aborted signals, a signal from another realm (its shape), and lookalikes that are none. */
export function signalVariants(clean: AbortSignal, aborted: AbortSignal): fc.Arbitrary<Variant> {
  const same = (label: string, make: () => unknown) => new Variant(label, make, make, true);
  const refused = (label: string, make: () => unknown) => new Variant(label, make, () => NONE, false);
  const foreign = { aborted: false, addEventListener() {}, removeEventListener() {} };
  return fc.constantFrom(
    same('a live signal', () => clean), same('an aborted signal', () => aborted), same("another realm's signal (its shape)", () => foreign),
    refused('an empty object', () => ({})), refused('{ aborted: false }', () => ({ aborted: false })), refused('an AbortController', () => new AbortController()),
    refused('true', () => true), refused('null', () => null), new Variant('undefined', () => undefined, () => OMIT, true),
  );
}
