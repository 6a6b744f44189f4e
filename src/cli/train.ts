/**
 * `simdnet train data.csv`: the whole pipeline of trainModel from a CSV file
 * to a saved model, with progress on stderr and the report (or one JSON
 * object) on stdout.
 */

import { DataError, init, MemoryError, trainModel, type Runtime, type TrainModelOptions, type TrainedModel } from '../index.js';
import { parseCsv } from '../csv.js';
import type { Dataset } from '../data/dataset.js';
import { checkFitMemory } from '../pipeline/fit-memory.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_HIDDEN } from '../pipeline/train-model.js';
import { parseChoice, parseCommandLine, parseHidden, parseNumber, parseSplit, type CommandSpec, type ParsedArgs } from './args.js';
import { readDataFile, readHeader, resolveColumn } from './csv-table.js';
import { parseMonitor, parseSchedule } from './schedule-arg.js';
import { CliError } from './errors.js';
import { defaultModelPath } from './files.js';
import { architecture, count, fields, metricsReport } from './format.js';
import { TRAIN_HELP } from './help.js';
import type { Io } from './io.js';
import { historyJson, jsonText, metricsJson, type HistoryJson, type MetricsJson } from './json.js';
import { checkModelSavable, saveModel } from './model-file.js';
import { checkOutputPath } from './output-file.js';
import { createProgress, type ProgressMode } from './progress.js';

export const TRAIN: CommandSpec = {
  name: 'train',
  positionals: ['data.csv'],
  options: {
    target: { type: 'string' },
    features: { type: 'string' },
    task: { type: 'string' },
    'drop-invalid': { type: 'boolean' },
    hidden: { type: 'string' },
    activation: { type: 'string' },
    optimizer: { type: 'string' },
    lr: { type: 'string' },
    'batch-size': { type: 'string' },
    epochs: { type: 'string' },
    patience: { type: 'string' },
    'weight-decay': { type: 'string' },
    'clip-norm': { type: 'string' },
    schedule: { type: 'string' },
    monitor: { type: 'string' },
    split: { type: 'string' },
    'no-stratify': { type: 'boolean' },
    scale: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  },
};

type PipelineOptions = Omit<TrainModelOptions, 'runtime' | 'onEpochEnd' | 'signal' | 'task'>;

/** What `train --json` prints: one object. */
export interface TrainJson {
  data: string;
  model: string;
  backend: string;
  task: TrainedModel['config']['task'];
  target: string;
  features: string[];
  classes: string[] | null;
  /** Rows dropped as invalid (--drop-invalid). */
  dropped: number;
  config: TrainedModel['config'];
  rows: TrainedModel['rows'];
  history: HistoryJson;
  /** Metrics on the test part; null with a test fraction of 0. */
  test: MetricsJson | null;
  /** Metrics on the validation part; null with a validation fraction of 0. */
  validation: MetricsJson | null;
  seconds: number;
}

/** Every option value checked before any file is read. */
function pipelineOptions(args: ParsedArgs): PipelineOptions {
  const s = args.strings;
  const o: PipelineOptions = {};
  const hidden = s.get('hidden');
  if (hidden !== undefined) o.hidden = parseHidden(hidden);
  const activation = s.get('activation');
  if (activation !== undefined) o.activation = parseChoice('activation', activation, ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'linear'] as const);
  const optimizer = s.get('optimizer');
  if (optimizer !== undefined) o.optimizer = parseChoice('optimizer', optimizer, ['adam', 'sgd', 'momentum'] as const);
  const number = (name: string, rule: Parameters<typeof parseNumber>[2]): number | undefined => {
    const raw = s.get(name);
    return raw === undefined ? undefined : parseNumber(name, raw, rule);
  };
  o.lr = number('lr', { min: 0, minOpen: true });
  o.batchSize = number('batch-size', { integer: true, min: 1 });
  o.epochs = number('epochs', { integer: true, min: 1 });
  o.patience = number('patience', { integer: true, min: 1 });
  o.weightDecay = number('weight-decay', { min: 0 });
  o.clipNorm = number('clip-norm', { min: 0, minOpen: true });
  o.seed = number('seed', { integer: true, min: 0, max: 0xffffffff });
  const schedule = s.get('schedule');
  if (schedule !== undefined) o.schedule = parseSchedule(schedule);
  const monitor = s.get('monitor');
  if (monitor !== undefined) {
    o.monitor = parseMonitor(monitor);
    // reduce-on-plateau watches what early stopping watches
    if (o.schedule?.type === 'plateau') o.schedule.monitor = o.monitor;
  }
  const split = s.get('split');
  if (split !== undefined) o.split = parseSplit(split);
  if (args.flags.has('no-stratify')) o.stratify = false;
  const scale = s.get('scale');
  if (scale !== undefined) o.scale = parseChoice('scale', scale, ['standard', 'minmax', 'none'] as const);
  for (const key of Object.keys(o) as (keyof PipelineOptions)[]) if (o[key] === undefined) delete o[key];
  return o;
}

