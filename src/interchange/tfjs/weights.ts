/**
 * The weights of a TF.js layers model: the manifest's specs (name, shape,
 * dtype, quantization) laid over the bytes, checked for size before anything is read, and
 * handed to the layers that claim them — by name (`<layer>/kernel`, also
 * under a model prefix or with Keras's `:0`), else in manifest order.
 */

import { DataError, ValueError } from 'simdnet';

/** One buffer (all groups' shards concatenated, as tf.io's weightData), a list of buffers, or buffers keyed by manifest path. */
export type WeightsInput = Uint8Array | ArrayBuffer | ArrayBuffer[] | Record<string, Uint8Array | ArrayBuffer>;

export interface Weight {
  name: string;
  shape: number[];
  values: Float32Array;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

const bytesOf = (v: unknown): Uint8Array | null =>
  v instanceof Uint8Array ? v : v instanceof ArrayBuffer ? new Uint8Array(v) : ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : null;

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

interface Spec {
  name: string;
  shape: number[];
  offset: number;
  used: boolean;
  /** How the values are stored: float32, or quantized as the TF.js converter writes them. */
  storage: 'float32' | 'uint8' | 'uint16' | 'float16';
  scale: number;
  min: number;
}

const BYTES = { float32: 4, uint8: 1, uint16: 2, float16: 2 } as const;

/** An IEEE half-precision value. */
function half(h: number): number {
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  const v = e === 0 ? m * 2 ** -24 : e === 31 ? (m ? NaN : Infinity) : (1 + m / 1024) * 2 ** (e - 15);
  return h & 0x8000 ? -v : v;
}

export interface WeightStore {
  /** The weight of `layer` named `kind` ('kernel' or 'bias'). */
  take(layer: string, kind: 'kernel' | 'bias', label: string): Weight;
  /** Checks that every weight was taken by a layer. */
  finish(): void;
}

export function readWeights(model: Obj, weights: WeightsInput | undefined): WeightStore {
  const manifest = model.weightsManifest;
  let groups: Array<{ paths: string[]; specs: unknown[] }>;
  if (Array.isArray(manifest)) {
    groups = manifest.map((g, i) => {
      if (!isObj(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights) || g.paths.some((p) => typeof p !== 'string')) {
        throw new DataError(`tfjs weightsManifest[${i}]: expected { paths: [file names], weights: [specs] }`);
      }
      return { paths: g.paths as string[], specs: g.weights };
    });
  } else if (Array.isArray(model.weightSpecs)) {
    groups = [{ paths: [], specs: model.weightSpecs }];
  } else {
    throw new DataError('tfjs model: expected weightsManifest (model.json) or weightSpecs (artifacts), got neither');
  }
  const source = weights ?? (model.weightData as WeightsInput | undefined);
  if (source === undefined || source === null) throw new ValueError('weights: expected the weights’ bytes (the .bin files the manifest names), got nothing');
  let data: Uint8Array;
  const single = bytesOf(source);
  if (single) data = single;
  else if (Array.isArray(source)) {
    data = concat(source.map((b, i) => {
      const u = bytesOf(b);
      if (!u) throw new ValueError(`weights[${i}]: expected an ArrayBuffer or Uint8Array, got ${typeof b}`);
      return u;
    }));
  } else if (isObj(source)) {
    data = concat(groups.flatMap((g) => g.paths.map((p) => {
      const u = own(source, p) ? bytesOf(source[p]) : null;
      if (!u) throw new ValueError(`weights['${p}']: expected the bytes of the file '${p}' the manifest names, got ${own(source, p) ? typeof source[p] : 'nothing'}`);
      return u;
    })));
  } else {
    throw new ValueError(`weights: expected a Uint8Array, an ArrayBuffer, an array of them or an object keyed by file name, got ${typeof source}`);
  }
  const specs: Spec[] = [];
  let offset = 0;
  for (const [gi, g] of groups.entries()) {
    for (const [si, s] of g.specs.entries()) {
      const where = `tfjs weightsManifest[${gi}].weights[${si}]`;
      if (!isObj(s) || typeof s.name !== 'string' || !Array.isArray(s.shape)) throw new DataError(`${where}: expected { name, shape, dtype }`);
      if ((s.dtype ?? 'float32') !== 'float32') throw new DataError(`${where} ('${s.name}').dtype: expected 'float32', got ${JSON.stringify(s.dtype)}`);
      let storage: Spec['storage'] = 'float32';
      let scale = 1;
      let min = 0;
      const q = s.quantization;
      if (q !== undefined && q !== null) {
        const dtype = isObj(q) ? q.dtype : undefined;
        if (dtype !== 'uint8' && dtype !== 'uint16' && dtype !== 'float16') {
          throw new DataError(`${where} ('${s.name}').quantization.dtype: expected 'uint8', 'uint16' or 'float16', got ${JSON.stringify(dtype)}`);
        }
        storage = dtype;
        if (dtype !== 'float16') {
          const { scale: sc, min: mn } = q as Obj;
          if (typeof sc !== 'number' || typeof mn !== 'number' || !Number.isFinite(sc) || !Number.isFinite(mn)) {
            throw new DataError(`${where} ('${s.name}').quantization: expected finite numbers scale and min, got ${JSON.stringify({ scale: sc, min: mn })}`);
          }
          [scale, min] = [sc, mn];
        }
      }
      let n = 1;
      for (const d of s.shape) {
        if (!Number.isInteger(d) || (d as number) < 0) throw new DataError(`${where} ('${s.name}').shape: expected sizes ≥ 0, got ${JSON.stringify(s.shape)}`);
        n *= d as number;
        if (n > 2 ** 30) throw new DataError(`${where} ('${s.name}').shape: expected at most 2^30 values, got ${JSON.stringify(s.shape)}`);
      }
      specs.push({ name: s.name, shape: s.shape as number[], offset, used: false, storage, scale, min });
      offset += BYTES[storage] * n;
    }
  }
  if (data.length !== offset) {
    throw new DataError(`tfjs weights: expected ${offset} bytes (the manifest's ${specs.length} weights), got ${data.length}`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const read = (s: Spec): Weight => {
    s.used = true;
    const n = s.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    // dequantized as tf.io does: q · scale + min (uint8, uint16), or half floats
    if (s.storage === 'float32') for (let i = 0; i < n; i++) values[i] = view.getFloat32(s.offset + 4 * i, true);
    else if (s.storage === 'uint8') for (let i = 0; i < n; i++) values[i] = view.getUint8(s.offset + i) * s.scale + s.min;
    else if (s.storage === 'uint16') for (let i = 0; i < n; i++) values[i] = view.getUint16(s.offset + 2 * i, true) * s.scale + s.min;
    else for (let i = 0; i < n; i++) values[i] = half(view.getUint16(s.offset + 2 * i, true));
    return { name: s.name, shape: s.shape, values };
  };
  const base = (name: string) => name.replace(/:\d+$/, '');
  return {
    take(layer, kind, label) {
      const named = specs.filter((s) => !s.used && (base(s.name) === `${layer}/${kind}` || base(s.name).endsWith(`/${layer}/${kind}`)));
      if (named.length === 1) return read(named[0]!);
      const next = specs.find((s) => !s.used);
      if (named.length === 0 && next) {
        const n = base(next.name);
        if (n.endsWith(`/${kind}`) || !/\/(kernel|bias)$/.test(n)) return read(next);
      }
      throw new DataError(`${label}: expected its ${kind} in the weights manifest, got ${named.length > 1 ? `${named.length} weights named '${layer}/${kind}'` : next ? `'${next.name}' next` : 'no weights left'}`);
    },
    finish() {
      const left = specs.find((s) => !s.used);
      if (left) throw new DataError(`tfjs weights: '${left.name}' belongs to no Dense layer of the model`);
    },
  };
}
