import { Act, Loss, type ActivationName, type LossName } from '../backend/abi.js';
import { ShapeError, StateError, ValueError } from '../errors.js';
import { defaultRuntimeOrThrow, Runtime } from '../runtime.js';
import { checkPositiveInt, checkSeed, describe, F32_MAX, toMatrix, type Matrix, type MatrixInput } from '../validate.js';
import { guardRead, lookupName, optionalBoolean, readError, readOptions } from '../options.js';
import type { Scaler } from '../data/scaler.js';
import { buildModelJSON, parseModelJSON, type ModelJSON } from '../io/model-json.js';
import { initialWeights } from './init-weights.js';
import { Plan, type LayerShape } from './plan.js';
import { tinyForward, tinyPlan, TINY_MAX_PARAMS, type TinyPlan } from './tiny-forward.js';
import { callTiny, compileTiny, releaseTiny, TINY_CALLS_BEFORE_CODE, type TinyWasm } from './tiny-wasm.js';
import { checkLossFits, toTargets, type TargetInput } from '../training/targets.js';
import {
  classCountOf, classesProblem, featureNamesProblem, scalerProblem, targetNameProblem, targetScalerProblem,
} from './metadata.js';

export type { ActivationName, LossName };

/** One dense layer: `units` outputs followed by an activation. */
export interface LayerOptions {
  units: number;
  /** Default 'linear'. */
  activation?: ActivationName;
  /** leaky_relu's negative slope (default 0.01); only leaky_relu layers take it. */
  alpha?: number;
}

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

/** A layer's parameters: W is inputs × outputs (W[i][j] from input i to unit j). */
export interface LayerWeights {
  W: number[][];
  b: number[];
}

/** The same, row-major. */
export interface FlatLayerWeights {
  W: Float32Array;
  b: Float32Array;
}

export type WeightsInput = { W: ArrayLike<number> | ArrayLike<ArrayLike<number>>; b: ArrayLike<number> };

/** One layer of a `trace`: batch-major matrices (rows × units) and the parameter gradients. */
export interface LayerTrace {
  /** Pre-activations a_{l−1}·W + b. */
  z: number[][];
  /** Activations act(z). */
  a: number[][];
  /** dLoss/dz. */
  dz: number[][];
  /** dLoss/dW, inputs × units. */
  dW: number[][];
  /** dLoss/db. */
  db: number[];
}

export interface Trace {
  loss: number;
  output: number[][];
  layers: LayerTrace[];
}

const MAX_PREDICT_CHUNK = 1024;

/**
 * A multi-layer perceptron living in a runtime's linear memory.
 * Create it after `await init()`; `dispose()` it to give its memory back.
 */
export class Network {
  readonly inputs: number;
  readonly outputs: number;
  readonly seed: number;
  readonly runtime: Runtime;
  /** @internal */
  readonly shapes: readonly LayerShape[];
  private _plan: Plan | null;
  /** @internal set while a Trainer is fitting this network */
  training = false;
  private _scaler: Scaler | null = null;
  private _targetScaler: Scaler | null = null;
  private _classes: string[] | null = null;
  private _featureNames: string[] | null = null;
  private _targetName: string | null = null;
  /** What the training pipeline recorded (saved with the model); null when unknown. Any JSON-able value. */
  trainingSummary: unknown = null;

  /**
   * Feature scaling applied to every input (predict, trace, fit, evaluate),
   * so the network takes raw rows; saved with the model. Fit it on the
   * training rows only. A Scaler of `inputs` features, or null.
   */
  get scaler(): Scaler | null {
    return this._scaler;
  }
  set scaler(v: Scaler | null) {
    refuse('scaler', scalerProblem(v, this.inputs), v);
    this._scaler = v;
  }

  /**
   * Regression: the scaling of the targets the network was trained on. fit
   * and trace scale `y` with it; predict maps outputs back to target units.
   * A Scaler of `outputs` features, or null; never on a classifier.
   */
  get targetScaler(): Scaler | null {
    return this._targetScaler;
  }
  set targetScaler(v: Scaler | null) {
    refuse('targetScaler', targetScalerProblem(v, this.outputs, classCountOf(this.shapes)), v);
    this._targetScaler = v;
  }

