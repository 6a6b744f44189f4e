/**
 * simdnet/onnx — ONNX in and out for dense networks, with a protobuf reader
 * and writer of its own (bounded, no code generation at run time).
 *
 * ```ts
 * import { init } from 'simdnet';
 * import { fromONNX, toONNX } from 'simdnet/onnx';
 * await init();
 * const net = fromONNX(bytes, { externalData: { 'model.onnx.data': dataBytes } });
 * const onnx = toONNX(net); // Uint8Array, opset 13
 * ```
 */
export { fromONNX, type FromONNXOptions } from './interchange/onnx/import.js';
export { toONNX, type ToONNXOptions } from './interchange/onnx/export.js';
