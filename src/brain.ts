/**
 * simdnet/brain — brain.js `NeuralNetwork#toJSON()` in (the 2.0 beta and
 * 1.x formats) and out (2.0).
 *
 * ```ts
 * import { init } from 'simdnet';
 * import { fromBrainJS, toBrainJS } from 'simdnet/brain';
 * await init();
 * const net = fromBrainJS(brainNet.toJSON());
 * new brain.NeuralNetwork().fromJSON(toBrainJS(net));
 * ```
 */
export { fromBrainJS, type FromBrainJSOptions } from './interchange/brain/import.js';
export { toBrainJS, type ToBrainJSOptions } from './interchange/brain/export.js';