  /**
   * Class labels of the output units (classification), saved with the model:
   * distinct strings, one per class (2 for one sigmoid unit). Reading gives a
   * copy and setting takes one, so no array outside the network aliases them.
   */
  get classes(): string[] | null {
    return this._classes && this._classes.slice();
  }
  set classes(v: readonly string[] | null) {
    refuse('classes', classesProblem(v, classCountOf(this.shapes)), v);
    this._classes = v && v.slice();
  }

  /** Names of the input features (distinct strings, one per input), saved with the model; copied in and out. */
  get featureNames(): string[] | null {
    return this._featureNames && this._featureNames.slice();
  }
  set featureNames(v: readonly string[] | null) {
    refuse('featureNames', featureNamesProblem(v, this.inputs), v);
    if (v !== null && this._targetName !== null && v.includes(this._targetName)) {
      refuse('featureNames', `names other than the target's ${JSON.stringify(this._targetName)}`, v);
    }
    this._featureNames = v && v.slice();
  }

  /** Name of the target (not also a feature's name), saved with the model. */
  get targetName(): string | null {
    return this._targetName;
  }
  set targetName(v: string | null) {
    refuse('targetName', targetNameProblem(v, this._featureNames), v);
    this._targetName = v;
  }

  constructor(options: NetworkOptions) {
    const o = readOptions(options, 'Network options', ['inputs', 'layers', 'seed', 'runtime'], '{ inputs, layers, seed, runtime }');
    this.inputs = checkPositiveInt(o.inputs, 'inputs');
    this.seed = checkSeed(o.seed, 'seed');
    let inputs = this.inputs;
    const shapes: LayerShape[] = guardRead('layers', () => {
      const layers = o.layers;
      if (!Array.isArray(layers) || layers.length === 0) {
        throw new ShapeError(`layers: expected a non-empty array of { units, activation }, got ${describe(layers)}`);
      }
      // Array.from visits holes (as undefined, refused by name), where map would skip them
      return Array.from(layers, (layer: unknown, i) => {
        const name = `layers[${i}]`;
        const l = readOptions(layer, name, ['units', 'activation', 'alpha'], '{ units, activation, alpha }');
        const shape = layerShape(l, name, i, layers.length, inputs);
        inputs = shape.outputs;
        return shape;
      });
    });
    this.runtime = runtimeOption(o.runtime);
    this.shapes = shapes;
    this.outputs = inputs;
    this._plan = new Plan(this.runtime.heap, shapes);
    try {
      this._plan.writeParams(concat(initialWeights(shapes, this.seed)));
      this._plan.ensureCapacity(1);
    } catch (e) {
      // parameters that fit beside a batch that does not (a MemoryError): give them back
      this._plan.dispose();
      throw e;
    }
    if (this._plan.paramCount <= TINY_MAX_PARAMS) {
      this.tinyPath = true;
      this.tinyScaled = new Float32Array(this.inputs);
    }
    collectWhenDropped(this, this._plan);
  }

  /** Whether one sample is predicted in JS (tiny networks: see tiny-forward.ts). */
  private tinyPath = false;

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

  get disposed(): boolean {
    return this._plan === null;
  }

  /** Gives the network's linear memory back to its runtime. Calling it twice is harmless. */
  dispose(): void {
    if (this.training) throw new StateError('dispose: the network is being trained; dispose it after fit returns');
    if (this._plan) DROPPED.unregister(this._plan);
    this._plan?.dispose();
    this._plan = null;
    if (this.tinyWasm) releaseTiny(this.tinyWasm);
    this.tinyWasm = null;
  }

