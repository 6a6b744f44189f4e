/**
 * simdnet/tfjs — the TensorFlow.js layers format in and out: model.json
 * (modelTopology and weightsManifest) plus the weights' bytes.
 *
 * ```ts
 * import { init } from 'simdnet';
 * import { fromTFJS, toTFJS } from 'simdnet/tfjs';
 * await init();
 * const net = fromTFJS(JSON.parse(modelJsonText), { 'group1-shard1of1.bin': bytes });
 * const { modelJSON, weights } = toTFJS(net); // model.json's content and weights.bin
 * ```
 */
export { fromTFJS, type FromTFJSOptions } from './interchange/tfjs/import.js';
export type { WeightsInput as TFJSWeights } from './interchange/tfjs/weights.js';
export { toTFJS, type ToTFJSOptions, type TFJSModel } from './interchange/tfjs/export.js';
