// Generated from src/backend/abi.ts by scripts/generate-abi.mjs (run by
// `npm run build:wasm`): do not edit. Meanings, units and who writes what are
// documented there; test/backend/abi.test.ts fails when this file is stale.

export const ABI_VERSION: i32 = 7;

export enum Act {
  linear = 0,
  relu = 1,
  leaky_relu = 2,
  sigmoid = 3,
  tanh = 4,
  softmax = 5,
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

export enum StepStatus {
  applied = 0,
  skipped = 1,
  undone = 2,
  notUndone = 3,
}

export const TAIL_BYTES: i32 = 80;

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
}
