import type { ActivationName, LossName } from '../backend/abi.js';
import { ShapeError, StateError, ValueError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { describe, toMatrix, type Matrix, type MatrixInput } from '../validate.js';
import { guardRead, optionalBoolean, readOptions } from '../options.js';
import type { ModelJSON } from '../io/model-json.js';
import { classCountOf } from '../io/model-rules.js';
import { directRows, forwardDirect, forwardRows } from './forward.js';
import { initialWeights } from './init-weights.js';
import { NetworkLabels } from './labels.js';
import { readNetworkOptions, type NetworkOptions } from './network-options.js';
import { networkFromJSON, networkToJSON } from './serialize.js';
import { Plan, type LayerShape } from './plan.js';
import { toTargets, type TargetInput } from './targets.js';
import { callTiny } from './tiny/dispatch.js';
import { inputsFromArray, inputsFromF32, outputs, TinyPath } from './tiny/path.js';
import { TINY_MAX_PARAMS } from './tiny/plan.js';
import { traceNetwork, type Trace } from './trace.js';
import { concat, flattenWeights, nest, splitWeights, type FlatLayerWeights, type LayerWeights, type WeightsInput } from './weights.js';

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

  constructor(options: NetworkOptions) {
    const spec = readNetworkOptions(options);
    super(spec.inputs, spec.shapes[spec.shapes.length - 1]!.outputs, classCountOf(spec.shapes));
    this.inputs = spec.inputs;
    this.shapes = spec.shapes;
    this.outputs = spec.shapes[spec.shapes.length - 1]!.outputs;
    this.seed = spec.seed;
    this.runtime = spec.runtime;
    const plan = (this._plan = new Plan(this.runtime.heap, spec.shapes));
    plan.writeParams(concat(initialWeights(spec.shapes, this.seed)));
    plan.ensureCapacity(1);
    if (plan.paramCount <= TINY_MAX_PARAMS) this.tiny = new TinyPath(this);
    DROPPED.register(this, plan, plan);
  }

  /** The layers' shapes and activations (a copy). */
  get layers(): Array<{ inputs: number; units: number; activation: ActivationName; alpha: number }> {
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

  /** Every layer's parameters as nested arrays (W[i][j] from input i to unit j); `{ flat: true }` gives Float32Arrays. */
  getWeights(): LayerWeights[];
  getWeights(options: { flat: true }): FlatLayerWeights[];
  getWeights(options?: { flat?: boolean }): LayerWeights[] | FlatLayerWeights[] {
    const flat = options === undefined ? undefined : optionalBoolean(readOptions(options, 'options', ['flat'], '{ flat }').flat, 'options.flat');
    const layers = splitWeights(this.shapes, this.plan.readParams());
    if (flat) return layers;
    return layers.map((l, i) => ({ W: nest(l.W, this.shapes[i]!.outputs), b: Array.from(l.b) }));
  }

  /**
   * The network as versioned, self-checking JSON: architecture, weights,
   * scalers, class labels, feature names and `training` (any JSON-able
   * summary, e.g. history and test metrics). `JSON.stringify(net)` uses it.
   */
  toJSON(training: unknown = this.trainingSummary): ModelJSON {
    return networkToJSON(this, training);
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
  predict(x: readonly number[]): number[];
  predict(x: ArrayLike<ArrayLike<number>>): number[][];
  predict(x: ArrayLike<number>): Float32Array | number[];
  predict(x: MatrixInput): Float32Array | number[] | number[][] {
    const tiny = this.tiny;
    const wasm = tiny?.wasm;
    if (wasm && tiny!.version === this.weightsVersion && this._scaler === null && this._targetScaler === null && this._plan !== null) {
      // One sample of a tiny network, already set up: kept short (inlinable),
      // as the call is the cost here.
      if (Array.isArray(x) && x.length === this.inputs) {
        if (!inputsFromArray(wasm, x)) return this.predictBatch(x);
        const y = Math.fround(callTiny(wasm.slot));
        return this.outputs === 1 ? [y] : outputs(wasm, y, new Array<number>(this.outputs));
      }
      if (x instanceof Float32Array && x.length === this.inputs) {
        if (!inputsFromF32(wasm, x)) return this.predictBatch(x);
        return outputs(wasm, Math.fround(callTiny(wasm.slot)), new Float32Array(this.outputs));
      }
    }
    this.plan; // throws once disposed
    if (tiny !== null && isOneSample(x, this.inputs)) return tiny.predict(x as ArrayLike<number>) ?? (this.predictBatch(x) as Float32Array);
    return this.predictBatch(x);
  }

  private predictBatch(x: MatrixInput): Float32Array | number[] | number[][] {
    const rows = directRows(this, x);
    if (rows > 0) {
      const result = forwardDirect(this, x as Float32Array, rows, new Float32Array(rows * this.outputs));
      if (result !== null) return result;
    }
    const m = this.prepareInputs(x, 'x');
    const result = this.forwardRows(m, new Float32Array(m.rows * this.outputs));
    // plain arrays in, plain arrays out; typed arrays in, a Float32Array out
    if (isNestedInput(x)) return nest(result, this.outputs);
    return Array.isArray(x) ? Array.from(result) : result;
  }

  /**
   * The forward pass into a Float32Array of yours: `x` as `predict` takes it
   * (one sample, nested rows or row-major values), `out` exactly rows ×
   * outputs long; returns `out`. One sample of a tiny network allocates
   * nothing, the form for hot loops. `out` may be `x` itself (the inputs are
   * read before any output is written).
   */
  predictInto(x: MatrixInput, out: Float32Array): Float32Array {
    const tiny = this.tiny;
    const wasm = tiny?.wasm;
    if (
      wasm && tiny!.version === this.weightsVersion && this._scaler === null && this._targetScaler === null &&
      this._plan !== null && out instanceof Float32Array && out.length === this.outputs
    ) {
      // the tiny path of predict, writing into out (see there)
      if (x instanceof Float32Array && x.length === this.inputs) {
        if (!inputsFromF32(wasm, x)) return this.predictIntoChecked(x, out);
        return outputs(wasm, Math.fround(callTiny(wasm.slot)), out);
      }
      if (Array.isArray(x) && x.length === this.inputs) {
        if (!inputsFromArray(wasm, x)) return this.predictIntoChecked(x, out);
        return outputs(wasm, Math.fround(callTiny(wasm.slot)), out);
      }
    }
    return this.predictIntoChecked(x, out);
  }

  private predictIntoChecked(x: MatrixInput, out: Float32Array): Float32Array {
    this.plan; // throws once disposed
    if (!(out instanceof Float32Array)) throw new ShapeError(`out: expected a Float32Array, got ${describe(out)}`);
    if (this.tiny !== null && isOneSample(x, this.inputs)) {
      if (out.length !== this.outputs) throw outLengthError(out, 1, this.outputs);
      const y = this.tiny.predict(x as ArrayLike<number>) ?? (this.predictBatch(x) as Float32Array);
      for (let j = 0; j < y.length; j++) out[j] = y[j]!;
      return out;
    }
    const rows = directRows(this, x);
    if (rows > 0) {
      if (out.length !== rows * this.outputs) throw outLengthError(out, rows, this.outputs);
      const result = forwardDirect(this, x as Float32Array, rows, out);
      if (result !== null) {
        if (result !== out) out.set(result);
        return out;
      }
    }
    const m = this.prepareInputs(x, 'x');
    if (out.length !== m.rows * this.outputs) throw outLengthError(out, m.rows, this.outputs);
    const result = this.forwardRows(m, out);
    if (result !== out) out.set(result);
    return out;
  }

  /** The outputs of m's rows (checked and scaled) into out (rows × outputs), or a new array with the target scaler's inverse. */
  private forwardRows(m: Matrix, out: Float32Array): Float32Array {
    return forwardRows(this, m, out);
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

function outLengthError(out: Float32Array, rows: number, outputs: number): ShapeError {
  const rowsText = rows === 1 ? '1 row' : `${rows} rows`;
  return new ShapeError(`out: expected ${rows * outputs} values (${rowsText} × ${outputs} outputs), got a Float32Array of ${out.length}`);
}

function isOneSample(x: unknown, inputs: number): boolean {
  return (
    x !== null && typeof x === 'object' && (x as ArrayLike<unknown>).length === inputs &&
    typeof (x as ArrayLike<unknown>)[0] === 'number'
  );
}

function isNestedInput(x: unknown): boolean {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === 'object';
}

function checkScaled(data: Float32Array, cols: number, name: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      throw new ValueError(
        `${name}: the value at row ${Math.floor(i / cols)}, column ${i % cols} is finite, but scaling it with the network's scaler gives ${String(v)}; it lies far outside the range the scaler was fitted on`,
      );
    }
  }
}