// parseCsv's advice names library options; on the command line they are flags.
function cliWording(message: string): string {
  return message
    .replace('pass dropInvalid: true to drop such rows', 'pass --drop-invalid to drop such rows')
    .replace("pass task: 'regression' for a numeric target", 'pass --task regression for a numeric target');
}

// trainModel's errors name the dataset (`ds`, split()'s argument) and library
// options; here the dataset is a file and the options are flags.
function trainingWording(message: string, dataPath: string): string {
  return message
    .replace(/^ds: /, `${dataPath}: `)
    .replace(/^trainModel: /, `training on ${dataPath}: `)
    .replace('set a fraction to 0, or pass stratify: false', 'set a fraction of --split to 0, or pass --no-stratify')
    .replace('or set the fraction of an unwanted part to 0', 'or set the fraction of an unwanted part to 0 in --split')
    .replace('; use fewer quantileBins', '; pass --no-stratify')
    .replace('use fewer or smaller hidden layers (hidden), or a smaller batchSize', 'pass a smaller --hidden or --batch-size');
}

/**
 * What can be refused as soon as the data is read, before the weights are
 * drawn (for large layers that alone takes long): a network too large for
 * linear memory, or one whose model file could not be built after training.
 * trainModel then checks the memory again with the training rows.
 */
function checkModelFits(data: Dataset, options: PipelineOptions, runtime: Runtime): void {
  const hidden = options.hidden ?? DEFAULT_HIDDEN;
  const outputs = data.task === 'multiclass' ? data.classes!.length : 1;
  const layers = [...hidden, outputs].map((units, i, all) => ({ inputs: i === 0 ? data.features : all[i - 1]!, outputs: units }));
  const batchRows = Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, data.rows);
  checkFitMemory(runtime, layers, { trainRows: 0, batchRows, evalRows: [] }, '--hidden', 'pass a smaller --hidden');
  const parameters = layers.reduce((n, l) => n + l.inputs * l.outputs + l.outputs, 0);
  const names = [...data.featureNames, ...(data.classes ?? []), data.targetName];
  checkModelSavable({ parameters, features: data.features, names }, [data.features, ...hidden, outputs].join(' → '));
}

type TaskChoice = 'auto' | 'binary' | 'multiclass' | 'regression';

function taskOption(args: ParsedArgs): TaskChoice {
  const raw = args.strings.get('task');
  return raw === undefined ? 'auto' : parseChoice('task', raw, ['auto', 'binary', 'multiclass', 'regression'] as const);
}

function loadData(path: string, args: ParsedArgs, task: TaskChoice): Dataset {
  const bytes = readDataFile(path);
  const rawTarget = args.strings.get('target');
  const rawFeatures = args.strings.get('features');
  const header = rawTarget === undefined && rawFeatures === undefined ? [] : readHeader(bytes, path);
  const target = rawTarget === undefined ? undefined : resolveColumn(header, rawTarget, path, '--target');
  let features: number[] | undefined;
  if (rawFeatures !== undefined) {
    const targetIndex = target ?? header.length - 1;
    features = rawFeatures.split(',').map((name) => {
      const c = resolveColumn(header, name.trim(), path, '--features');
      if (c === targetIndex) throw new CliError(`--features: '${header[c]}' is the target column; pass another --target or leave it out of --features`);
      return c;
    });
    const twice = features.find((c, i) => features!.indexOf(c) !== i);
    if (twice !== undefined) throw new CliError(`--features: column '${header[twice]}' is listed twice`);
  }
  try {
    return parseCsv(bytes, { source: path, target, features, task, dropInvalid: args.flags.has('drop-invalid') });
  } catch (err) {
    if (err instanceof DataError) throw new DataError(cliWording(err.message), { cause: err });
    throw err;
  }
}

