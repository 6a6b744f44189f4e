/**
 * The options a Network is built from, read and checked before anything is
 * allocated: own keys only, a typo named with the nearest key, each value
 * where it is used (alpha only on leaky_relu layers).
 */

import { Act, type ActivationName } from '../backend/abi.js';
import { ShapeError, ValueError } from '../errors.js';
import { guardRead, lookupName, readOptions } from '../options.js';
import { defaultRuntimeOrThrow, Runtime } from '../runtime.js';
import { checkPositiveInt, checkSeed, describe, F32_MAX, shortestF32 } from '../validate.js';
import type { LayerShape } from './plan.js';

/** One dense layer: `units` outputs followed by an activation. */
export interface LayerOptions {
  /** Number of units (outputs) of the layer, a positive integer. */
  units: number;
  /** The activation after the layer's affine map (default 'linear'); 'softmax' only on the output layer. */
  activation?: ActivationName;
  /** leaky_relu's negative slope (default 0.01); only leaky_relu layers take it. */
  alpha?: number;
}

/** One layer of a network, as `net.layers` lists it. */
export interface LayerInfo {
  /** Inputs of the layer (the previous layer's units, or the network's inputs). */
  inputs: number;
  /** Units (outputs) of the layer. */
  units: number;
  /** The activation after the layer's affine map. */
  activation: ActivationName;
  /** leaky_relu's negative slope (0.01 on other layers, where it is unused). */
  alpha: number;
}

/** What `new Network(options)` takes. */
export interface NetworkOptions {
  /** Number of input features. */
  inputs: number;
  /** The dense layers, input side first; the last is the output layer. */
  layers: LayerOptions[];
  /** Seed of the weight initialisation (default 0): same seed, same weights, bit for bit. */
  seed?: number;
  /** The runtime to live in (default: the one set by the last `init()`). */
  runtime?: Runtime;
}

/** NetworkOptions, checked. */
export interface NetworkSpec {
  inputs: number;
  shapes: LayerShape[];
  seed: number;
  runtime: Runtime;
}

export function readNetworkOptions(options: unknown): NetworkSpec {
  const o = readOptions(options, 'Network options', ['inputs', 'layers', 'seed', 'runtime'], '{ inputs, layers, seed, runtime }');
  const inputs = checkPositiveInt(o.inputs, 'inputs');
  const seed = checkSeed(o.seed, 'seed');
  let fanIn = inputs;
  const shapes = guardRead('layers', () => {
    const layers = o.layers;
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new ShapeError(`layers: expected a non-empty array of { units, activation }, got ${describe(layers)}`);
    }
    // Array.from visits holes (as undefined, refused by name), where map would skip them
    return Array.from(layers, (layer: unknown, i) => {
      const name = `layers[${i}]`;
      const l = readOptions(layer, name, ['units', 'activation', 'alpha'], '{ units, activation, alpha }');
      const shape = layerShape(l, name, i, layers.length, fanIn);
      fanIn = shape.outputs;
      return shape;
    });
  });
  return { inputs, shapes, seed, runtime: runtimeOption(o.runtime) };
}

/** One layer's options, checked: units, an activation looked up among own names, alpha only where it is used. */
function layerShape(l: Partial<Record<'units' | 'activation' | 'alpha', unknown>>, name: string, i: number, count: number, inputs: number): LayerShape {
  const units = checkPositiveInt(l.units, `${name}.units`);
  const activation = l.activation === undefined ? 'linear' : lookupName(Act, l.activation, `${name}.activation`);
  if (activation === 'softmax' && i !== count - 1) {
    throw new ValueError(`${name}.activation: 'softmax' is only supported on the output layer (layer ${count - 1}), got it on layer ${i}`);
  }
  if (activation === 'softmax' && units < 2) {
    throw new ShapeError(`${name}.units: a softmax output needs at least 2 units (over 1 unit it always outputs 1), got ${units}; use one sigmoid unit for two classes`);
  }
  if (l.alpha !== undefined && activation !== 'leaky_relu') {
    throw new ValueError(`${name}.alpha: only leaky_relu layers take alpha (the negative slope), got it on a '${activation}' layer`);
  }
  let alpha = 0.01;
  if (l.alpha !== undefined) {
    const a = l.alpha;
    // stored as float32: a slope that rounds to Infinity could be saved but never loaded
    if (typeof a !== 'number' || !(a >= 0 && Math.fround(a) <= F32_MAX)) {
      throw new ValueError(`${name}.alpha: expected a finite number ≥ 0 within the float32 range, got ${describe(a)}`);
    }
    // the kernels use it as float32: keep the shortest decimal of that float32, which a saved model gives back
    alpha = shortestF32(a);
  }
  return { inputs, outputs: units, activation, alpha };
}

/** The runtime option: a Runtime from init(), or the default one. */
export function runtimeOption(v: unknown): Runtime {
  if (v === undefined) return defaultRuntimeOrThrow();
  let runtime = false;
  try {
    runtime = v instanceof Runtime;
  } catch {
    // instanceof on a revoked Proxy throws: no Runtime either
  }
  if (!runtime) throw new ValueError(`runtime: expected a Runtime returned by init(), got ${describe(v)}`);
  return v as Runtime;
}
