/**
 * `simdnet evaluate model.json data.csv`: a saved model's metrics on labelled
 * rows, as a report or one JSON object.
 */

import { evaluate as evaluateModel, init } from '../index.js';
import { parseCommandLine, type CommandSpec } from './args.js';
import { fileFormat, readDataFile, readTable, type FileFormat } from './csv-table.js';
import { architecture, count, fields, metricsReport } from './format.js';
import { EVALUATE_HELP } from './help.js';
import type { Io } from './io.js';
import { jsonText, metricsJson, type MetricsJson } from './json.js';
import { loadModel } from './model-file.js';
import { ignoredColumns, rawTargets, readRawFile, unseenNote } from './raw-rows.js';
import type { Model } from '../model/model.js';
import { rowsForModel } from './model-data.js';

export const EVALUATE: CommandSpec = {
  name: 'evaluate',
  positionals: ['model.json', 'data.csv'],
  options: {
    target: { type: 'string' },
    separator: { type: 'string' },
    encoding: { type: 'string' },
    json: { type: 'boolean' },
  },
};

/** What `evaluate --json` prints: one object. */
export interface EvaluateJson {
  model: string;
  data: string;
  target: string;
  /** Columns of the file that are neither features of the model nor the target. */
  ignored: string[];
  metrics: MetricsJson;
}

/** Runs `simdnet evaluate`; returns the exit code. */
export async function evaluate(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandLine(EVALUATE, argv);
  if (args.help) {
    io.stdout.write(EVALUATE_HELP);
    return 0;
  }
  const [modelPath, dataPath] = args.positionals as [string, string];
  const format = fileFormat(args); // checked before any file is read
  const runtime = await init();
  const model = loadModel(modelPath, runtime);
  const net = model.network;
  try {
    const data = await rowsToEvaluate(model, dataPath, format, args.strings.get('target'), io, args.flags.has('json'));
    const result = evaluateModel(net, { x: data.x, y: data.y! });
    if (data.ignored.length > 0 && !args.flags.has('json')) {
      io.stderr.write(`ignoring column${data.ignored.length > 1 ? 's' : ''} ${data.ignored.map((c) => `'${c}'`).join(', ')} of ${dataPath} (not features of the model)\n`);
    }
    if (args.flags.has('json')) {
      const report: EvaluateJson = { model: modelPath, data: dataPath, target: data.target!, ignored: data.ignored, metrics: metricsJson(result) };
      io.stdout.write(`${jsonText(report)}\n`);
      return 0;
    }
    const head = fields([
      ['model', `${modelPath}: ${architecture(net)}`],
      ['data', `${dataPath}: ${count(data.rows)} rows, target '${data.target}'`],
    ]);
    io.stdout.write(`${head}\n\n${metricsReport(result, 'Metrics')}\n`);
    return 0;
  } finally {
    net.dispose();
  }
}

/**
 * The file's rows and targets: through the model's encoders for a model
 * trained on raw columns (rows without a target left out and counted), else
 * its numeric features by name.
 */
async function rowsToEvaluate(model: Model, dataPath: string, format: FileFormat, target: string | undefined, io: Io, json: boolean): Promise<{ x: Float32Array; y: Float32Array | null; rows: number; target: string | null; ignored: string[] }> {
  if (model.preprocessor === null) return rowsForModel(model.network, readTable(readDataFile(dataPath), dataPath, format), { target, requireTarget: true });
  const file = await readRawFile(dataPath, model, format);
  const t = rawTargets(model, file, dataPath, target);
  const { x, report } = model.encode(t.table, dataPath);
  if (!json) {
    io.stderr.write(unseenNote(report.unseen, dataPath));
    if (t.missing > 0) io.stderr.write(`${dataPath}: ${count(t.missing)} row${t.missing === 1 ? '' : 's'} without a target left out\n`);
  }
  return { x, y: t.y, rows: t.table.rows, target: t.target, ignored: ignoredColumns(model, file.table, t.target) };
}
