/**
 * A trained model as people use it: raw records in (objects keyed by column
 * name, with gaps, categories and dates as a table holds them), labels or
 * numbers out, class probabilities on request. It is a Network plus the
 * encoders fitted on the training part (src/table/), which the network
 * carries (`network.preprocess`) and saves; the bare Network keeps its
 * numeric API. It uses the core through its public API only: simdnet/csv is
 * a separate bundle over the core the user imported.
 */

import { DataError, Network, ValueError, type ModelJSON, type Runtime, type Task } from 'simdnet';
import { MISSING, NUMBER, type RawTable } from '../table/column.js';
import { Preprocessor, type EncodeReport } from '../table/preprocessor.js';
import { checkPreprocess } from '../table/preprocess-check.js';
import { describe } from '../describe.js';
import { recordsTable } from './records.js';

/** A record: a row of a table, keyed by column name. A missing key is a missing cell. */
export type TableRecord = Readonly<Record<string, unknown>>;

/** What a model predicted for some rows. */
export interface ModelPredictions {
  /** Classification: the predicted label per row; null for regression. */
  labels: string[] | null;
  /** Regression: the predicted value per row (in the target's units); null for classification. */
  values: Float32Array | null;
  /** Classification: rows × classes probabilities, columns in `classes` order (both columns for binary); null for regression. */
  probabilities: Float32Array | null;
  /** Cells whose category the model never saw in training, per column (encoded as "(other)"). */
  unseen: Record<string, number>;
}

/**
 * A network with the encoders of the table it was trained on: `predict` takes
 * records as they come (objects keyed by column name) and gives labels or
 * values. trainModel returns one for a dataset read by parseCsv or loadCsv;
 * `Model.fromJSON` reads a saved one.
 */
export class Model {
  /** The network: numeric inputs (the encoded features), numeric outputs. */
  readonly network: Network;
  /** The encoders from raw columns to the network's inputs (its `preprocess` when made); null for a model over numeric features only. */
  readonly preprocessor: Preprocessor | null;

  /** The model of a network: its `preprocess` encoders, or its numeric features by name when it has none. */
  constructor(network: Network) {
    if (!(network instanceof Network)) throw new ValueError(`network: expected a Network, got ${describe(network)}`);
    const preprocess = network.preprocess;
    this.network = network;
    this.preprocessor = preprocess ? new Preprocessor(checkPreprocess(preprocess, network, 'model.preprocess')) : null;
  }

  /** 'binary' (one sigmoid unit), 'multiclass' (softmax) or 'regression'. */
  get task(): Task {
    const last = this.network.layers[this.network.layers.length - 1]!;
    return last.activation === 'softmax' ? 'multiclass' : last.activation === 'sigmoid' && last.units === 1 ? 'binary' : 'regression';
  }

  /** The class labels (classification), index i = label i; null for regression. */
  get classes(): string[] | null {
    if (this.task === 'regression') return null;
    return this.network.classes ?? Array.from({ length: this.task === 'binary' ? 2 : this.network.outputs }, (_, i) => String(i));
  }

  /** The raw columns a record or a file must have (those the model reads). */
  get columns(): string[] {
    return this.preprocessor ? this.preprocessor.columnNames : this.network.featureNames ?? Array.from({ length: this.network.inputs }, (_, i) => `x${i}`);
  }

  /**
   * One record's prediction: its label (classification) or value
   * (regression, in the target's units).
   * @throws ValueError, before anything is predicted, naming `record`,
   *   `record.<column>` (or `records[i]`, `records[i].<column>` in an array): a record that is no object of cells (a Map, an
   *   array, a hole), a read that throws, a cell that is an object, a BigInt
   *   or a Symbol, a key that is a typo of a column the record lacks, a record
   *   with none of the model's columns (own keys only: inherited ones are not
   *   read). DataError for a cell the model cannot read (text where it needs
   *   a number, say).
   */
  predict(record: TableRecord): string | number;
  /** Records' predictions, one per record, in order. */
  predict(records: readonly TableRecord[]): Array<string | number>;
  predict(records: TableRecord | readonly TableRecord[]): string | number | Array<string | number> {
    const one = !isArray(records);
    const p = this.predictTable(this.tableOf(records), 'records');
    const out: Array<string | number> = p.labels ?? Array.from(p.values!);
    return one ? out[0]! : out;
  }

