/**
 * `simdnet export model.json --format onnx|tfjs|brainjs`: a saved model in
 * another framework's format. TF.js writes two files: model.json's content
 * at --out and the weights beside it (`<out name>.weights.bin`).
 */

import { basename, dirname, join } from 'node:path';
import { init } from '../index.js';
import { toBrainJS } from '../interchange/brain/export.js';
import { toONNX } from '../interchange/onnx/export.js';
import { toTFJS } from '../interchange/tfjs/export.js';
import { takesEncodedFeatures } from '../interchange/spec.js';
import { parseChoice, parseCommandLine, type CommandSpec } from './args.js';
import { UsageError } from './errors.js';
import { checkOutputPath, inputFiles, writeOutput } from './output-file.js';
import { architecture, fields } from './format.js';
import { EXPORT_HELP } from './help.js';
import type { Io } from './io.js';
import { loadModel } from './model-file.js';

export const EXPORT: CommandSpec = {
  name: 'export',
  positionals: ['model.json'],
  options: { out: { type: 'string', short: 'o' }, format: { type: 'string' } },
};

const FORMATS = ['onnx', 'tfjs', 'brainjs'] as const;
const SUFFIX = { onnx: '.onnx', tfjs: '.tfjs.json', brainjs: '.brain.json' } as const;

/** `students.model.json` → `students`. */
function stem(path: string): string {
  return basename(path).replace(/(\.model)?\.json$/i, '') || 'model';
}

/** Runs `simdnet export`; returns the exit code. */
export async function exportModel(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandLine(EXPORT, argv);
  if (args.help) {
    io.stdout.write(EXPORT_HELP);
    return 0;
  }
  const [path] = args.positionals as [string];
  const raw = args.strings.get('format');
  if (raw === undefined) throw new UsageError(`export: missing --format (one of ${FORMATS.join(', ')}); see 'simdnet export --help'`);
  const format = parseChoice('format', raw, FORMATS);
  const out = args.strings.get('out') ?? `${stem(path)}${SUFFIX[format]}`;
  const weightsFile = format === 'tfjs' ? join(dirname(out), `${stem(out).replace(/\.tfjs$/, '')}.weights.bin`) : null;
  checkOutputPath(out, '--out', inputFiles([path], 'model file'));
  if (weightsFile) checkOutputPath(weightsFile, '--out (its weights file)', inputFiles([path], 'model file'));
  const runtime = await init();
  const model = loadModel(path, runtime);
  const net = model.network;
  const encoded = takesEncodedFeatures(net);
  try {
    const written: string[] = [out];
    if (format === 'onnx') {
      const bytes = toONNX(net, { encoded, onNote: (note) => io.stderr.write(`note: ${note}\n`) });
      writeOutput(out, bytes, 'ONNX model');
    } else if (format === 'tfjs') {
      const { modelJSON, weights } = toTFJS(net, { weightsPath: basename(weightsFile!) });
      // the weights first: model.json never names a file that is not there yet
      writeOutput(weightsFile!, weights, 'TF.js weights file');
      writeOutput(out, `${JSON.stringify(modelJSON)}\n`, 'TF.js model.json');
      written.push(weightsFile!);
      if (net.scaler || net.targetScaler) io.stderr.write('note: TF.js has no scaling layer; the model\'s scaling is folded into the first (and last) Dense layer\n');
      if (encoded) io.stderr.write("note: the model's column encoders (categories, dates, gaps) are not exported: the TF.js model takes the encoded features\n");
    } else {
      writeOutput(out, `${JSON.stringify(toBrainJS(net))}\n`, 'brain.js network');
      if (net.scaler) io.stderr.write('note: brain.js has no input scaling; it is folded into the first layer\n');
      if (encoded) io.stderr.write("note: the model's column encoders (categories, dates, gaps) are not exported: the brain.js network takes the encoded features\n");
    }
    io.stdout.write(`${fields([
      ['exported', `${path}: ${architecture(net)}`],
      ['format', format === 'onnx' ? `ONNX (opset 13; input: ${encoded ? 'encoded' : 'raw'} features, the scaling is in the graph)` : format === 'tfjs' ? 'TF.js layers model' : 'brain.js 2.0 NeuralNetwork JSON'],
      ['files', written.join(', ')],
    ])}\n`);
    return 0;
  } finally {
    net.dispose();
  }
}

