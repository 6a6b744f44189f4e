import { fileURLToPath } from 'node:url';

/** The repository's own copies of the public datasets (sources and licenses in its README). */
export const DATA_DIR = fileURLToPath(new URL('../../examples/data/', import.meta.url));

/** Path of `examples/data/<name>.csv`. */
export const dataPath = (name: string): string => `${DATA_DIR}${name}.csv`;
