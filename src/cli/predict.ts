/**
 * `simdnet predict model.json data.csv`: one prediction per row, as CSV on
 * stdout or in a file.
 */

import { init } from '../index.js';
import { parseCommandLine, type CommandSpec } from './args.js';
import { fileFormat, readDataFile, readTable, type FileFormat } from './csv-table.js';
import { CliError } from './errors.js';
import { count, f32 } from './format.js';
import { PREDICT_HELP } from './help.js';
import type { Io } from './io.js';
import { loadModel } from './model-file.js';
import { ignoredColumns, predictTarget, readRawFile, unseenNote } from './raw-rows.js';
import type { Model } from '../model/model.js';
import { modelLabels, rowsForModel } from './model-data.js';
import { checkOutputPath, writeOutput } from './output-file.js';

export const PREDICT: CommandSpec = {
  name: 'predict',
  positionals: ['model.json', 'data.csv'],
  options: {
    out: { type: 'string', short: 'o' },
    probabilities: { type: 'boolean' },
    target: { type: 'string' },
    separator: { type: 'string' },
    encoding: { type: 'string' },
  },
};

/** A CSV field, quoted when it holds a separator, a quote or a line break (RFC 4180). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Runs `simdnet predict`; returns the exit code. */
export async function predict(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandLine(PREDICT, argv);
  if (args.help) {
    io.stdout.write(PREDICT_HELP);
    return 0;
  }
  const [modelPath, dataPath] = args.positionals as [string, string];
  const format = fileFormat(args); // checked before any file is read
  const out = args.strings.get('out');
  // '-' is the usual name for stdout
  const toFile = out !== undefined && out !== '-';
  if (toFile) checkOutputPath(out, '--out', [{ path: modelPath, what: 'model file' }, { path: dataPath, what: 'data file' }]);
  const runtime = await init();
  const model = loadModel(modelPath, runtime);
  const net = model.network;
  try {
    const { task, labels } = modelLabels(net);
    const probabilities = args.flags.has('probabilities');
    if (probabilities && labels === null) {
      throw new CliError(`--probabilities: ${modelPath} is a regression model; it predicts values, not class probabilities`);
    }
    const data = await rowsToPredict(model, dataPath, format, args.strings.get('target'), io);
    if (data.ignored.length > 0) {
      io.stderr.write(`ignoring column${data.ignored.length > 1 ? 's' : ''} ${data.ignored.map((c) => `'${c}'`).join(', ')} of ${dataPath} (not features of the model)\n`);
    }
    const y = net.predict(data.x);
    const k = net.outputs;
    const lines = [['prediction', ...(probabilities ? labels!.map((l) => `p_${l}`) : [])].map(csvField).join(',')];
    for (let r = 0; r < data.rows; r++) {
      if (labels === null) {
        lines.push(f32(y[r]!));
        continue;
      }
      // the same decision rule as evaluate(): p > 0.5 for binary, the first largest output otherwise
      const p = task === 'binary' ? [1 - y[r]!, y[r]!] : Array.from(y.subarray(r * k, r * k + k));
      const cls = task === 'binary' ? (y[r]! > 0.5 ? 1 : 0) : p.reduce((best, v, c) => (v > p[best]! ? c : best), 0);
      lines.push([csvField(labels[cls]!), ...(probabilities ? p.map(f32) : [])].join(','));
    }
    const text = `${lines.join('\n')}\n`;
    if (toFile) {
      writeOutput(out, text, 'predictions file');
      io.stderr.write(`wrote ${count(data.rows)} predictions to ${out}\n`);
    } else {
      io.stdout.write(text);
    }
    return 0;
  } finally {
    net.dispose();
  }
}

/**
 * The file's rows as the network's inputs: through the model's encoders for
 * a model trained on raw columns, else its numeric features by name.
 */
async function rowsToPredict(model: Model, dataPath: string, format: FileFormat, target: string | undefined, io: Io): Promise<{ x: Float32Array; rows: number; ignored: string[] }> {
  if (model.preprocessor === null) return rowsForModel(model.network, readTable(readDataFile(dataPath), dataPath, format), { target, requireTarget: false });
  const file = await readRawFile(dataPath, model, format);
  const own = target === undefined ? model.network.targetName : predictTarget(model, file.table, target);
  const { x, report } = model.encode(file.table, dataPath);
  io.stderr.write(unseenNote(report.unseen, dataPath));
  return { x, rows: file.table.rows, ignored: ignoredColumns(model, file.table, own) };
}