  /**
   * Replaces every layer's parameters. W is inputs × outputs (nested rows or
   * row-major). Everything is checked before anything is written.
   */
  setWeights(weights: readonly WeightsInput[]): void {
    const plan = this.plan;
    const parts: Float32Array[] = [];
    guardRead('weights', () => {
      if (!Array.isArray(weights) || weights.length !== this.shapes.length) {
        throw new ShapeError(`weights: expected an array of ${this.shapes.length} layers ({ W, b }), got ${describe(weights)}`);
      }
    });
    this.shapes.forEach((s, i) => {
      // own keys only, read once; { weight, bias } is named as unknown keys, not taken for missing ones
      const w = readOptions(guardRead('weights', () => weights[i]), `weights[${i}]`, ['W', 'b'], '{ W, b }') as Partial<WeightsInput>;
      const W = toMatrix(w.W!, s.outputs, `weights[${i}].W`, `layer ${i}'s ${s.outputs} units`);
      if (W.rows !== s.inputs) {
        throw new ShapeError(`weights[${i}].W: expected ${s.inputs} × ${s.outputs} (inputs × units), got ${W.rows} × ${s.outputs}`);
      }
      const b = toMatrix(w.b!, s.outputs, `weights[${i}].b`, `layer ${i}'s ${s.outputs} units`);
      if (b.rows !== 1) throw new ShapeError(`weights[${i}].b: expected ${s.outputs} values, got ${b.rows * s.outputs}`);
      parts.push(W.data, b.data);
    });
    plan.writeParams(concat(parts));
    this.weightsVersion++;
  }

  /** Every layer's parameters as nested arrays (W[i][j] from input i to unit j). */
  getWeights(): LayerWeights[];
  getWeights(options: { flat: true }): FlatLayerWeights[];
  getWeights(options?: { flat?: boolean }): LayerWeights[] | FlatLayerWeights[] {
    const flatOption = options === undefined ? undefined : optionalBoolean(readOptions(options, 'options', ['flat'], '{ flat }').flat, 'options.flat');
    const flat = this.plan.readParams();
    const out: FlatLayerWeights[] = [];
    let o = 0;
    for (const s of this.shapes) {
      const w = s.inputs * s.outputs;
      out.push({ W: flat.slice(o, o + w), b: flat.slice(o + w, o + w + s.outputs) });
      o += w + s.outputs;
    }
    if (flatOption) return out;
    return out.map((l, i) => ({ W: nest(l.W, this.shapes[i]!.outputs), b: Array.from(l.b) }));
  }

  /**
   * The network as versioned, self-checking JSON: architecture, weights,
   * scalers, class labels, feature names and `training` (any JSON-able
   * summary, e.g. history and test metrics). `JSON.stringify(net)` uses it.
   */
  toJSON(training: unknown = this.trainingSummary): ModelJSON {
    const flat = this.getWeights({ flat: true });
    return buildModelJSON({
      inputs: this.inputs,
      layers: this.shapes.map((s) => ({ units: s.outputs, activation: s.activation, alpha: s.alpha })),
      weights: flat.map((l) => ({ W: Array.from(l.W), b: Array.from(l.b) })),
      scaler: this._scaler ? this._scaler.toJSON() : null,
      targetScaler: this._targetScaler ? this._targetScaler.toJSON() : null,
      classes: this.classes,
      featureNames: this.featureNames,
      targetName: this._targetName,
      training: training ?? null,
    });
  }

  /**
   * Rebuilds a network from `toJSON()` output (an object or JSON text). Every
   * field, size and rule is checked first; a corrupt, mismatched or
   * meaningless file is a DataError naming the field, and nothing is
   * half-loaded or left allocated.
   */
  static fromJSON(json: unknown, options: { runtime?: Runtime } = {}): Network {
    const o = readOptions(options, 'options', ['runtime'], '{ runtime }');
    const runtime = runtimeOption(o.runtime);
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
      return net;
    } catch (e) {
      net.dispose();
      throw e;
    }
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
   * Bumped whenever the parameters may have changed (setWeights, every
   * training step), so caches of them know they are stale. @internal
   */
  weightsVersion = 0;
  private tiny: TinyPlan | null = null;
  /** The generated code of the tiny path; null where it cannot be compiled, undefined until first needed. */
  private tinyWasm: TinyWasm | null | undefined = undefined;
  private tinyCalls = 0;
  private tinyVersion = -1;
  private tinyScaled = new Float32Array(0);

