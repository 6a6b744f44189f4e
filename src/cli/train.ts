/**
 * `simdnet train data.csv`: the whole pipeline of trainModel from a CSV file
 * to a saved model, with progress on stderr and the report (or one JSON
 * object) on stdout.
 */

import { DataError, init, MemoryError, TrainingError, trainModel, trainModelStream, type Runtime, type TrainModelOptions, type TrainedModel } from '../index.js';
import type { Model } from '../csv.js';
import type { Dataset } from '../data/dataset.js';
import { checkFitMemory } from '../pipeline/fit-memory.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_HIDDEN } from '../pipeline/train-model.js';
import { parseChoice, parseCommandLine, parseHidden, parseNumber, parseSplit, type CommandSpec, type ParsedArgs } from './args.js';
import { headerOf, loadData, taskOption } from './train-data.js';
import { parseMonitor, parseSchedule } from './schedule-arg.js';
import { cliWording, divergedWording, trainingWording } from './train-wording.js';
import { defaultModelPath } from './files.js';
import { architecture, count, fields, metricsReport, schemaReport } from './format.js';
import { TRAIN_HELP } from './help.js';
import type { Io } from './io.js';
import { historyJson, jsonText, metricsJson, type HistoryJson, type MetricsJson } from './json.js';
import { checkModelSavable, saveModel } from './model-file.js';
import { checkOutputPath } from './output-file.js';
import { createProgress, type ProgressMode } from './progress.js';
import { estimateRows, streamReason } from './stream-choice.js';

