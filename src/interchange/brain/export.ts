/**
 * toBrainJS: a Network as brain.js 2.0 `NeuralNetwork` JSON, for
 * `new brain.NeuralNetwork().fromJSON(json)`. brain.js runs one activation
 * in every layer, output included, and nothing else; what it cannot
 * express is refused, not approximated.
 */

import { Network, ValueError } from 'simdnet';
import { foldScalers, specOf } from '../spec.js';

export interface ToBrainJSOptions {
  /**
   * Name the inputs (`inputLookup`, from the feature names) and outputs
   * (`outputLookup`, from names a brain.js import kept), so brain.js's
   * `run()` takes and gives objects. Default false: arrays, as `predict`.
   */
  lookups?: boolean;
}

const NAMES: Record<string, string> = { sigmoid: 'sigmoid', relu: 'relu', leaky_relu: 'leaky-relu', tanh: 'tanh' };

/**
 * Writes `net` as brain.js 2.0 NeuralNetwork JSON. The input scaling is
 * folded into the first layer (the same function up to float32 rounding).
 *
 * @throws ValueError for what brain.js cannot run: a softmax or linear
 *   layer, layers with different activations (or leaky slopes), a slope
 *   outside [0, 1], a target scaling.
 */
export function toBrainJS(net: Network, options: ToBrainJSOptions = {}): Record<string, unknown> {
  if (!(net instanceof Network)) throw new ValueError(`net: expected a Network, got ${net === null ? 'null' : typeof net}`);
  const layers = net.layers;
  const first = layers[0]!;
  const name = NAMES[first.activation];
  layers.forEach((l, i) => {
    const what = `layer ${i} of ${layers.length} (${l.activation}${l.activation === 'leaky_relu' ? ` ${l.alpha}` : ''})`;
    if (NAMES[l.activation] === undefined) throw new ValueError(`net: brain.js cannot express ${what}: its layers are sigmoid, relu, leaky-relu or tanh`);
    if (l.activation !== first.activation || (l.activation === 'leaky_relu' && Math.fround(l.alpha) !== Math.fround(first.alpha))) {
      throw new ValueError(`net: brain.js runs one activation in every layer, output included; got ${first.activation}${first.activation === 'leaky_relu' ? ` ${first.alpha}` : ''} in layer 0 and ${what}`);
    }
  });
  if (first.activation === 'leaky_relu' && !(first.alpha <= 1)) throw new ValueError(`net: brain.js computes leaky-relu as max(x, α·x), which needs α ≤ 1, got ${first.alpha}`);
  if (net.targetScaler && net.targetScaler.kind !== 'none') throw new ValueError('net: brain.js has no place for the target scaling of a regression network (its output layer is never linear)');
  const spec = foldScalers(specOf(net), 'brain.js');
  const sizes = [spec.inputs, ...spec.layers.map((l) => l.units)];
  const jsonLayers: Array<{ weights: number[][]; biases: number[] }> = [{ weights: [], biases: [] }];
  let k = spec.inputs;
  for (const l of spec.layers) {
    const weights: number[][] = [];
    for (let j = 0; j < l.units; j++) {
      const row = new Array<number>(k);
      for (let i = 0; i < k; i++) row[i] = l.W[i * l.units + j]!;
      weights.push(row);
    }
    jsonLayers.push({ weights, biases: Array.from(l.b) });
    k = l.units;
  }
  const lookup = (names: readonly string[] | null | undefined) => (options.lookups && names ? Object.fromEntries(names.map((n, i) => [n, i])) : null);
  const summary = net.trainingSummary as { outputNames?: unknown } | null;
  const outputNames = summary && Array.isArray(summary.outputNames) && summary.outputNames.length === net.outputs ? (summary.outputNames as string[]) : null;
  const inputLookup = lookup(net.featureNames);
  const outputLookup = lookup(outputNames);
  return {
    type: 'NeuralNetwork',
    sizes,
    layers: jsonLayers,
    inputLookup,
    inputLookupLength: inputLookup ? spec.inputs : 0,
    outputLookup,
    outputLookupLength: outputLookup ? net.outputs : 0,
    options: { inputSize: spec.inputs, outputSize: net.outputs, binaryThresh: 0.5, hiddenLayers: sizes.slice(1, -1) },
    trainOpts: {
      activation: name,
      iterations: 20000,
      errorThresh: 0.005,
      log: false,
      logPeriod: 10,
      leakyReluAlpha: first.activation === 'leaky_relu' ? first.alpha : 0.01,
      learningRate: 0.3,
      momentum: 0.1,
      callbackPeriod: 10,
      timeout: 'Infinity',
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-8,
    },
  };
}
