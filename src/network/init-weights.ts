import type { LayerShape } from './plan.js';
import { Random } from '../random.js';

/**
 * Seeded initial weights, W then b per layer: He normal (std √(2/fan_in)) for
 * the relu family, Glorot/Xavier uniform (±√(6/(fan_in + fan_out))) for the
 * rest; biases start at 0. Drawn in float64 and rounded once, so the same
 * seed gives the same bits on every backend.
 */
export function initialWeights(layers: readonly LayerShape[], seed: number): Float32Array[] {
  const rng = new Random(seed);
  const out: Float32Array[] = [];
  for (const l of layers) {
    const W = new Float32Array(l.inputs * l.outputs);
    if (l.activation === 'relu' || l.activation === 'leaky_relu') {
      const std = Math.sqrt(2 / l.inputs);
      for (let i = 0; i < W.length; i++) W[i] = rng.normal() * std;
    } else {
      const limit = Math.sqrt(6 / (l.inputs + l.outputs));
      for (let i = 0; i < W.length; i++) W[i] = (rng.nextFloat() * 2 - 1) * limit;
    }
    out.push(W, new Float32Array(l.outputs));
  }
  return out;
}
