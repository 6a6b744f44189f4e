import type { ActivationName, LossName } from '../backend/abi.js';
import { StateError, ValueError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { toMatrix, type Matrix, type MatrixInput } from '../validate.js';
import { guardRead, optionalBoolean, readError, readOptions } from '../options.js';
import type { ModelJSON } from '../io/model-json.js';
import { classCountOf } from '../io/model-rules.js';
import { forwardRows } from './forward.js';
import { initialWeights } from './init-weights.js';
import { NetworkLabels } from './labels.js';
import { readNetworkOptions, type LayerInfo, type NetworkOptions } from './network-options.js';
import { networkFromJSON, networkToJSON } from './serialize.js';
import { Plan, type LayerShape } from './plan.js';
import { toTargets, type TargetInput } from './targets.js';
import { callTiny } from './tiny/dispatch.js';
import { inputsFromArray, inputsFromF32, outputs, TinyPath } from './tiny/path.js';
import { TINY_MAX_PARAMS } from './tiny/plan.js';
import { traceNetwork, type Trace } from './trace.js';
import { concat, flattenWeights, nest, splitWeights, type FlatLayerWeights, type LayerWeights, type WeightsInput } from './weights.js';
import { predictLabels, predictProba } from './classify.js';
import { readModelFile, writeModelFile } from './file-io.js';
import { functionSource, type FunctionSourceOptions } from './standalone.js';
import { summaryText } from './summary.js';
import { VERSION } from '../version.js';
import { checkScaled, isFloat32Array, isOneSample } from './input-forms.js';
import { predictChecked, predictIntoChecked } from './predict-checked.js';

export type { ActivationName, LossName };


/**
 * A multi-layer perceptron living in a runtime's linear memory.
 * Create it after `await init()`; `dispose()` it to give its memory back (a
 * network dropped without it gives its memory back once collected).
 */
export class Network extends NetworkLabels {
  /** Number of input features. */
  readonly inputs: number;
  /** Number of outputs (units of the last layer). */
  readonly outputs: number;
  /** The seed the weights were initialised from. */
  readonly seed: number;
  /** The runtime whose memory holds the network. */
  readonly runtime: Runtime;
  /** @internal */
  readonly shapes: readonly LayerShape[];
  private _plan: Plan | null;
  /** @internal set while a Trainer is fitting this network */
  training = false;
  /**
   * Bumped whenever the parameters may have changed (setWeights, every
   * training step), so caches of them know they are stale. @internal
   */
  weightsVersion = 0;
  /** One sample without the batch machinery (networks of at most TINY_MAX_PARAMS parameters); null otherwise. */
  private readonly tiny: TinyPath | null = null;

  /** What the training pipeline recorded (saved with the model); null when unknown. Any JSON-able value. */
  trainingSummary: unknown = null;

  /**
   * Lays the network out in its runtime's memory with seeded initial
   * weights (He for the ReLU family, Glorot otherwise).
   * @throws ValueError or ShapeError for bad options (before anything is allocated);
   *   StateError before `init()`; MemoryError when memory cannot hold it.
   */
  constructor(options: NetworkOptions) {
    const spec = readNetworkOptions(options);
    super(spec.inputs, spec.shapes[spec.shapes.length - 1]!.outputs, classCountOf(spec.shapes));
    this.inputs = spec.inputs;
    this.shapes = spec.shapes;
    this.outputs = spec.shapes[spec.shapes.length - 1]!.outputs;
    this.seed = spec.seed;
    this.runtime = spec.runtime;
    const plan = (this._plan = new Plan(this.runtime.heap, spec.shapes));
    try {
      plan.writeParams(concat(initialWeights(spec.shapes, this.seed)));
      plan.ensureCapacity(1);
    } catch (e) {
      // parameters that fit beside a batch that does not (a MemoryError): give them back
      plan.dispose();
      throw e;
    }
    if (plan.paramCount <= TINY_MAX_PARAMS) this.tiny = new TinyPath(this);
    DROPPED.register(this, plan, plan);
  }

  /** The layers' shapes and activations, input side first (a copy). */
  get layers(): LayerInfo[] {
    return this.shapes.map((s) => ({ inputs: s.inputs, units: s.outputs, activation: s.activation, alpha: s.alpha }));
  }

  /** Number of trainable parameters. */
  get parameterCount(): number {
    return this.plan.paramCount;
  }

  /** @internal */
  get plan(): Plan {
    if (!this._plan) throw new StateError('network: this network has been disposed; create a new one');
    return this._plan;
  }

  /** Whether dispose() has been called. */
  get disposed(): boolean {
    return this._plan === null;
  }

  /** Gives the network's linear memory back to its runtime. Calling it twice is harmless. */
  dispose(): void {
    if (this.training) throw new StateError('dispose: the network is being trained; dispose it after fit returns');
    if (this._plan) DROPPED.unregister(this._plan);
    this._plan?.dispose();
    this._plan = null;
    this.tiny?.dispose();
  }

  /**
   * Replaces every layer's parameters. W is inputs × outputs (nested rows or
   * row-major). Everything is checked before anything is written.
   */
  setWeights(weights: readonly WeightsInput[]): void {
    const plan = this.plan;
    plan.writeParams(flattenWeights(this.shapes, weights));
    this.weightsVersion++;
  }

  /** Every layer's parameters as nested arrays (W[i][j] from input i to unit j, inputs × units), fresh copies. */
  getWeights(): LayerWeights[];
  /** `{ flat: true }`: every layer's parameters as row-major Float32Arrays (W[i·units + j]), fresh copies. */
  getWeights(options: { flat: true }): FlatLayerWeights[];
  /** `{ flat: false }` (or no `flat`): nested arrays, as `getWeights()` gives. */
  getWeights(options: { flat?: false }): LayerWeights[];
  /** `flat` known only at run time: either form. */
  getWeights(options?: { flat?: boolean }): LayerWeights[] | FlatLayerWeights[];
  getWeights(options?: { flat?: boolean }): LayerWeights[] | FlatLayerWeights[] {
    const flat = options === undefined ? undefined : optionalBoolean(readOptions(options, 'options', ['flat'], '{ flat }').flat, 'options.flat');
    const layers = splitWeights(this.shapes, this.plan.readParams());
    if (flat) return layers;
    return layers.map((l, i) => ({ W: nest(l.W, this.shapes[i]!.outputs), b: Array.from(l.b) }));
  }

  /**
   * The network as versioned, self-checking JSON: architecture, weights,
   * scalers, class labels, feature names and `training` (any JSON-able
   * summary, e.g. history and test metrics; default `trainingSummary`).
   * `JSON.stringify(net)` uses it: the key it passes (a string) is not a
   * summary, so a string argument is ignored.
   */
  toJSON(training?: unknown): ModelJSON {
    return networkToJSON(this, training === undefined || typeof training === 'string' ? this.trainingSummary : training);
  }

  /**
   * Rebuilds a network from `toJSON()` output (an object or JSON text). Every
   * field, size and rule is checked first; a corrupt, mismatched or
   * meaningless file is a DataError naming the field, and nothing is
   * half-loaded or left allocated.
   */
  static fromJSON(json: unknown, options: { runtime?: Runtime } = {}): Network {
    return networkFromJSON(json, options);
  }

  /**
   * Inputs as the kernels take them: checked, copied, and scaled by the
   * network's scaler when it has one (so every public method takes raw rows).
   * @internal
   */
  prepareInputs(x: MatrixInput, name: string, copy = true, checkFinite = true): Matrix {
    const m = toMatrix(x, this.inputs, name, "the network's inputs", copy, checkFinite);
    if (this._scaler) {
      m.data = this._scaler.transform(m.data, m.rows);
      // a finite input far outside the training range can scale past float32
      if (checkFinite) checkScaled(m.data, this.inputs, name);
    }
    return m;
  }

  /**
   * Targets as the kernels take them: checked, one-hot where cce needs it,
   * scaled by the target scaler when there is one. @internal
   */
  prepareTargets(y: TargetInput, rows: number, loss: LossName, copy = true, name = 'y'): Float32Array {
    const t = guardRead(name, () => toTargets(y, rows, this.outputs, loss, copy, name));
    return this._targetScaler && loss === 'mse' ? this._targetScaler.transform(t, rows) : t;
  }

  /**
   * The forward pass. One sample (`inputs` numbers) gives its `outputs`
   * values, as a plain array for a plain array and as a Float32Array for a
   * typed array; nested rows give nested rows; a row-major Float32Array of
   * k·inputs values gives k·outputs values. See also predictInto.
   */
  predict(x: Float32Array): Float32Array;
  /** One sample (or row-major rows) as a plain array: the outputs as a plain array. */
  predict(x: readonly number[]): number[];
  /** Nested rows: nested rows of outputs. */
  predict(x: ArrayLike<ArrayLike<number>>): number[][];
  /** Any flat array-like: a Float32Array for typed arrays, a plain array for plain arrays. */
  predict(x: ArrayLike<number>): Float32Array | number[];
  /** Any input form (e.g. a {@link MatrixInput}): the matching output form. */
  predict(x: MatrixInput): Float32Array | number[] | number[][];
  predict(x: MatrixInput): Float32Array | number[] | number[][] {
    try {
      const tiny = this.tiny;
      const wasm = tiny?.wasm;
      if (wasm && tiny!.version === this.weightsVersion && this._scaler === null && this._targetScaler === null && this._plan !== null) {
        // One sample of a tiny network, already set up: kept short (inlinable),
        // as the call is the cost here.
        if (Array.isArray(x) && x.length === this.inputs) {
          if (!inputsFromArray(wasm, x)) return predictChecked(this, x);
          const y = Math.fround(callTiny(wasm.slot));
          return this.outputs === 1 ? [y] : outputs(wasm, y, new Array<number>(this.outputs));
        }
        if (x instanceof Float32Array && x.length === this.inputs) {
          if (!inputsFromF32(wasm, x)) return predictChecked(this, x);
          return outputs(wasm, Math.fround(callTiny(wasm.slot)), new Float32Array(this.outputs));
        }
      }
      this.plan; // throws once disposed
      if (tiny !== null && isOneSample(x, this.inputs)) return tiny.predict(x as ArrayLike<number>) ?? (predictChecked(this, x) as Float32Array);
      return predictChecked(this, x);
    } catch (e) {
      // a getter or Proxy trap of x that threw, on any path (see readError)
      throw readError('x', e);
    }
  }

  /**
   * The forward pass into a Float32Array of yours: `x` as `predict` takes it
   * (one sample, nested rows or row-major values), `out` exactly rows ×
   * outputs long; returns `out`. One sample of a tiny network allocates
   * nothing, the form for hot loops. `out` may be `x` itself (the inputs are
   * read before any output is written).
   */
  predictInto(x: MatrixInput, out: Float32Array): Float32Array {
    try {
      const tiny = this.tiny;
      const wasm = tiny?.wasm;
      if (
        wasm && tiny!.version === this.weightsVersion && this._scaler === null && this._targetScaler === null &&
        this._plan !== null && isFloat32Array(out) && out.length === this.outputs
      ) {
        // the tiny path of predict, writing into out (see there)
        if (x instanceof Float32Array && x.length === this.inputs) {
          if (!inputsFromF32(wasm, x)) return predictIntoChecked(this, this.tiny, x, out);
          return outputs(wasm, Math.fround(callTiny(wasm.slot)), out);
        }
        if (Array.isArray(x) && x.length === this.inputs) {
          if (!inputsFromArray(wasm, x)) return predictIntoChecked(this, this.tiny, x, out);
          return outputs(wasm, Math.fround(callTiny(wasm.slot)), out);
        }
      }
      return predictIntoChecked(this, this.tiny, x, out);
    } catch (e) {
      // out is checked with isView first (a Proxy of a Float32Array is refused by name): what throws here read x
      throw readError('x', e);
    }
  }

  /** The outputs of m's rows (checked and scaled) into out (rows × outputs), or a new array with the target scaler's inverse. @internal */
  forwardRows(m: Matrix, out: Float32Array): Float32Array {
    return forwardRows(this, m, out);
  }

  /**
   * A classifier's probability of each class, per row, in the order of
   * `classes`: a softmax output's values, or [1 − p, p] for one sigmoid unit.
   * Shaped as `predict` shapes its results (k values per row).
   * @throws StateError for a network that is not a classifier.
   */
  predictProba(x: Float32Array): Float32Array;
  /** Plain numbers (one sample, or row-major rows): k probabilities per row, as a plain array. */
  predictProba(x: readonly number[]): number[];
  /** Nested rows: one row of k probabilities per row. */
  predictProba(x: ArrayLike<ArrayLike<number>>): number[][];
  /** Any input form: the matching output form. */
  predictProba(x: MatrixInput): Float32Array | number[] | number[][];
  predictProba(x: MatrixInput): Float32Array | number[] | number[][] {
    return predictProba(this, x);
  }

  /**
   * A classifier's predicted label, one per row (one sample gives an array
   * of one): `classes[c]`, or `String(c)` without classes. The rule is
   * evaluate()'s: p > 0.5 for one sigmoid unit, else the first largest.
   * @throws StateError for a network that is not a classifier.
   */
  predictLabels(x: MatrixInput): string[] {
    return predictLabels(this, x);
  }

  /**
   * Saves `toJSON()` to a file, in Node: written beside it, flushed and
   * renamed into place (a crash leaves the old file or the new one). Browser
   * and edge builds reject with a StateError: use `JSON.stringify(net)`.
   * @throws (rejects) FileError naming the path and the reason; ValueError for a bad path.
   */
  save(path: string): Promise<void> {
    this.plan; // throws once disposed
    return writeModelFile(path, () => JSON.stringify(this.toJSON()));
  }

  /**
   * Loads a network from a file written by `save` (or any `toJSON()` text),
   * in Node, checked as `fromJSON` checks it.
   * @throws (rejects) DataError when the file cannot be read or is not a valid model.
   */
  static async load(path: string, options: { runtime?: Runtime } = {}): Promise<Network> {
    // not Network.fromJSON: a class that names itself inside its body is
    // bundled as `class _Network`, the name stack traces would then show
    return networkFromJSON(await readModelFile(path), options);
  }

  /** The layers as Keras's model.summary() lists them (output shapes, parameter counts), the total and what the network carries: text to print. */
  summary(): string {
    return summaryText(this);
  }

  /**
   * The source text of a dependency-free JavaScript module computing this
   * network (brain.js's toFunction(), as text to write to a file): `predict`
   * for one sample of raw features, within float32 rounding of `predict`,
   * and for a classifier `predictLabel` and `CLASSES`. simdnet runs none of it.
   */
  toFunctionSource(options: FunctionSourceOptions = {}): string {
    return functionSource(this, splitWeights(this.shapes, this.plan.readParams()), VERSION, options);
  }

  /**
   * One forward and backward pass on (x, y), without changing the weights:
   * every layer's z, a, dz, dW and db, the loss and the output.
   */
  trace(x: MatrixInput, y: TargetInput, options: { loss: LossName }): Trace {
    return traceNetwork(this, x, y, options);
  }
}

/**
 * Networks dropped without dispose() give their linear memory back once
 * collected. The plan (which knows the heap and the blocks, not the network)
 * is what the registry holds, so holding it does not keep the network alive.
 */
const DROPPED = new FinalizationRegistry<Plan>((plan) => plan.dispose());
