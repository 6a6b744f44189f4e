/**
 * Model files that are not what they say, for the two JSON formats: byte mutations
 * of TF.js model.json and brain.js JSON text, values replaced anywhere in
 * their trees (with numbers, strings, nulls, huge sizes, prototype names),
 * and truncated or mutated TF.js weights give a model or a named DataError —
 * never another error, a hang or memory left allocated (fast-check, fixed
 * seeds, bounded runs).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, init, Network, type Runtime } from '../../src/index.js';
import { fromBrainJS, toBrainJS } from '../../src/brain.js';
import { fromTFJS, toTFJS } from '../../src/tfjs.js';

let rt: Runtime;
let tfjs: { modelJSON: object; weights: Uint8Array };
let brain: object;

beforeAll(async () => {
  rt = await init();
  const net = new Network({ inputs: 3, layers: [{ units: 4, activation: 'leaky_relu', alpha: 0.2 }, { units: 3, activation: 'tanh' }, { units: 2, activation: 'softmax' }], seed: 1, runtime: rt });
  net.featureNames = ['a', 'b', 'c'];
  tfjs = toTFJS(net);
  const b = new Network({ inputs: 3, layers: [{ units: 4, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }], seed: 2, runtime: rt });
  b.featureNames = ['a', 'b', 'c'];
  brain = toBrainJS(b, { lookups: true });
});

/** 'model' or 'refused'; any other error fails the property. */
function outcome(read: () => Network): 'model' | 'refused' {
  const live = rt.heap.liveBytes;
  try {
    const net = read();
    expect((net.predict(new Float32Array(net.inputs).fill(0.5)) as Float32Array).length).toBe(net.outputs);
    net.dispose();
    expect(rt.heap.liveBytes).toBe(live);
    return 'model';
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    expect(rt.heap.liveBytes).toBe(live);
    return 'refused';
  }
}

/** Every path (list of keys) in a JSON tree. */
function paths(v: unknown, at: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function replaced<T>(tree: T, path: Array<string | number>, value: unknown): T {
  if (path.length === 0) return value as T;
  const copy = JSON.parse(JSON.stringify(tree));
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k];
  o[path[path.length - 1]!] = value;
  return copy;
}

const HOSTILE = fc.oneof(
  fc.constantFrom(null, 0, -1, 1.5, 2 ** 31, 1e300, Number.MAX_SAFE_INTEGER, '', 'relu', 'softmax', '__proto__', 'toString', 'constructor', [], {}, [null], [2 ** 30, 2 ** 30], { __proto__: 1 }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 8 }),
);

describe.each([
  ['TF.js model.json', () => tfjs.modelJSON, (m: unknown) => fromTFJS(m, tfjs.weights, { runtime: rt })],
  ['brain.js JSON', () => brain, (m: unknown) => fromBrainJS(m, { runtime: rt })],
] as const)('%s', (_, original, read) => {
  it('byte mutations of the text give a model or a named DataError', () => {
    const seen = { model: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const text = [...JSON.stringify(original())];
        for (const [at, c] of edits) text[at % text.length] = String.fromCharCode(c);
        seen[outcome(() => read(text.join('')))]++;
      }),
      { seed: 1206, numRuns: 600 },
    );
    expect(seen.model).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(10);
  });

  it('any value replaced anywhere in the tree gives a model or a named DataError', () => {
    const all = paths(original()).filter((p) => p.length > 0);
    const seen = { model: 0, refused: 0 };
    fc.assert(
      fc.property(fc.nat(all.length - 1), HOSTILE, (i, value) => {
        seen[outcome(() => read(replaced(original(), all[i]!, value)))]++;
      }),
      { seed: 612, numRuns: 800 },
    );
    expect(seen.model).toBeGreaterThan(10);
    expect(seen.refused).toBeGreaterThan(10);
  });

  it('every truncation of the text is a named DataError', () => {
    const text = JSON.stringify(original());
    for (let n = 0; n < text.length; n += 3) expect(outcome(() => read(text.slice(0, n)))).toBe('refused');
  });
});

describe('TF.js weights', () => {
  it('truncated or extended weights are a named DataError; mutated ones a model or a DataError (NaN named)', () => {
    for (let n = 0; n < tfjs.weights.length + 8; n += 5) {
      if (n === tfjs.weights.length) continue;
      const w = new Uint8Array(n);
      w.set(tfjs.weights.subarray(0, Math.min(n, tfjs.weights.length)));
      expect(outcome(() => fromTFJS(tfjs.modelJSON, w, { runtime: rt }))).toBe('refused');
    }
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), (at, v) => {
        const w = tfjs.weights.slice();
        w[at % w.length] = v;
        outcome(() => fromTFJS(tfjs.modelJSON, w, { runtime: rt }));
      }),
      { seed: 77, numRuns: 400 },
    );
  });
});
