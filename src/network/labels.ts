/**
 * What a network carries beside its weights — input and target scaling,
 * class labels, feature names, the target's name — each checked by the rules
 * the model loader applies (io/model-rules.ts), so a network the library lets
 * you build is one it can save and load again.
 */

import type { Scaler } from '../data/scaler.js';
import {
  classesProblem, featureNamesProblem, scalerProblem, targetNameProblem, targetScalerProblem,
} from '../io/model-rules.js';
import { preprocessProblem } from '../io/model-json.js';
import type { PreprocessorJSON } from '../io/preprocess-json.js';
import { describe } from '../validate.js';
import { ValueError } from '../errors.js';

export class NetworkLabels {
  protected _scaler: Scaler | null = null;
  protected _targetScaler: Scaler | null = null;
  private _classes: string[] | null = null;
  private _featureNames: string[] | null = null;
  private _targetName: string | null = null;
  private _preprocess: PreprocessorJSON | null = null;

  /**
   * @param featureCount - the inputs; @param outputCount - the outputs;
   * @param classCount - classes of the output layer (null: not a classifier).
   */
  protected constructor(private readonly featureCount: number, private readonly outputCount: number, private readonly classCount: number | null) {}

  /**
   * Feature scaling applied to every input (predict, trace, fit, evaluate),
   * so the network takes raw rows; saved with the model. Fit it on the
   * training rows only. A Scaler of `inputs` features, or null.
   */
  get scaler(): Scaler | null {
    return this._scaler;
  }
  set scaler(v: Scaler | null) {
    refuse('scaler', scalerProblem(v, this.featureCount), v);
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
    refuse('targetScaler', targetScalerProblem(v, this.outputCount, this.classCount), v);
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
    refuse('classes', classesProblem(v, this.classCount), v);
    this._classes = v && v.slice();
  }

  /** Names of the input features (distinct strings, one per input), saved with the model; copied in and out. */
  get featureNames(): string[] | null {
    return this._featureNames && this._featureNames.slice();
  }
  set featureNames(v: readonly string[] | null) {
    refuse('featureNames', featureNamesProblem(v, this.featureCount), v);
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

  /**
   * The encoders from raw table columns to the inputs, for a network trained
   * on a table: simdnet/csv's Model applies them (and checks them against
   * the network when it is made); saved with the model. The core keeps them
   * as JSON without looking inside. Copied in and out.
   */
  get preprocess(): PreprocessorJSON | null {
    return this._preprocess && (JSON.parse(JSON.stringify(this._preprocess)) as PreprocessorJSON);
  }
  set preprocess(v: PreprocessorJSON | null) {
    refuse('preprocess', preprocessProblem(v), v);
    this._preprocess = v && (JSON.parse(JSON.stringify(v)) as PreprocessorJSON);
  }
}

/** Throws the setter's ValueError for a value that breaks its rule. */
function refuse(field: string, problem: string | null, got: unknown): void {
  if (problem !== null) throw new ValueError(`${field}: expected ${problem}, got ${describe(got)}`);
}