export const TRAIN: CommandSpec = {
  name: 'train',
  positionals: ['data.csv'],
  options: {
    target: { type: 'string' },
    features: { type: 'string' },
    ignore: { type: 'string' },
    categorical: { type: 'string' },
    na: { type: 'string' },
    'max-categories': { type: 'string' },
    separator: { type: 'string' },
    encoding: { type: 'string' },
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
    stream: { type: 'boolean' },
    'max-memory': { type: 'string' },
    'class-weight': { type: 'string' },
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
  /** Rows left out for a missing target. */
  missingTarget: number;
  /** What each column became, fitted on the training part. */
  schema: TrainedModel['schema'];
  /** Classes left out for having too few rows to split. */
  droppedClasses: TrainedModel['droppedClasses'];
  /** What training did differently from what was asked. */
  warnings: string[];
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
  const classWeight = s.get('class-weight');
  if (classWeight !== undefined) o.classWeight = parseChoice('class-weight', classWeight, ['balanced', 'none'] as const) === 'balanced' ? 'balanced' : null;
  const scale = s.get('scale');
  if (scale !== undefined) o.scale = parseChoice('scale', scale, ['standard', 'minmax', 'none'] as const);
  for (const key of Object.keys(o) as (keyof PipelineOptions)[]) if (o[key] === undefined) delete o[key];
  return o;
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

  const maxMemory = args.strings.get('max-memory');
  const runtime = await init(maxMemory === undefined ? {} : { maximumPages: Math.floor(parseNumber('max-memory', maxMemory, { min: 1, max: 4096 }) * 16) });
  const header = headerOf(dataPath, args);
  const streaming = (why: string) => io.stderr.write(`${why}: training from the file as a stream (read again each epoch; encoders fitted on a sample of the training rows)\n`);
  let stream = args.flags.has('stream');
  const estimate = stream ? null : estimateRows(dataPath);
  const before = estimate === null ? null : streamReason(`${dataPath} (about ${count(estimate)} rows)`, estimate, header.length - 1, options, runtime);
  if (before !== null) streaming(before);
  stream ||= before !== null;
  let data = await loadData(dataPath, args, task, io, header, stream);
  // categories and gap indicators add features: read whole, the rows may still not fit
  const after = stream ? null : streamReason(dataPath, data.rows, data.features, options, runtime);
  if (after !== null) {
    streaming(after);
    data = await loadData(dataPath, args, task, io, header, true);
  }
  if (data.dropped > 0) io.stderr.write(`dropped ${count(data.dropped)} invalid row${data.dropped === 1 ? '' : 's'} of ${dataPath} (--drop-invalid)\n`);
  if (data.missingTarget > 0) io.stderr.write(`left out ${count(data.missingTarget)} row${data.missingTarget === 1 ? '' : 's'} of ${dataPath} without a target ('${data.targetName}')\n`);
  checkModelFits(data, options, runtime);

  // With --json a script reads stdout; progress then only goes to a person watching stderr.
  const mode: ProgressMode = io.stderr.isTTY ? 'bar' : json ? 'off' : 'lines';
  const progress = createProgress(io.stderr, mode);
  const started = performance.now();
  let result: TrainedModel<Model>;
  try {
    const run: TrainModelOptions = {
      ...options, runtime,
      onPrepared: (info) => {
        for (const w of info.warnings) io.stderr.write(`warning: ${cliWording(w)}\n`);
      },
      onEpochEnd: (info) => progress.epoch(info),
    };
    result = 'streamParts' in data ? await trainModelStream(data, run) : trainModel(data, run);
  } catch (err) {
    progress.abort();
    if (err instanceof DataError) throw new DataError(trainingWording(err.message, dataPath), { cause: err });
    if (err instanceof MemoryError) throw new MemoryError(trainingWording(err.message, dataPath), { cause: err });
    if (err instanceof TrainingError) throw new TrainingError(divergedWording(err.message, dataPath), { epoch: err.epoch, batch: err.batch }, { cause: err });
    throw err;
  }
  const seconds = (performance.now() - started) / 1000;
  progress.finish(result.history, seconds);

  const net = result.network;
  try {
    saveModel(out, net); // it carries its encoders
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
      features: net.featureNames ?? data.featureNames,
      classes: net.classes,
      dropped: data.dropped,
      missingTarget: data.missingTarget,
      schema: result.schema,
      droppedClasses: result.droppedClasses,
      warnings: result.warnings,
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
  const netClasses = net.classes;
  const classes = netClasses ? `, ${netClasses.length} classes: ${netClasses.join(', ')}` : '';
  const watched = c.monitor === 'val_loss' ? '' : ` of ${c.monitor}`;
  const stopped = h.stopReason === 'early-stopping' ? `early stopping after ${c.patience} epochs without improvement${watched}` : h.stopReason === 'epochs' ? `reached --epochs ${c.epochs}` : h.stopReason;
  const lines = [
    fields([
      ['data', `${dataPath}: ${count(data.rows)} rows, ${net.inputs} features, target '${data.targetName}' (${c.task}${classes})`],
      ['network', `${architecture(net)} (${count(net.parameterCount)} parameters, ${runtime.kind})`],
      ['training', `${c.optimizer} lr ${c.lr}${c.schedule ? ` (${c.schedule.type} schedule)` : ''}, batch ${c.batchSize}, ${c.scale} scaling${c.classWeight === 'balanced' ? ', balanced class weights' : ''}${c.weightDecay > 0 ? `, weight decay ${c.weightDecay}` : ''}${c.clipNorm !== null ? `, gradient norm clipped to ${c.clipNorm}` : ''}, seed ${c.seed}`],
      ['rows', `train ${count(result.rows.train)}, validation ${count(result.rows.validation)}, test ${count(result.rows.test)}${c.stratify ? ' (stratified)' : ''}`],
      ['epochs', `${h.epochs}, best ${h.bestEpoch} (${stopped}${h.restoredBest ? `; weights of epoch ${h.bestEpoch} kept` : ''})`],
      ['model', out],
    ]),
    '',
  ];
  // what each column became, before the numbers that depend on it (stdout holds only the report of a run that finished)
  if (result.schema) lines.push(schemaReport(result.schema), '');
  if (result.test) lines.push(metricsReport(result.test, 'Test metrics'));
  else if (result.validation) lines.push('No test part (--split test fraction 0).', '', metricsReport(result.validation, 'Validation metrics'));
  else lines.push('No test or validation part (--split); no held-out metrics.');
  io.stdout.write(`${lines.join('\n')}\n`);
  net.dispose();
  return 0;
}
