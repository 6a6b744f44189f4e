// Codes and layer-table layout shared with src/backend/abi.ts; a test checks
// the two agree (the module exports these as globals).

export const ACT_LINEAR: i32 = 0;
export const ACT_RELU: i32 = 1;
export const ACT_LEAKY_RELU: i32 = 2;
export const ACT_SIGMOID: i32 = 3;
export const ACT_TANH: i32 = 4;
export const ACT_SOFTMAX: i32 = 5;

export const LOSS_MSE: i32 = 0;
export const LOSS_BCE: i32 = 1;
export const LOSS_CCE: i32 = 2;

export const OPT_SGD: i32 = 0;
export const OPT_MOMENTUM: i32 = 1;
export const OPT_ADAM: i32 = 2;

// Byte offsets of the layer-table fields (i32 words, 16 per layer).
export const F_INPUTS: usize = 0;
export const F_OUTPUTS: usize = 4;
export const F_ACT: usize = 8;
export const F_ALPHA: usize = 12;
export const F_W: usize = 16;
export const F_B: usize = 20;
export const F_DW: usize = 24;
export const F_DB: usize = 28;
export const F_Z: usize = 32;
export const F_A: usize = 36;
export const F_DZ: usize = 40;
export const F_MW: usize = 44;
export const F_MB: usize = 48;
export const F_VW: usize = 52;
export const F_VB: usize = 56;
export const F_WEIGHT_DECAY: usize = 60;
export const LAYER_BYTES: usize = 64;

// After the last layer, the table's tail (byte offsets from its start, which
// is 16-byte aligned):
// - two words the train step keeps (f32; NaN = unknown, which the facade
//   writes whenever it changes parameters or optimizer state): the largest
//   |parameter| and the largest |momentum buffer value| after the last
//   update, from which it bounds what the next update can reach;
// - the train step's hyperparameters, written by the facade before each call
//   (in memory rather than as arguments: a JS caller boxes every float it
//   passes to a call it cannot inline, an allocation per step), its result
//   (f64: the loss, or NaN/±Infinity as described at train_step) and the
//   running sum of loss × rows over the steps applied, which the facade zeroes
//   at the start of an epoch.
export const STATS_MAX_PARAM: usize = 0;
export const STATS_MAX_STATE: usize = 4;
// (all f64: the facade writes them through one view; lr, β1, β2 and eps are
// rounded to f32 here, as an f32 argument would be)
export const STEP_LR: usize = 16;
export const STEP_BETA1: usize = 24; // momentum's μ
export const STEP_BETA2: usize = 32;
export const STEP_EPS: usize = 40;
export const STEP_CLIP_NORM: usize = 48; // 0 = no clipping
export const STEP_T: usize = 56; // Adam's step count
export const STEP_RESULT: usize = 64;
export const STEP_LOSS_SUM: usize = 72;
export const TAIL_BYTES: usize = 80;

// train_step's return value
export const STEP_APPLIED: i32 = 0;
export const STEP_SKIPPED: i32 = 1; // the loss or a gradient was not finite; nothing changed
export const STEP_UNDONE: i32 = 2; // the update overflowed and was undone from the undo block
export const STEP_NOT_UNDONE: i32 = 3; // the update overflowed and there was no undo block