  /**
   * One sample without the batch machinery: generated straight-line Wasm on
   * a Wasm runtime (tiny-wasm.ts), else the JS loop (tiny-forward.ts). No
   * typed-array allocation for array input.
   */
  private predictTiny(x: ArrayLike<number>): Float32Array | number[] {
    let tiny = this.tiny;
    if (this.tinyVersion !== this.weightsVersion || tiny === null) {
      tiny = this.tiny = tinyPlan(this.shapes, this.plan.readParams(tiny?.params));
      this.tinyVersion = this.weightsVersion;
      if (this.tinyWasm) this.tinyWasm.f64.set(tiny.weights);
    }
    // Generating code pays off over many calls; the first ones (a cold start's
    // first prediction among them) take the JS loop rather than two compiles.
    if (this.tinyWasm === undefined && ++this.tinyCalls > TINY_CALLS_BEFORE_CODE) {
      const backend = this.runtime.backend;
      this.tinyWasm = backend.kind === 'js' ? null : compileTiny(tiny, backend.kernels);
    }
    const scaler = this.scaler;
    const wasm = this.tinyWasm;
    // a bad value makes the batch path throw its error (which names it)
    if (scaler !== null && !finiteRow(x, this.inputs)) return this.predictBatch(x) as Float32Array;
    const input = scaler !== null ? scaler.transformRow(x, this.tinyScaled) : x;
    const array = Array.isArray(x);
    const n = this.outputs;
    // a plain array costs a few ns; a Float32Array allocation costs more than the whole forward pass
    const out: Float32Array | number[] = array ? new Array<number>(n) : new Float32Array(n);
    if (wasm) {
      const m = wasm.f64;
      const at = wasm.inputAt;
      for (let k = 0; k < this.inputs; k++) {
        const e = input[k];
        // false for NaN, non-numbers and values beyond float32 (which the batch path names)
        if (typeof e !== 'number' || !(e <= F32_MAX && e >= -F32_MAX)) return this.predictBatch(x) as Float32Array;
        m[at + k] = e;
      }
      tinyOutputs(wasm, Math.fround(callTiny(wasm.slot)), out);
    } else if (!tinyForward(tiny, input, out)) {
      return this.predictBatch(x) as Float32Array;
    }
    if (this.targetScaler === null) return out;
    const back = this.targetScaler.inverseTransform(Float32Array.from(out), 1);
    return array ? Array.from(back) : back;
  }

  /**
   * Targets as the kernels take them: checked, one-hot where cce needs it,
   * scaled by the target scaler when there is one. @internal
   */
  prepareTargets(y: TargetInput, rows: number, loss: LossName, copy = true, name = 'y'): Float32Array {
    const t = guardRead(name, () => toTargets(y, rows, this.outputs, loss, copy, name));
    return this.targetScaler && loss === 'mse' ? this.targetScaler.transform(t, rows) : t;
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
    try {
      const wasm = this.tinyWasm;
      if (wasm && this.tinyVersion === this.weightsVersion && this._scaler === null && this._targetScaler === null && this._plan !== null) {
        // One sample of a tiny network, already set up: kept short (inlinable),
        // as the call is the cost here.
        if (Array.isArray(x) && x.length === this.inputs) {
          if (!tinyInputsFromArray(wasm, x)) return this.predictBatch(x);
          const y = Math.fround(callTiny(wasm.slot));
          return this.outputs === 1 ? [y] : tinyOutputs(wasm, y, new Array<number>(this.outputs));
        }
        if (x instanceof Float32Array && x.length === this.inputs) {
          if (!tinyInputsFromF32(wasm, x)) return this.predictBatch(x);
          return tinyOutputs(wasm, Math.fround(callTiny(wasm.slot)), new Float32Array(this.outputs));
        }
      }
      this.plan; // throws once disposed
      if (this.tinyPath && isOneSample(x, this.inputs)) return this.predictTiny(x as ArrayLike<number>);
      return this.predictBatch(x);
    } catch (e) {
      // a getter or Proxy trap of x that threw, on any path (see readError)
      throw readError('x', e);
    }
  }

