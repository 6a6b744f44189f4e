/**
 * simdnet — multi-layer perceptrons with a WebAssembly SIMD core.
 *
 * ```ts
 * import { init, Network, Trainer } from 'simdnet';
 * await init();
 * const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 42 });
 * new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 } }).fit(x, y, { epochs: 100 });
 * net.predict([0.5, 0.6]);
 * ```
 */
export { init, Runtime, type InitOptions, type WasmModule } from './runtime.js';
export { Network } from './network/network.js';
export type { NetworkOptions, LayerOptions, LayerInfo } from './network/network-options.js';
export type { LayerWeights, FlatLayerWeights, WeightsInput } from './network/weights.js';
export type { Trace, LayerTrace } from './network/trace.js';
export { Random } from './random.js';
export type { FunctionSourceOptions } from './network/standalone.js';
export { Trainer, type FitTargets } from './training/trainer.js';
export type { TrainerOptions, OptimizerOptions, FitOptions, History } from './training/options.js';
export type { BatchSource, StreamBatch, FitStreamOptions } from './training/fit-stream.js';
export type { ScheduleOptions, StepSchedule, ExponentialSchedule, CosineSchedule, PlateauSchedule } from './training/schedules.js';
export type { MonitorName, MonitorMode } from './training/monitor.js';
export type { ActivationName, LossName, OptimizerName } from './backend/abi.js';
export type { BackendKind } from './backend/backend.js';
export type { MatrixInput } from './validate.js';
export type { TargetInput } from './network/targets.js';
export {
  SimdnetError,
  FileError,
  ShapeError,
  ValueError,
  DataError,
  StateError,
  MemoryError,
  InitError,
  TrainingError,
  type SimdnetErrorOptions,
  type PreviousFile,
} from './errors.js';
export { makeDataset, oneHot, subset, type Dataset, type Task, type MakeDatasetOptions } from './data/dataset.js';
export { split, type SplitOptions, type Split } from './data/split.js';
export { Scaler, type ScalerKind, type ScalerJSON } from './data/scaler.js';
export type { ScalerFitOptions, ScalerFitTransform, ScaledRows } from './data/scaler-options.js';
export {
  confusionMatrix,
  accuracy,
  perClassScores,
  macroAverage,
  weightedAverage,
  classificationReport,
  binaryScores,
  type ClassScores,
  type AverageScores,
  type ClassificationReport,
  type BinaryScores,
} from './metrics/classification.js';
export { mse, mae, r2 } from './metrics/regression.js';
export { evaluate, type Evaluation, type ClassificationEvaluation, type RegressionEvaluation, type EvaluateOptions } from './evaluation/evaluate.js';
export { trainModel, type TrainModelOptions, type TrainedModel, type DroppedClass } from './pipeline/train-model.js';
export type { EncodingDataset, EncodedParts, PartRows } from './pipeline/parts.js';
export { trainModelStream, type StreamingDataset, type StreamedParts, type StreamTrainPart } from './pipeline/train-stream.js';
export type { PreprocessorJSON, ColumnEncoding, NumericEncoding, DateEncoding, CategoricalEncoding, ExcludedEncoding, DatePart } from './io/preprocess-json.js';
export type { ColumnSchema, ColumnKind } from './table/column-schema.js';
export type { ModelJSON } from './io/model-json.js';
export type { EpochInfo, EpochBeginInfo, TrainBeginInfo, BatchInfo, EarlyStoppingOptions, StopReason } from './training/options.js';
