import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ActivationName, LossName } from '../../src/index.js';
import type { Tolerance } from './close.js';

/** test/fixtures/golden: PyTorch float64 vectors (schema, tolerances and provenance in its README). */
export const GOLDEN_DIR = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));

export interface GoldenStep {
  lr: number;
  k: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  params: Array<{ W: number[][]; b: number[] }>;
  losses: number[];
  final_loss: number;
}

export interface GoldenCase {
  name: string;
  layers: Array<{ inputs: number; outputs: number; activation: ActivationName; alpha?: number }>;
  loss: LossName;
  params: Array<{ W: number[][]; b: number[] }>;
  x: number[][];
  y: number[][];
  expected: {
    output: number[][];
    loss: number;
    grads: Array<{ W: number[][]; b: number[] }>;
    layer_outputs: Array<{ z: number[][]; a: number[][] }>;
    steps: { sgd: GoldenStep; momentum: GoldenStep; adam: GoldenStep };
  };
  tolerance: { float32: { output: Tolerance; loss: Tolerance; grads: Tolerance; params: Tolerance } };
}

export function goldenCases(): GoldenCase[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(GOLDEN_DIR + f, 'utf8')) as GoldenCase);
}
