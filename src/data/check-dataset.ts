/**
 * A Dataset as a caller hands it in. makeDataset and parseCsv build datasets
 * that keep every invariant; one built or edited by hand may not (rows that
 * do not match x, labels beyond the classes, NaN targets, a task the labels
 * contradict). The functions that take a Dataset check it here first, so a
 * broken one is refused with its own name (`data.y`, `ds.rows`) before any
 * work, not deep inside with the name of an argument the caller never wrote.
 */

import { DataError, ShapeError, ValueError } from '../errors.js';
import { guardRead, lookupName } from '../options.js';
import { describe } from '../validate.js';
import type { Dataset } from './dataset.js';
import { checkDistinctStrings, checkFinite, checkLabels } from './validate.js';

const TASKS = { binary: 0, multiclass: 1, regression: 2 };

/** A real Float32Array (a Proxy of one passes instanceof, but its methods throw). */
const isFloat32Array = (v: unknown): v is Float32Array => ArrayBuffer.isView(v) && v instanceof Float32Array;

/**
 * Returns `ds` once every invariant of {@link Dataset} holds (`purpose` says
 * what the rows are for, 'to split'); otherwise throws
 * an error naming the field as `${name}.field`: ValueError for a wrong type or
 * value, ShapeError for lengths that disagree, DataError for no rows.
 *
 * With `readX` false, `x` is left unread when the dataset encodes its own
 * parts (see EncodingDataset: trainModel encodes the parts from its table and
 * never reads `x`, which such a dataset encodes when first read — reading it
 * here would hold every row encoded once more, for nothing).
 */
export function checkDataset(ds: unknown, name: string, purpose: string, readX = true): Dataset {
  return guardRead(name, () => {
    if (ds === null || typeof ds !== 'object' || Array.isArray(ds)) {
      throw new ValueError(`${name}: expected a Dataset (from parseCsv, loadCsv or makeDataset), got ${describe(ds)}`);
    }
    const fields = ds as Record<string, unknown>;
    const skipX = !readX && typeof fields.encodeParts === 'function' && typeof fields.keepRows === 'function';
    // each field read once: a getter cannot answer differently to the check and to the use
    const { y, rows, features, task, classes, featureNames, targetName } = fields;
    const given = skipX ? null : fields.x;
    if (given === undefined && y === undefined) {
      throw new ValueError(`${name}: expected a Dataset (from parseCsv, loadCsv or makeDataset), got an object without x and y`);
    }
    if (given !== null && !isFloat32Array(given)) throw new ValueError(`${name}.x: expected a Float32Array (rows × features, row-major), got ${describe(given)}`);
    const x = given as Float32Array | null;
    if (!isFloat32Array(y)) throw new ValueError(`${name}.y: expected a Float32Array (one target per row), got ${describe(y)}`);
    if (typeof rows !== 'number' || !Number.isInteger(rows) || rows < 0) throw new ValueError(`${name}.rows: expected an integer ≥ 0, got ${describe(rows)}`);
    if (rows === 0) throw new DataError(`${name}: expected at least one row ${purpose}, got an empty dataset (0 rows)`);
    if (typeof features !== 'number' || !Number.isInteger(features) || features < 1) {
      throw new ValueError(`${name}.features: expected an integer ≥ 1, got ${describe(features)}`);
    }
    if (x !== null && x.length !== rows * features) {
      throw new ShapeError(`${name}.x: expected rows × features = ${rows} × ${features} = ${rows * features} values, got ${x.length}`);
    }
    if (y.length !== rows) throw new ShapeError(`${name}.y: expected ${rows} values (one per row), got ${y.length}`);
    if (x !== null) checkFinite(`${name}.x`, x, features);
    checkFinite(`${name}.y`, y, 1);
    const kind = lookupName(TASKS, task, `${name}.task`);
    if (kind === 'regression') {
      if (classes !== null) throw new ValueError(`${name}.classes: expected null for task 'regression', got ${describe(classes)}`);
    } else {
      const count = kind === 'binary' ? '2' : 'at least 2';
      if (!Array.isArray(classes) || (kind === 'binary' ? classes.length !== 2 : classes.length < 2)) {
        throw new ValueError(`${name}.classes: expected ${count} class labels for task '${kind}', got ${describe(classes)}`);
      }
      checkDistinctStrings(classes, `${name}.classes`);
      checkLabels(`${name}.y`, y, classes.length);
    }
    if (!Array.isArray(featureNames) || featureNames.length !== features) {
      throw new ValueError(`${name}.featureNames: expected ${features} names (one per feature), got ${describe(featureNames)}`);
    }
    checkDistinctStrings(featureNames, `${name}.featureNames`);
    if (typeof targetName !== 'string' || featureNames.includes(targetName)) {
      throw new ValueError(`${name}.targetName: expected a string that is not also a feature's name, got ${describe(targetName)}`);
    }
    return ds as Dataset;
  });
}
