/**
 * trainModel for data that streams: the training rows come a batch at a
 * time (Trainer.fitStream) instead of sitting in linear memory, so a file
 * larger than Wasm's 4 GiB still trains. The split, the network, the
 * optimizer, early stopping and the evaluation are trainModel's; what
 * differs is said in the dataset's own terms (simdnet/csv's streamCsv: the
 * encoders and the scaler fitted on a sample of the training rows, the rows
 * shuffled within chunks of the file).
 */

import { Scaler } from '../data/scaler.js';
import type { Dataset } from '../data/dataset.js';
import { ValueError } from '../errors.js';
import { evaluate } from '../evaluation/evaluate.js';
import type { Network } from '../network/network.js';
import { defaultRuntimeOrThrow, Runtime } from '../runtime.js';
import type { BatchSource } from '../training/fit-stream.js';
import { describe } from '../validate.js';
import type { ColumnSchema } from '../table/column-schema.js';
import { checkFitMemory } from './fit-memory.js';
import { splitParts, type EncodingDataset, type PartRows } from './parts.js';
import { pipelineNetwork, pipelineTrainer, summary, type TrainedModel, type TrainModelOptions } from './train-model.js';
import { resolve } from './train-options.js';

/** The training part of a streaming dataset: its targets in memory, its rows a batch at a time. */
export interface StreamTrainPart {
  /** Training rows. */
  rows: number;
  /** Their targets, in the dataset's order (class indices or values): for the target scaler and class weights. */
  y: Float32Array;
  /** Features of an encoded row. */
  features: number;
  /** Names of the encoded features. */
  featureNames: string[];
  /** Some training rows encoded (sampleRows × features), to fit the input scaler on. */
  sample: Float32Array;
  /** Rows in `sample`. */
  sampleRows: number;
  /** The training rows, encoded, in batches of `batchSize` rows, in an order drawn from `seed`; each epoch reads them again. */
  batches(batchSize: number, seed: number): BatchSource;
}

/** What a streaming dataset gives for its parts: the training part as a stream, the others encoded in memory. */
export interface StreamedParts<M> {
  /** The training part, as a stream. */
  train: StreamTrainPart;
  /** The validation rows, encoded. */
  validation: Dataset;
  /** The test rows, encoded. */
  test: Dataset;
  /** What each column became, fitted on the training rows (or their sample). */
  schema: ColumnSchema[];
  /** The trained network with those encoders. */
  modelOf(network: Network): M;
  /** What the stream did differently from in-memory training, in words (for the report). */
  notes: string[];
}

/**
 * A dataset whose rows stay in their source (simdnet/csv's streamCsv): its
 * `y` holds every row's target, `x` is never read; `streamParts` encodes
 * the validation and test parts and gives the training part as a stream.
 */
export interface StreamingDataset<M> extends EncodingDataset<M> {
  /** Encoders fitted on the training rows `rows[0]`: the validation and test parts encoded, the training part as a stream. */
  readonly streamParts: (rows: PartRows) => Promise<StreamedParts<M>>;
}

/**
 * The training pipeline of trainModel on a streaming dataset (simdnet/csv's
 * streamCsv): the same options and the same result (with `model`), but the
 * training rows are read a batch at a time each epoch (Trainer.fitStream)
 * instead of being held in linear memory, so data larger than Wasm's 4 GiB
 * trains. The validation and test parts are held in memory (evaluated as
 * trainModel evaluates them).
 * @throws as trainModel; ValueError for data that is not a streaming dataset.
 */
