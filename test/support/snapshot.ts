/**
 * Snapshots for the reliability battery: what a caller's arguments hold and
 * what a network holds, taken without calling a getter or a Proxy trap (a
 * hostile getter must not fire in the check itself), and compared after the
 * call.
 */
import { types } from 'node:util';
import type { Network } from '../../src/index.js';
import { targetOf } from './hostile.js';

const ids = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextId = 0;

/** A stable identity for an object, function or symbol (by reference, never by content). */
export function identity(x: object | symbol | null | undefined): string {
  if (x === null || x === undefined) return String(x);
  if (typeof x === 'symbol') {
    if (!symbolIds.has(x)) symbolIds.set(x, nextId++);
    return `symbol#${symbolIds.get(x)}`;
  }
  if (!ids.has(x)) ids.set(x, nextId++);
  return `#${ids.get(x)}`;
}

const WALKED = new Set<unknown>([Object.prototype, Array.prototype, null]);

function primitive(x: unknown): unknown {
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : Number.isNaN(x) ? 'NaN' : x;
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'symbol') return identity(x);
  if (x === undefined) return '(undefined)';
  return x;
}

/**
 * What `v` holds, deeply: arrays and plain objects by their own property
 * descriptors (getters by identity, never called), typed arrays by their
 * view and every byte of their buffer (a write outside an offset view
 * shows), the battery's own Proxies by their targets, anything else
 * (a Network, a Runtime, a function) by identity.
 */
export function snapshot(v: unknown): unknown {
  const seen = new Map<object, number>();
  let depth = 0;
  const walk = (x: unknown): unknown => {
    if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return primitive(x);
    const o = x as object;
    // deeper than any real argument (the battery nests 100,000 deep): by identity only, not by content
    if (depth > 500) return { deep: identity(o) };
    if (seen.has(o)) return { cycle: seen.get(o) };
    seen.set(o, seen.size);
    if (types.isProxy(o)) {
      const target = targetOf(o);
      return target ? { proxyOf: walk(target) } : { opaqueProxy: identity(o) };
    }
    if (ArrayBuffer.isView(o)) {
      return { view: o.constructor.name, byteOffset: o.byteOffset, byteLength: o.byteLength, buffer: Array.from(new Uint8Array(o.buffer)) };
    }
    if (types.isBoxedPrimitive(o)) return { boxed: primitive((o as { valueOf(): unknown }).valueOf()) };
    if (typeof o === 'function' || !WALKED.has(Object.getPrototypeOf(o))) return { identity: identity(o) };
    const props: unknown[] = [];
    for (const key of Reflect.ownKeys(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key)!;
      depth++;
      props.push([primitive(key), 'value' in d ? walk(d.value) : { get: identity(d.get), set: identity(d.set) }, d.enumerable, d.writable]);
      depth--;
    }
    return { proto: identity(Object.getPrototypeOf(o) as object | null), frozen: Object.isFrozen(o), props };
  };
  return walk(v);
}

/** The bits of every weight and bias, in order. */
export function weightBits(net: Network): number[] {
  const out: number[] = [];
  for (const l of net.getWeights({ flat: true })) {
    out.push(...new Uint32Array(l.W.buffer, l.W.byteOffset, l.W.length), ...new Uint32Array(l.b.buffer, l.b.byteOffset, l.b.length));
  }
  return out;
}

/** Everything a network holds that a call could change: weights (bits), scalers, labels, names, flags. */
export function networkState(net: Network): unknown {
  if (net.disposed) return { disposed: true };
  return {
    bits: weightBits(net),
    scaler: net.scaler?.toJSON() ?? null,
    targetScaler: net.targetScaler?.toJSON() ?? null,
    classes: net.classes,
    featureNames: net.featureNames,
    targetName: net.targetName,
    training: net.training,
    summary: JSON.stringify(net.trainingSummary),
  };
}
