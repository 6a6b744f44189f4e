/**
 * A network to and from its saved form (io/model-json.ts): the weights and
 * everything the network carries, checked in full before anything is built.
 */

import { parseModelJSON, buildModelJSON, type ModelJSON } from '../io/model-json.js';
import { readOptions } from '../options.js';
import type { Runtime } from '../runtime.js';
import type { PreprocessorJSON } from '../table/preprocessor.js';
import { Network } from './network.js';
import { runtimeOption } from './network-options.js';

/** @param preprocess - the encoders of a model that takes raw rows (null: a bare network). */
export function networkToJSON(net: Network, training: unknown, preprocess: PreprocessorJSON | null = null): ModelJSON {
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
    preprocess,
  });
}

export function networkFromJSON(json: unknown, options: { runtime?: Runtime }): Network {
  return loadModelParts(json, options).network;
}

/**
 * A saved model's network and, for a model that takes raw rows, its
 * preprocess (checked with the rest of the file; null for a bare network).
 */
export function loadModelParts(json: unknown, options: { runtime?: Runtime }): { network: Network; preprocess: PreprocessorJSON | null } {
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
    return { network: net, preprocess: content.preprocess };
  } catch (e) {
    net.dispose();
    throw e;
  }
}
