// Double-precision tanh for code generated at run time (the tiny network
// path, src/network/tiny-wasm.ts), which imports it: a call from one Wasm
// module into another is a direct call, unlike a call out to JS.

export function f64_tanh(x: f64): f64 {
  return Math.tanh(x);
}