  /**
   * One record's class probabilities keyed by label (they sum to 1).
   * @throws ValueError for a regression model.
   */
  predictProba(record: TableRecord): Record<string, number>;
  /** Records' class probabilities, one object per record, in order. */
  predictProba(records: readonly TableRecord[]): Array<Record<string, number>>;
  predictProba(records: TableRecord | readonly TableRecord[]): Record<string, number> | Array<Record<string, number>> {
    const classes = this.classes;
    if (classes === null) throw new ValueError('predictProba: this model is a regression model; it predicts values, not class probabilities');
    const one = !isArray(records);
    const p = this.predictTable(this.tableOf(records), 'records');
    const k = classes.length;
    const out = Array.from({ length: p.labels!.length }, (_, r) => Object.fromEntries(classes.map((c, j) => [c, p.probabilities![r * k + j]!])));
    return one ? out[0]! : out;
  }

  /** The rows of a raw table (e.g. a CSV file), encoded as in training, predicted. @internal */
  predictTable(table: RawTable, source = 'data'): ModelPredictions {
    const { x, report } = this.encode(table, source);
    const y = this.network.predict(x);
    const classes = this.classes;
    if (classes === null) return { labels: null, values: y, probabilities: null, unseen: report.unseen };
    const k = classes.length;
    const rows = table.rows;
    const probabilities = new Float32Array(rows * k);
    const labels = new Array<string>(rows);
    for (let r = 0; r < rows; r++) {
      if (this.task === 'binary') {
        const p1 = y[r]!;
        probabilities[r * 2] = 1 - p1;
        probabilities[r * 2 + 1] = p1;
        // the same decision rule as evaluate(): class 1 when p > 0.5
        labels[r] = classes[p1 > 0.5 ? 1 : 0]!;
      } else {
        let best = 0;
        for (let c = 0; c < k; c++) {
          probabilities[r * k + c] = y[r * k + c]!;
          if (y[r * k + c]! > y[r * k + best]!) best = c;
        }
        labels[r] = classes[best]!;
      }
    }
    return { labels, values: null, probabilities, unseen: report.unseen };
  }

  /** A raw table's rows as the network's inputs (row-major rows × network.inputs). @internal */
  encode(table: RawTable, source = 'data'): { x: Float32Array; report: EncodeReport } {
    if (this.preprocessor) return this.preprocessor.transform(table, source);
    return { x: numericFeatures(table, this.columns, source), report: { unseen: {} } };
  }

  /** A record, or an array of them, as a table of this model's columns (src/model/records.ts). @internal */
  tableOf(records: unknown): RawTable {
    return recordsTable(records, this.columns, this.preprocessor?.na, this.preprocessor?.columns);
  }

  /** The model as versioned, self-checking JSON: the network's file, with the encoders (`preprocess`). */
  toJSON(): ModelJSON {
    return this.network.toJSON();
  }

  /**
   * A model from its saved form (or a bare network's file: then records
   * give the network's numeric features by name). Everything is checked
   * first; a bad file is a DataError naming the field.
   */
  static fromJSON(json: unknown, options: { runtime?: Runtime } = {}): Model {
    const network = Network.fromJSON(json, options);
    try {
      return new this(network);
    } catch (e) {
      network.dispose();
      throw e;
    }
  }

  /** Gives the network's memory back. */
  dispose(): void {
    this.network.dispose();
  }
}

/** Array.isArray, false for a revoked Proxy (which tableOf then refuses by name). */
function isArray(v: unknown): boolean {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}

/** For a model without encoders: each named column must hold numbers, every cell present. */
function numericFeatures(table: RawTable, names: readonly string[], source: string): Float32Array {
  const x = new Float32Array(table.rows * names.length);
  names.forEach((name, j) => {
    const c = table.names.indexOf(name);
    if (c < 0) throw new DataError(`${source}: expected a column '${name}' (a feature of the model), got none`);
    const col = table.columns[c]!;
    for (let r = 0; r < table.rows; r++) {
      const code = col.codes ? col.codes[r]! : NUMBER;
      if (code !== NUMBER) {
        const got = code === MISSING ? 'a missing cell' : `'${col.texts[code] ?? '(text)'}'`;
        throw new DataError(`${source}: row ${r + 1}, column '${name}': expected a number (this model takes numeric features only), got ${got}`);
      }
      x[r * names.length + j] = col.numbers[r]!;
    }
  });
  return x;
}
