/**
 * toTFJS: a Network as a TensorFlow.js layers model — model.json's content
 * and the weights' bytes — that `tf.loadLayersModel` loads (from files, or
 * `tf.io.fromMemory`). A Sequential of Dense layers (kernels [in, out], as
 * simdnet stores W), leaky ReLU as a linear Dense and a LeakyReLU layer.
 */

import { Network, ValueError } from 'simdnet';
import { foldScalers, specOf } from '../spec.js';

export interface ToTFJSOptions {
  /** The weights file's name in the manifest, relative to model.json (default 'weights.bin'). */
  weightsPath?: string;
}

/** What toTFJS returns: model.json's content and the bytes of the file it names. */
export interface TFJSModel {
  /** model.json: format, generatedBy, modelTopology, weightsManifest (one group, one file), userDefinedMetadata. */
  modelJSON: {
    /** Always 'layers-model'. */
    format: 'layers-model';
    /** 'simdnet <version>'. */
    generatedBy: string;
    /** Always null (written directly, not converted). */
    convertedBy: null;
    /** The Keras model config TF.js reads: a Sequential of Dense (and LeakyReLU) layers. */
    modelTopology: {
      /** Always 'Sequential'. */
      class_name: 'Sequential';
      /** The Sequential's name and its layers' Keras configs. */
      config: {
        /** The model's name. */
        name: string;
        /** Keras layer configs, input side first. */
        layers: object[];
      };
      /** The Keras version the config follows. */
      keras_version: string;
      /** The Keras backend named in the config. */
      backend: string;
    };
    /** One weight group: the file and every weight's name, shape and dtype, in file order. */
    weightsManifest: Array<{
      /** The weight file(s): [weightsPath]. */
      paths: string[];
      /** Every weight in file order. */
      weights: Array<{
        /** The weight's name, e.g. 'dense_1/kernel'. */
        name: string;
        /** Its shape: [inputs, units] for a kernel, [units] for a bias. */
        shape: number[];
        /** Always 'float32'. */
        dtype: 'float32';
      }>;
    }>;
    /** What TF.js has no place for: the feature names, class labels and target name, when the network has them. */
    userDefinedMetadata?: {
      /** simdnet's metadata. */
      simdnet: {
        /** Names of the input features. */
        featureNames?: string[];
        /** Class labels. */
        classes?: string[];
        /** Name of the target. */
        targetName?: string;
      };
    };
  };
  /** The weights (little-endian float32, in manifest order): the file `weightsPath`. */
  weights: Uint8Array;
}

/**
 * Writes `net` as a TF.js layers model. The network's input scaling (and a
 * regression's target scaling) has no TF.js layer: it is folded into the
 * first (and last) Dense layer, so the model takes the same raw features
 * as `predict` and agrees with it to float32 rounding.
 *
 * @throws ValueError when `net` is not a Network, or its target scaling
 *   follows a non-linear output (nothing in the model can hold it).
 */
export function toTFJS(net: Network, options: ToTFJSOptions = {}): TFJSModel {
  if (!(net instanceof Network)) throw new ValueError(`net: expected a Network, got ${net === null ? 'null' : typeof net}`);
  const path = options?.weightsPath ?? 'weights.bin';
  if (typeof path !== 'string' || path === '') throw new ValueError(`options.weightsPath: expected a file name, got ${JSON.stringify(path)}`);
  const spec = foldScalers(specOf(net), 'TF.js');
  const layers: object[] = [];
  const manifest: Array<{ name: string; shape: number[]; dtype: 'float32' }> = [];
  const chunks: Float32Array[] = [];
  let inputs = spec.inputs;
  spec.layers.forEach((l, i) => {
    const name = `dense_${i + 1}`;
    const leaky = l.activation === 'leaky_relu';
    layers.push({
      class_name: 'Dense',
      config: {
        units: l.units,
        activation: leaky ? 'linear' : l.activation,
        use_bias: true,
        name,
        trainable: true,
        dtype: 'float32',
        ...(i === 0 ? { batch_input_shape: [null, inputs] } : {}),
      },
    });
    if (leaky) layers.push({ class_name: 'LeakyReLU', config: { alpha: l.alpha, name: `leaky_re_lu_${i + 1}`, trainable: true, dtype: 'float32' } });
    manifest.push({ name: `${name}/kernel`, shape: [inputs, l.units], dtype: 'float32' }, { name: `${name}/bias`, shape: [l.units], dtype: 'float32' });
    chunks.push(l.W, l.b);
    inputs = l.units;
  });
  const weights = new Uint8Array(chunks.reduce((n, c) => n + 4 * c.length, 0));
  const view = new DataView(weights.buffer);
  let o = 0;
  for (const c of chunks) for (let i = 0; i < c.length; i++, o += 4) view.setFloat32(o, c[i]!, true);
  const meta: { featureNames?: string[]; classes?: string[]; targetName?: string } = {};
  if (net.featureNames) meta.featureNames = net.featureNames;
  if (net.classes) meta.classes = net.classes;
  if (net.targetName !== null) meta.targetName = net.targetName;
  return {
    modelJSON: {
      format: 'layers-model',
      generatedBy: 'simdnet',
      convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [path], weights: manifest }],
      ...(Object.keys(meta).length ? { userDefinedMetadata: { simdnet: meta } } : {}),
    },
    weights,
  };
}
