// Bias add (forward) and bias gradient (column sums of dZ, rows in order, so
// the SIMD and scalar builds agree bit for bit).

export function f32_bias_add(rows: i32, cols: i32, Z: usize, b: usize): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const z = Z + <usize>r * rowBytes;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        v128.store(z + o, f32x4.add(v128.load(z + o), v128.load(b + o)));
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      store<f32>(z + o, load<f32>(z + o) + load<f32>(b + o));
    }
  }
}

export function f32_bias_grad(rows: i32, cols: i32, dZ: usize, db: usize): void {
  const rowBytes = <usize>cols << 2;
  // zeroed by stores, not memory.fill: V8 runs that as a call out of the
  // compiled code (about 10 ns), more than a small layer's sums take; a
  // training step of a 2-3-1 network makes two of these calls
  let c0 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; c0 + 4 <= cols; c0 += 4) v128.store(db + (<usize>c0 << 2), f32x4.splat(0));
  }
  for (; c0 < cols; c0++) store<f32>(db + (<usize>c0 << 2), 0);
  for (let r = 0; r < rows; r++) {
    const z = dZ + <usize>r * rowBytes;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        v128.store(db + o, f32x4.add(v128.load(db + o), v128.load(z + o)));
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      store<f32>(db + o, load<f32>(db + o) + load<f32>(z + o));
    }
  }
}

/**
 * db[c] = Σ_r dZ[r][c] for the columns [c0, c1) only (a thread's share), each
 * summed from 0 in row order as f32_bias_grad sums it: the same bits.
 */
export function f32_bias_grad_cols(rows: i32, cols: i32, dZ: usize, db: usize, c0: i32, c1: i32): void {
  const rowBytes = <usize>cols << 2;
  let c = c0;
  if (ASC_FEATURE_SIMD) {
    for (; c + 4 <= c1; c += 4) {
      const o = <usize>c << 2;
      let s = f32x4.splat(0);
      for (let r = 0; r < rows; r++) s = f32x4.add(s, v128.load(dZ + <usize>r * rowBytes + o));
      v128.store(db + o, s);
    }
  }
  for (; c < c1; c++) {
    const o = <usize>c << 2;
    let s: f32 = 0;
    for (let r = 0; r < rows; r++) s += load<f32>(dZ + <usize>r * rowBytes + o);
    store<f32>(db + o, s);
  }
}
