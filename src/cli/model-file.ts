/**
 * Loading a saved model for evaluate and predict: Network.fromJSON checks
 * every field and the checksum; its messages get the file's name in front.
 */

import { Network, SimdnetError, type Runtime } from '../index.js';
import { CliError } from './errors.js';
import { readText } from './files.js';

/**
 * Reads and rebuilds the model saved at `path`.
 * @throws CliError naming the file: unreadable, not JSON (truncated), a bad
 *   field or a checksum that does not match.
 */
export function loadModel(path: string, runtime: Runtime): Network {
  const text = readText(path, 'model file');
  try {
    return Network.fromJSON(text, { runtime });
  } catch (err) {
    if (!(err instanceof SimdnetError)) throw err;
    // the usual slip: the two files in the wrong order
    const hint = /\.csv$/i.test(path) && !text.trimStart().startsWith('{') ? ' (is it a CSV file? the model comes first: simdnet <command> model.json data.csv)' : '';
    throw new CliError(`${path}: not a usable simdnet model: ${err.message}${hint}`, { cause: err });
  }
}
