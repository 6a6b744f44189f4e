/**
 * Browser and edge builds: no file system. A network goes to text with
 * JSON.stringify(net) and comes back with Network.fromJSON(text).
 */
import { StateError } from '../errors.js';

export function writeModelFile(path: unknown): Promise<void> {
  return Promise.reject(
    new StateError(`save('${String(path)}'): writing files needs Node; here, keep JSON.stringify(net) (localStorage, a download, fetch) and load it with Network.fromJSON(text)`),
  );
}

export function readModelFile(path: unknown): Promise<string> {
  return Promise.reject(
    new StateError(`load('${String(path)}'): reading files needs Node; here, get the text (fetch, File.text()) and call Network.fromJSON(text)`),
  );
}