  private predictBatch(x: MatrixInput): Float32Array | number[] | number[][] {
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
    try {
      const wasm = this.tinyWasm;
      if (
        wasm && this.tinyVersion === this.weightsVersion && this._scaler === null && this._targetScaler === null &&
        this._plan !== null && isFloat32Array(out) && out.length === this.outputs
      ) {
        // the tiny path of predict, writing into out (see there)
        if (x instanceof Float32Array && x.length === this.inputs) {
          if (!tinyInputsFromF32(wasm, x)) return this.predictIntoChecked(x, out);
          return tinyOutputs(wasm, Math.fround(callTiny(wasm.slot)), out);
        }
        if (Array.isArray(x) && x.length === this.inputs) {
          if (!tinyInputsFromArray(wasm, x)) return this.predictIntoChecked(x, out);
          return tinyOutputs(wasm, Math.fround(callTiny(wasm.slot)), out);
        }
      }
      return this.predictIntoChecked(x, out);
    } catch (e) {
      // out is checked with isView first (a Proxy of a Float32Array is refused by name): what throws here read x
      throw readError('x', e);
    }
  }

  private predictIntoChecked(x: MatrixInput, out: Float32Array): Float32Array {
    this.plan; // throws once disposed
    if (!isFloat32Array(out)) throw new ShapeError(`out: expected a Float32Array, got ${describe(out)}`);
    if (this.tinyPath && isOneSample(x, this.inputs)) {
      if (out.length !== this.outputs) throw outLengthError(out, 1, this.outputs);
      const y = this.predictTiny(x as ArrayLike<number>);
      for (let j = 0; j < y.length; j++) out[j] = y[j]!;
      return out;
    }
    const m = this.prepareInputs(x, 'x');
    if (out.length !== m.rows * this.outputs) throw outLengthError(out, m.rows, this.outputs);
    const result = this.forwardRows(m, out);
    if (result !== out) out.set(result);
    return out;
  }

  /** The outputs of m's rows (checked and scaled) into out (rows × outputs), or a new array with the target scaler's inverse. */
  private forwardRows(m: Matrix, out: Float32Array): Float32Array {
    const plan = this.plan;
    const chunk = Math.max(plan.capacity, Math.min(m.rows, MAX_PREDICT_CHUNK));
    plan.ensureCapacity(chunk);
    const k = this.runtime.backend.kernels;
    const last = this.shapes.length - 1;
    for (let r = 0; r < m.rows; r += chunk) {
      const n = Math.min(chunk, m.rows - r);
      this.runtime.heap.f32().set(m.data.subarray(r * this.inputs, (r + n) * this.inputs), plan.X >>> 2);
      k.forward(plan.table, this.shapes.length, plan.X, n, plan.scratch);
      const A = plan.activations(last).A >>> 2;
      out.set(this.runtime.heap.f32().subarray(A, A + n * this.outputs), r * this.outputs);
    }
    return this.targetScaler ? this.targetScaler.inverseTransform(out, m.rows) : out;
  }

  /**
   * One forward and backward pass on (x, y), without changing the weights:
   * every layer's z, a, dz, dW and db, the loss and the output.
   */
  trace(x: MatrixInput, y: TargetInput, options: { loss: LossName }): Trace {
    const plan = this.plan;
    const lossName = lookupName(Loss, readOptions(options, 'options', ['loss'], '{ loss }').loss, 'loss');
    checkLossFits(lossName, this.shapes[this.shapes.length - 1]!);
    const m = this.prepareInputs(x, 'x');
    const t = this.prepareTargets(y, m.rows, lossName);
    plan.ensureCapacity(m.rows);
    const heap = this.runtime.heap;
    heap.f32().set(m.data, plan.X >>> 2);
    heap.f32().set(t, plan.Y >>> 2);
    const loss = this.runtime.backend.kernels.compute_gradients(plan.table, this.shapes.length, plan.X, plan.Y, m.rows, Loss[lossName], plan.scratch);
    const f32 = heap.f32();
    const read = (ptr: number, n: number): Float32Array => f32.slice(ptr >>> 2, (ptr >>> 2) + n);
    const layers = this.shapes.map((s, i): LayerTrace => {
      const a = plan.activations(i);
      const p = plan.params[i]!;
      const n = m.rows * s.outputs;
      return {
        z: nest(read(a.Z, n), s.outputs),
        a: nest(read(a.A, n), s.outputs),
        dz: nest(read(a.dZ, n), s.outputs),
        dW: nest(read(p.dW, s.inputs * s.outputs), s.outputs),
        db: Array.from(read(p.db, s.outputs)),
      };
    });
    return { loss, output: layers[layers.length - 1]!.a, layers };
  }
}

