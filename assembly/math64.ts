// Double-precision e^x and tanh for code generated at run time (the tiny
// network path, src/network/tiny-wasm.ts), which imports them: a call from
// one Wasm module into another is a direct call, unlike a call out to JS.

export function exp64(x: f64): f64 {
  return Math.exp(x);
}

export function tanh64(x: f64): f64 {
  return Math.tanh(x);
}
