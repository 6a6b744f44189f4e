/**
 * A model's file for the commands: loading it (Network.fromJSON checks every
 * field and the checksum; its messages get the file's name in front), and
 * saving it, atomically, with a check before training that it can be saved
 * at all.
 */

import { constants } from 'node:buffer';
import { SimdnetError, type Network, type Runtime } from '../index.js';
import { Model } from '../csv.js';
import { CliError } from './errors.js';
import { readText } from './files.js';
import { count } from './format.js';
import { writeOutput } from './output-file.js';

/**
 * Reads and rebuilds the model saved at `path`.
 * @throws CliError naming the file: unreadable, not JSON (truncated), a bad
 *   field or a checksum that does not match.
 */
export function loadModel(path: string, runtime: Runtime): Model {
  const text = readText(path, 'model file');
  try {
    return Model.fromJSON(text, { runtime });
  } catch (err) {
    if (!(err instanceof SimdnetError)) throw err;
    // the usual slip: the two files in the wrong order
    const hint = /\.csv$/i.test(path) && !text.trimStart().startsWith('{') ? ' (is it a CSV file? the model comes first: simdnet <command> model.json data.csv)' : '';
    throw new CliError(`${path}: not a usable simdnet model: ${err.message}${hint}`, { cause: err });
  }
}

/**
 * Saves `net` as JSON at `path`, atomically: a kill or a full disk leaves the
 * previous file or the new one.
 * @throws CliError naming the file and the reason; the previous file is then untouched.
 */
export function saveModel(path: string, model: Model | Network): void {
  // the newline as a second piece: appending it would copy a text that may be hundreds of MB
  writeOutput(path, [JSON.stringify(model.toJSON()), '\n'], 'model file');
}

// A model is saved as one JSON text, which cannot be longer than the longest
// string the JavaScript engine holds (2^29 − 24 UTF-16 units in Node 20).
const MAX_TEXT = constants.MAX_STRING_LENGTH;
// The longest a float32 is written in a model file, with its comma:
// '-123456781000000000000,' (nine significant digits, fixed notation up to 1e21).
const MAX_NUMBER_CHARS = 23;
// Room for the fixed fields and the training summary (config, rows, test metrics).
const FIXED_CHARS = 64 * 1024;

/** What decides the length of a model's JSON text. */
export interface ModelSize {
  /** Weights and biases. */
  parameters: number;
  /** Input features (the scaler saves two numbers each). */
  features: number;
  /** The feature names, class labels and target name, as saved. */
  names: readonly string[];
}

/**
 * The most characters the JSON text of a model of this size can take: every
 * number at its longest, every character of a name escaped (`\u0000`).
 */
export function maxModelTextLength(size: ModelSize): number {
  const numbers = size.parameters + 2 * size.features + 2;
  const nameChars = size.names.reduce((n, s) => n + s.length, 0);
  return MAX_NUMBER_CHARS * numbers + 6 * nameChars + FIXED_CHARS;
}

/**
 * Refuses, before training, a model whose JSON text could be too long to
 * build: it would train and then fail to save.
 * @param network - the network, for the message, e.g. '4 → 6000 → 6000 → 3'.
 * @throws CliError naming the parameters, the longest text and what to change.
 */
export function checkModelSavable(size: ModelSize, network: string): void {
  const chars = maxModelTextLength(size);
  if (chars <= MAX_TEXT) return;
  const most = Math.floor((MAX_TEXT - (chars - MAX_NUMBER_CHARS * size.parameters)) / MAX_NUMBER_CHARS);
  throw new CliError(
    `--hidden: a ${network} network has ${count(size.parameters)} parameters; its model file could take up to ${count(chars)} characters, ` +
      `more than the ${count(MAX_TEXT)} of the longest text this JavaScript engine can build, so it could not be saved after training ` +
      `(at most about ${count(Math.max(0, most))} parameters); nothing was trained: pass a smaller --hidden`,
  );
}
