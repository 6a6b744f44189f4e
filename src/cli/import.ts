/**
 * `simdnet import <file>`: an ONNX model, a TF.js model.json or a brain.js
 * JSON to a simdnet model file. The format comes from the file; weights
 * kept beside it (ONNX external data, TF.js .bin shards) are read from its
 * folder, never from outside it.
 */

import { readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join } from 'node:path';
import { init, SimdnetError, type Network } from '../index.js';
import { hasOwn } from '../names.js';
import { fromBrainJS } from '../interchange/brain/import.js';
import { decodeModel, externalLocations } from '../interchange/onnx/decode.js';
import { fromONNX } from '../interchange/onnx/import.js';
import { fromTFJS } from '../interchange/tfjs/import.js';
import { parseChoice, parseCommandLine, type CommandSpec } from './args.js';
import { CliError } from './errors.js';
import { reason } from './files.js';
import { checkOutputPath, inputFiles, writeOutput } from './output-file.js';
import { architecture, count, fields } from './format.js';
import { IMPORT_HELP } from './help.js';
import type { Io } from './io.js';

export const IMPORT: CommandSpec = {
  name: 'import',
  positionals: ['file'],
  options: { out: { type: 'string', short: 'o' }, format: { type: 'string' } },
};

const FORMATS = ['onnx', 'tfjs', 'brainjs'] as const;
type Format = (typeof FORMATS)[number];
const FORMAT_NAMES: Record<Format, string> = { onnx: 'ONNX', tfjs: 'TF.js layers model', brainjs: 'brain.js network' };

function readBytes(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(`cannot read ${what} '${path}': ${reason(err)}`, { cause: err });
  }
}

/** A file the model names, inside the model's folder: no absolute path, no '..'. */
function beside(model: string, name: string, what: string): string {
  if (name === '' || isAbsolute(name) || /^[a-zA-Z]:|^[\\/]/.test(name) || name.split(/[\\/]/).includes('..') || name.includes('\0')) {
    throw new CliError(`${model}: its ${what} '${name}' is not a file name inside the model's folder; refusing to read it`);
  }
  return join(dirname(model), name);
}

/** The format of `path`: .onnx by extension, JSON files by their keys. */
function detect(path: string, bytes: Uint8Array): { format: Format; json: unknown } {
  if (extname(path).toLowerCase() === '.onnx') return { format: 'onnx', json: null };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new CliError(`${path}: cannot tell its format: not JSON and not named .onnx (pass --format onnx for an ONNX file under another name)`);
  }
  // a JSON text need not hold an object (`5`, `"text"`, `[]`); keys are own keys only
  const o: object = json !== null && typeof json === 'object' && !Array.isArray(json) ? json : {};
  if (hasOwn(o, 'format') && (o as { format: unknown }).format === 'simdnet-model') throw new CliError(`${path}: this is already a simdnet model; nothing to import`);
  if (hasOwn(o, 'modelTopology')) return { format: 'tfjs', json };
  if (hasOwn(o, 'sizes') && hasOwn(o, 'layers')) return { format: 'brainjs', json };
  throw new CliError(`${path}: cannot tell its format: expected a TF.js model.json (modelTopology) or a brain.js network (sizes, layers)`);
}

/** Where `import` saves by default: `<file name without extension>.model.json` here. */
function defaultOut(path: string): string {
  return `${basename(path, extname(path)) || 'model'}.model.json`;
}

/** Runs `simdnet import`; returns the exit code. */
export async function importModel(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandLine(IMPORT, argv);
  if (args.help) {
    io.stdout.write(IMPORT_HELP);
    return 0;
  }
  const [path] = args.positionals as [string];
  const forced = args.strings.get('format');
  const format0 = forced === undefined ? undefined : parseChoice('format', forced, FORMATS);
  const out = args.strings.get('out') ?? defaultOut(path);
  checkOutputPath(out, '--out', []);
  const bytes = readBytes(path, 'model file');
  const { format, json } = format0 === 'onnx' ? { format: 'onnx' as const, json: null } : detect(path, bytes);
  if (format0 !== undefined && format0 !== format) throw new CliError(`--format ${format0}: ${path} looks like a ${FORMAT_NAMES[format]}`);
  const inputs: string[] = [path];
  const runtime = await init();
  let net: Network;
  let detail = '';
  try {
    if (format === 'onnx') {
      const locations = externalLocations(decodeModel(bytes));
      const files = locations.map((l) => beside(path, l, 'external data file'));
      checkOutputPath(out, '--out', inputFiles([...inputs, ...files]));
      const externalData = Object.fromEntries(locations.map((l, i) => [l, readBytes(files[i]!, 'external data file')]));
      if (locations.length) detail = ` (external data: ${locations.join(', ')})`;
      net = fromONNX(bytes, { externalData, runtime });
    } else if (format === 'tfjs') {
      const manifest = (json as { weightsManifest?: unknown }).weightsManifest;
      const paths = Array.isArray(manifest) ? manifest.flatMap((g) => (g && Array.isArray(g.paths) ? g.paths.filter((p: unknown) => typeof p === 'string') : [])) : [];
      const files = paths.map((p: string) => beside(path, p, 'weights file'));
      checkOutputPath(out, '--out', inputFiles([...inputs, ...files]));
      const weights = Object.fromEntries(paths.map((p: string, i: number) => [p, readBytes(files[i]!, 'weights file')]));
      if (paths.length) detail = ` (weights: ${paths.join(', ')})`;
      net = fromTFJS(json, weights, { runtime });
    } else {
      checkOutputPath(out, '--out', inputFiles(inputs));
      net = fromBrainJS(json, { runtime });
    }
  } catch (err) {
    if (err instanceof SimdnetError) throw new CliError(`${path}: not a usable ${FORMAT_NAMES[format]}: ${err.message}`, { cause: err });
    throw err;
  }
  try {
    writeOutput(out, `${JSON.stringify(net.toJSON())}\n`, 'model file');
    io.stdout.write(`${fields([
      ['imported', `${path}: ${FORMAT_NAMES[format]}${detail}`],
      ['network', `${architecture(net)} (${count(net.parameterCount)} parameters)`],
      ['model', out],
    ])}\n`);
    return 0;
  } finally {
    net.dispose();
  }
}