/** Runs `simdnet train`; returns the exit code. */
export async function train(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandLine(TRAIN, argv);
  if (args.help) {
    io.stdout.write(TRAIN_HELP);
    return 0;
  }
  const options = pipelineOptions(args);
  const task = taskOption(args);
  const json = args.flags.has('json');
  const dataPath = args.positionals[0]!;
  const out = args.strings.get('out') ?? defaultModelPath(dataPath);
  checkOutputPath(out, args.strings.has('out') ? '--out' : 'model file', [{ path: dataPath, what: 'data file' }]);

  const data = loadData(dataPath, args, task);
  if (data.dropped > 0) io.stderr.write(`dropped ${count(data.dropped)} invalid row${data.dropped === 1 ? '' : 's'} of ${dataPath} (--drop-invalid)\n`);
  const runtime = await init();
  checkModelFits(data, options, runtime);

  // With --json a script reads stdout; progress then only goes to a person watching stderr.
  const mode: ProgressMode = io.stderr.isTTY ? 'bar' : json ? 'off' : 'lines';
  const progress = createProgress(io.stderr, mode);
  const started = performance.now();
  let result: TrainedModel;
  try {
    result = trainModel(data, { ...options, runtime, onEpochEnd: (info) => progress.epoch(info) });
  } catch (err) {
    progress.abort();
    if (err instanceof DataError) throw new DataError(trainingWording(err.message, dataPath), { cause: err });
    if (err instanceof MemoryError) throw new MemoryError(trainingWording(err.message, dataPath), { cause: err });
    throw err;
  }
  const seconds = (performance.now() - started) / 1000;
  progress.finish(result.history, seconds);

  const net = result.network;
  try {
    saveModel(out, net);
  } catch (err) {
    net.dispose();
    throw err;
  }
  io.stderr.write(`model saved to ${out}\n`);

  if (json) {
    const report: TrainJson = {
      data: dataPath,
      model: out,
      backend: runtime.kind,
      task: result.config.task,
      target: data.targetName,
      features: data.featureNames,
      classes: data.classes,
      dropped: data.dropped,
      config: result.config,
      rows: result.rows,
      history: historyJson(result.history),
      test: result.test ? metricsJson(result.test) : null,
      validation: result.validation ? metricsJson(result.validation) : null,
      seconds: Number(seconds.toFixed(3)),
    };
    io.stdout.write(`${jsonText(report)}\n`);
    net.dispose();
    return 0;
  }

  const c = result.config;
  const h = result.history;
  const classes = data.classes ? `, ${data.classes.length} classes: ${data.classes.join(', ')}` : '';
  const watched = c.monitor === 'val_loss' ? '' : ` of ${c.monitor}`;
  const stopped = h.stopReason === 'early-stopping' ? `early stopping after ${c.patience} epochs without improvement${watched}` : h.stopReason === 'epochs' ? `reached --epochs ${c.epochs}` : h.stopReason;
  const lines = [
    fields([
      ['data', `${dataPath}: ${count(data.rows)} rows, ${data.features} features, target '${data.targetName}' (${c.task}${classes})`],
      ['network', `${architecture(net)} (${count(net.parameterCount)} parameters, ${runtime.kind})`],
      ['training', `${c.optimizer} lr ${c.lr}${c.schedule ? ` (${c.schedule.type} schedule)` : ''}, batch ${c.batchSize}, ${c.scale} scaling${c.weightDecay > 0 ? `, weight decay ${c.weightDecay}` : ''}${c.clipNorm !== null ? `, gradient norm clipped to ${c.clipNorm}` : ''}, seed ${c.seed}`],
      ['rows', `train ${count(result.rows.train)}, validation ${count(result.rows.validation)}, test ${count(result.rows.test)}${c.stratify ? ' (stratified)' : ''}`],
      ['epochs', `${h.epochs}, best ${h.bestEpoch} (${stopped}${h.restoredBest ? `; weights of epoch ${h.bestEpoch} kept` : ''})`],
      ['model', out],
    ]),
    '',
  ];
  if (result.test) lines.push(metricsReport(result.test, 'Test metrics'));
  else if (result.validation) lines.push('No test part (--split test fraction 0).', '', metricsReport(result.validation, 'Validation metrics'));
  else lines.push('No test or validation part (--split); no held-out metrics.');
  io.stdout.write(`${lines.join('\n')}\n`);
  net.dispose();
  return 0;
}
