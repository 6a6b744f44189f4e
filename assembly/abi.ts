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

// After the last layer, four words the train step keeps (f32; NaN = unknown,
// which the facade writes whenever it changes parameters or optimizer state):
// the largest |parameter| and the largest |momentum buffer value| after the
// last update, from which it bounds what the next update can reach.
export const STATS_MAX_PARAM: usize = 0;
export const STATS_MAX_STATE: usize = 4;
export const STATS_BYTES: usize = 16;
