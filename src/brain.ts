/**
 * simdnet/brain — brain.js NeuralNetwork JSON (2.0 beta and 1.x) in and out.
 */
export {};