// The inputs of one sample into the generated code's memory; false (nothing
// to rely on written) at a value that is not a finite number, which the batch
// path then rejects with its error. One function per array kind, so that
// each element access sees one kind of array. e − e is 0 only for finite
// numbers (NaN for NaN/±Infinity and for non-numbers).
function tinyInputsFromArray(w: TinyWasm, x: readonly unknown[]): boolean {
  const m = w.f64;
  const at = w.inputAt;
  for (let k = 0; k < x.length; k++) {
    const e = x[k];
    // false for NaN too; a finite double beyond float32 is refused like the batch path refuses it
    if (typeof e !== 'number' || !(e <= F32_MAX && e >= -F32_MAX)) return false;
    m[at + k] = e;
  }
  return true;
}

function tinyInputsFromF32(w: TinyWasm, x: Float32Array): boolean {
  const m = w.f64;
  const at = w.inputAt;
  for (let k = 0; k < x.length; k++) {
    const e = x[k]!;
    if (e - e !== 0) return false;
    m[at + k] = e;
  }
  return true;
}

/** out[0] = first, the other outputs from the generated code's memory. */
function tinyOutputs<T extends number[] | Float32Array>(w: TinyWasm, first: number, out: T): T {
  out[0] = first;
  for (let j = 1; j < out.length; j++) out[j] = Math.fround(w.f64[w.outputAt + j]!);
  return out;
}

/** A real Float32Array: a Proxy of one passes instanceof, but its length getter throws. */
function isFloat32Array(v: unknown): v is Float32Array {
  return ArrayBuffer.isView(v) && v instanceof Float32Array;
}

function outLengthError(out: Float32Array, rows: number, outputs: number): ShapeError {
  const rowsText = rows === 1 ? '1 row' : `${rows} rows`;
  return new ShapeError(`out: expected ${rows * outputs} values (${rowsText} × ${outputs} outputs), got a Float32Array of ${out.length}`);
}

function finiteRow(x: ArrayLike<unknown>, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    // false for NaN, non-numbers and values beyond float32
    if (typeof v !== 'number' || !(v <= F32_MAX && v >= -F32_MAX)) return false;
  }
  return true;
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

function nest(flat: Float32Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < flat.length; r += cols) out.push(Array.from(flat.subarray(r, r + cols)));
  return out;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Throws the setter's ValueError for a metadata value that breaks its rule (see metadata.ts). */
function refuse(field: string, problem: string | null, got: unknown): void {
  if (problem !== null) throw new ValueError(`${field}: expected ${problem}, got ${describe(got)}`);
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
  let alpha = Math.fround(0.01);
  if (l.alpha !== undefined) {
    const a = l.alpha;
    // stored as float32: a slope that rounds to Infinity could be saved but never loaded
    if (typeof a !== 'number' || !(a >= 0 && Math.fround(a) <= F32_MAX)) {
      throw new ValueError(`${name}.alpha: expected a finite number ≥ 0 within the float32 range, got ${describe(a)}`);
    }
    alpha = Math.fround(a); // what the kernels use, and what a saved model gives back
  }
  return { inputs, outputs: units, activation, alpha };
}

/** The runtime option: a Runtime from init(), or the default one. */
function runtimeOption(v: unknown): Runtime {
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

/**
 * Networks dropped without dispose() give their linear memory back once
 * collected. The plan (which knows the heap and the blocks, not the network)
 * is what the registry holds, so holding it does not keep the network alive.
 */
const DROPPED = new FinalizationRegistry<Plan>((plan) => plan.dispose());

function collectWhenDropped(net: Network, plan: Plan): void {
  DROPPED.register(net, plan, plan);
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
