/**
 * ONNX Runtime as the reference for ONNX files: onnxruntime-web's Wasm build
 * (one thread, the wasm execution provider) in Node. onnxruntime-node is not
 * used: its install downloads binaries from outside the npm registry.
 */
import * as ort from 'onnxruntime-web';

ort.env.wasm.numThreads = 1;

/** Runs an .onnx model on `rows` × `features` float32 inputs; returns its one output (float32). */
export async function runOrt(model: Uint8Array, x: Float32Array, rows: number, externalData?: Record<string, Uint8Array>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['wasm'],
    externalData: externalData ? Object.entries(externalData).map(([path, data]) => ({ path, data })) : undefined,
  });
  try {
    const features = x.length / rows;
    const out = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, [rows, features]) });
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}