export async function trainModelStream<M>(data: StreamingDataset<M>, options: TrainModelOptions = {}): Promise<TrainedModel<M>> {
  if (data === null || typeof data !== 'object' || typeof (data as Partial<StreamingDataset<M>>).streamParts !== 'function') {
    throw new ValueError(`data: expected a streaming dataset (from simdnet/csv's streamCsv), got ${describe(data)}`);
  }
  const { config, o } = resolve(data, options);
  const runtime = o.runtime === undefined ? defaultRuntimeOrThrow() : o.runtime;
  if (!(runtime instanceof Runtime)) throw new ValueError(`runtime: expected a Runtime returned by init(), got ${describe(runtime)}`);
  const split = splitParts(data, config.split, config.stratify, config.seed, config.task === 'regression');
  const ds = split.ds as StreamingDataset<M>;
  const parts = await ds.streamParts(split.rows);
  const { train, validation, test } = parts;
  const warnings = [...split.warnings, ...parts.notes];
  const classes = ds.classes;
  const outputs = config.task === 'multiclass' ? classes!.length : 1;
  const layers = [...config.hidden, outputs].map((units, i, all) => ({ inputs: i === 0 ? train.features : all[i - 1]!, outputs: units }));
  checkFitMemory(runtime, layers, { trainRows: 0, batchRows: config.batchSize, evalRows: [test.rows, validation.rows] }, 'trainModel', 'use fewer or smaller hidden layers (hidden), or a smaller batchSize');
  o.onPrepared?.({
    schema: parts.schema, features: train.features, droppedClasses: split.droppedClasses, warnings,
    rows: { train: train.rows, validation: validation.rows, test: test.rows },
  });
  const network = pipelineNetwork(config, train.features, outputs, runtime);
  try {
    // the scaler is the network's during the fit: every batch and the validation rows are scaled as they come
    network.scaler = Scaler.fit(train.sample, train.sampleRows, train.features, config.scale);
    if (config.task === 'regression') network.targetScaler = Scaler.fit(train.y, train.rows, 1, 'standard');
    network.classes = config.task === 'regression' ? null : classes;
    network.featureNames = train.featureNames;
    network.targetName = ds.targetName;
    // 'balanced' from the counts of every training target (in memory), as the Trainer would count them
    const weights = config.classWeight === 'balanced' ? balanced(train.y, train.rows, classes!.length) : null;
    const trainer = pipelineTrainer(network, config, weights);
    const hasValidation = validation.rows > 0;
    const history = await trainer.fitStream(train.batches(config.batchSize, config.seed), {
      epochs: config.epochs,
      validation: hasValidation ? { x: validation.x, y: validation.y } : undefined,
      earlyStopping: { monitor: hasValidation ? config.monitor : 'loss', patience: config.patience, restoreBest: true },
      ...(config.schedule?.type === 'cosine' ? { batchesPerEpoch: Math.ceil(train.rows / config.batchSize) } : {}),
      onEpochEnd: o.onEpochEnd,
      signal: o.signal,
    });
    const testEval = test.rows > 0 ? evaluate(network, test) : null;
    const valEval = hasValidation ? evaluate(network, validation) : null;
    const rows = { train: train.rows, validation: validation.rows, test: test.rows };
    network.trainingSummary = {
      config, rows, epochs: history.epochs, bestEpoch: history.bestEpoch, stopReason: history.stopReason,
      finalLoss: history.loss[history.bestEpoch - 1] ?? null,
      bestValLoss: history.valLoss[history.bestEpoch - 1] ?? null,
      test: testEval ? summary(testEval) : null,
      ...(warnings.length > 0 ? { warnings } : {}),
    };
    return {
      network, model: parts.modelOf(network), history, test: testEval, validation: valEval, rows, config,
      schema: parts.schema, droppedClasses: split.droppedClasses, warnings,
    };
  } catch (e) {
    network.dispose();
    throw e;
  }
}

/** n / (k · count) per class from class indices (0 for a class without rows): the Trainer's 'balanced'. */
function balanced(y: Float32Array, rows: number, classes: number): number[] {
  const k = Math.max(classes, 2);
  const counts = new Float64Array(k);
  for (let r = 0; r < rows; r++) counts[y[r]!]!++;
  return Array.from(counts, (n) => (n === 0 ? 0 : Math.fround(rows / (k * n))));
}
