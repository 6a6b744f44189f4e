// Generated from src/backend/abi.ts by scripts/generate-abi.mjs (run by
// `npm run build:wasm`): do not edit. Meanings, units and who writes what are
// documented there; test/backend/abi.test.ts fails when this file is stale.

export const ABI_VERSION: i32 = 10;

export enum Act {
  linear = 0,
  relu = 1,
  leaky_relu = 2,
  sigmoid = 3,
  tanh = 4,
  softmax = 5,
}

export const FAULT_TEXT_BYTES: i32 = 256;

export enum Job {
  trainStep = 1,
  forward = 2,
  loss = 3,
  exit = 4,
}

export const LAYER_BYTES: i32 = 80;

export enum LayerField {
  inputs = 0,
  outputs = 4,
  act = 8,
  alpha = 12,
  W = 16,
  b = 20,
  dW = 24,
  db = 28,
  Z = 32,
  A = 36,
  dZ = 40,
  mW = 44,
  mb = 48,
  vW = 52,
  vb = 56,
  weightDecay = 60,
  Wp = 64,
}

export enum Loss {
  mse = 0,
  bce = 1,
  cce = 2,
}

export enum Opt {
  sgd = 0,
  momentum = 1,
  adam = 2,
}

export const PAGE_BYTES: i32 = 65536;

export const SLOT_BYTES: i32 = 64;

export enum StepStatus {
  applied = 0,
  skipped = 1,
  undone = 2,
  notUndone = 3,
  workerFailed = 4,
  workerFailedMidUpdate = 5,
}

export enum Sync {
  job = 0,
  threads = 4,
  table = 8,
  layerCount = 12,
  X = 16,
  Y = 20,
  rows = 24,
  loss = 28,
  opt = 32,
  undo = 36,
  abort = 40,
  done = 44,
  arrived = 48,
  sense = 52,
  sleepers = 56,
  value = 64,
  coef = 72,
  faultLength = 80,
  inject = 84,
  terms = 88,
  faultText = 128,
  slots = 384,
}

export enum SyncSlot {
  gen = 0,
  sleeping = 4,
  ready = 8,
  scratch = 12,
  vectors = 16,
  maxGrad = 20,
  maxParam = 24,
  maxState = 28,
  newParam = 32,
  newState = 36,
  finite = 40,
}

export const TAIL_BYTES: i32 = 96;

export enum Tail {
  maxParam = 0,
  maxState = 4,
  classWeights = 8,
  packed = 12,
  lr = 16,
  beta1 = 24,
  beta2 = 32,
  eps = 40,
  clipNorm = 48,
  t = 56,
  result = 64,
  lossSum = 72,
  gatherOrder = 80,
  gatherStart = 84,
  gatherX = 88,
  gatherY = 92,
}
