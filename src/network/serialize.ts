/**
 * A network to and from its saved form (io/model-json.ts): the weights and
 * everything the network carries, checked in full before anything is built.
 */

import { parseModelJSON, buildModelJSON, type ModelJSON } from '../io/model-json.js';
import { readOptions } from '../options.js';
import type { Runtime } from '../runtime.js';
import { Network } from './network.js';
import { runtimeOption } from './network-options.js';

export function networkToJSON(net: Network, training: unknown): ModelJSON {
  const flat = net.getWeights({ flat: true });
  return buildModelJSON({
    inputs: net.inputs,
    layers: net.shapes.map((s) => ({ units: s.outputs, activation: s.activation, alpha: s.alpha })),
    weights: flat.map((l) => ({ W: Array.from(l.W), b: Array.from(l.b) })),
    scaler: net.scaler ? net.scaler.toJSON() : null,
    targetScaler: net.targetScaler ? net.targetScaler.toJSON() : null,
    classes: net.classes,
    featureNames: net.featureNames,
    targetName: net.targetName,
    training: training ?? null,
    preprocess: net.preprocess,
  });
}

export function networkFromJSON(json: unknown, options: { runtime?: Runtime }): Network {
  const runtime = runtimeOption(readOptions(options, 'options', ['runtime'], '{ runtime }').runtime);
  const { content, scaler, targetScaler } = parseModelJSON(json);
  const net = new Network({
    inputs: content.inputs,
    layers: content.layers.map((l) => (l.activation === 'leaky_relu' ? { units: l.units, activation: l.activation, alpha: l.alpha } : { units: l.units, activation: l.activation })),
    runtime,
  });
  try {
    net.setWeights(content.weights);
    net.scaler = scaler;
    net.targetScaler = targetScaler;
    net.classes = content.classes;
    net.featureNames = content.featureNames;
    net.targetName = content.targetName;
    net.trainingSummary = content.training;
    net.preprocess = content.preprocess;
    return net;
  } catch (e) {
    net.dispose();
    throw e;
  }
}
