// f32 GEMM, row-major, contiguous: C[M×N] (=|+=) op(A)[M×K] · op(B)[K×N].
//
// One micro-kernel family serves all transpose forms: op(A)'s element (i, k)
// is addressed through two byte strides, so Aᵀ costs nothing; op(B) must have
// contiguous columns for vector loads, so a transposed B is first packed into
// `scratch` as K×N. Every output element is summed in the same order (k
// ascending, from 0, then added to C when accumulating) by the SIMD kernels
// and by the scalar twin, so the two builds agree bit for bit.

// Bytes of scratch the SIMD path needs: a K×N copy of Bᵀ, when B is transposed.
export function f32_gemm_scratch_bytes(transA: i32, transB: i32, M: i32, N: i32, K: i32): usize {
  if (ASC_FEATURE_SIMD) {
    if (transB != 0) return ((<usize>K * <usize>N * 4) + 15) & ~15;
  }
  return 0;
}

export function f32_gemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    let rsB: usize = <usize>N << 2;
    if (transB != 0) {
      f32_transpose(N, K, B, scratch);
      B = scratch;
    }
    // Byte strides of op(A)(i, k).
    const rsA: usize = transA != 0 ? 4 : (<usize>K << 2);
    const csA: usize = transA != 0 ? (<usize>M << 2) : 4;
    f32_gemm__simd(M, N, K, A, rsA, csA, B, rsB, C, accumulate);
    return;
  }
  f32_gemm__scalar(transA, transB, M, N, K, A, B, C, accumulate, scratch);
}

// dst[K×N] = src[N×K]ᵀ
function f32_transpose(rows: i32, cols: i32, src: usize, dst: usize): void {
  const rstride: usize = <usize>rows << 2;
  for (let r = 0; r < rows; r++) {
    let s = src + ((<usize>r * <usize>cols) << 2);
    let d = dst + (<usize>r << 2);
    for (let c = 0; c < cols; c++) {
      store<f32>(d, load<f32>(s));
      s += 4;
      d += rstride;
    }
  }
}

// @ts-ignore: decorator
@inline
function storeTile(dst: usize, v: v128, accumulate: i32): void {
  if (accumulate != 0) v = f32x4.add(v128.load(dst), v);
  v128.store(dst, v);
}

// @ts-ignore: decorator
@inline
function storeLane(dst: usize, s: f32, accumulate: i32): void {
  if (accumulate != 0) s = load<f32>(dst) + s;
  store<f32>(dst, s);
}

// The register-blocked SIMD kernel: 4×8 tiles (8 f32x4 accumulators), then
// 4×4, then scalar columns; leftover rows one at a time with the same widths.
function f32_gemm__simd(
  M: i32, N: i32, K: i32,
  A: usize, rsA: usize, csA: usize,
  B: usize, rsB: usize,
  C: usize, accumulate: i32,
): void {
  const ldc: usize = <usize>N << 2;
  let i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = A + <usize>i * rsA;
    const a1 = a0 + rsA;
    const a2 = a1 + rsA;
    const a3 = a2 + rsA;
    const c0 = C + <usize>i * ldc;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let a = v128.load32_splat(a0 + ak);
        x00 = f32x4.add(x00, f32x4.mul(a, b0)); x01 = f32x4.add(x01, f32x4.mul(a, b1));
        a = v128.load32_splat(a1 + ak);
        x10 = f32x4.add(x10, f32x4.mul(a, b0)); x11 = f32x4.add(x11, f32x4.mul(a, b1));
        a = v128.load32_splat(a2 + ak);
        x20 = f32x4.add(x20, f32x4.mul(a, b0)); x21 = f32x4.add(x21, f32x4.mul(a, b1));
        a = v128.load32_splat(a3 + ak);
        x30 = f32x4.add(x30, f32x4.mul(a, b0)); x31 = f32x4.add(x31, f32x4.mul(a, b1));
        bp += rsB;
        ak += csA;
      }
      const c = c0 + (<usize>j << 2);
      storeTile(c, x00, accumulate); storeTile(c + 16, x01, accumulate);
      storeTile(c + ldc, x10, accumulate); storeTile(c + ldc + 16, x11, accumulate);
      storeTile(c + 2 * ldc, x20, accumulate); storeTile(c + 2 * ldc + 16, x21, accumulate);
      storeTile(c + 3 * ldc, x30, accumulate); storeTile(c + 3 * ldc + 16, x31, accumulate);
    }
    for (; j + 4 <= N; j += 4) {
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        const b = v128.load(bp);
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + ak), b));
        x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(a1 + ak), b));
        x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(a2 + ak), b));
        x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(a3 + ak), b));
        bp += rsB;
        ak += csA;
      }
      const c = c0 + (<usize>j << 2);
      storeTile(c, x0, accumulate);
      storeTile(c + ldc, x1, accumulate);
      storeTile(c + 2 * ldc, x2, accumulate);
      storeTile(c + 3 * ldc, x3, accumulate);
    }
    for (; j < N; j++) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        const b = load<f32>(bp);
        s0 += load<f32>(a0 + ak) * b;
        s1 += load<f32>(a1 + ak) * b;
        s2 += load<f32>(a2 + ak) * b;
        s3 += load<f32>(a3 + ak) * b;
        bp += rsB;
        ak += csA;
      }
      const c = c0 + (<usize>j << 2);
      storeLane(c, s0, accumulate);
      storeLane(c + ldc, s1, accumulate);
      storeLane(c + 2 * ldc, s2, accumulate);
      storeLane(c + 3 * ldc, s3, accumulate);
    }
  }
  for (; i < M; i++) {
    const a0 = A + <usize>i * rsA;
    const c0 = C + <usize>i * ldc;
    let j = 0;
    for (; j + 8 <= N; j += 8) {
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        const a = v128.load32_splat(a0 + ak);
        x0 = f32x4.add(x0, f32x4.mul(a, v128.load(bp)));
        x1 = f32x4.add(x1, f32x4.mul(a, v128.load(bp, 16)));
        bp += rsB;
        ak += csA;
      }
      const c = c0 + (<usize>j << 2);
      storeTile(c, x0, accumulate);
      storeTile(c + 16, x1, accumulate);
    }
    for (; j + 4 <= N; j += 4) {
      let x0 = f32x4.splat(0);
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + ak), v128.load(bp)));
        bp += rsB;
        ak += csA;
      }
      storeTile(c0 + (<usize>j << 2), x0, accumulate);
    }
    for (; j < N; j++) {
      let s: f32 = 0;
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        s += load<f32>(a0 + ak) * load<f32>(bp);
        bp += rsB;
        ak += csA;
      }
      storeLane(c0 + (<usize>j << 2), s, accumulate);
    }
  }
}

// The scalar twin: the reference for the SIMD kernel and the fallback build.
// 1×4 register blocks over contiguous columns of op(B) when B is not
// transposed; plain dot products (both operands contiguous in k) when it is.
export function f32_gemm__scalar(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize,
): void {
  const rsA: usize = transA != 0 ? 4 : (<usize>K << 2);
  const csA: usize = transA != 0 ? (<usize>M << 2) : 4;
  const ldc: usize = <usize>N << 2;
  if (transB != 0) {
    const ldb: usize = <usize>K << 2;
    for (let i = 0; i < M; i++) {
      const a0 = A + <usize>i * rsA;
      for (let j = 0; j < N; j++) {
        const b0 = B + <usize>j * ldb;
        let s: f32 = 0;
        let ak: usize = 0, bk: usize = 0;
        for (let k = 0; k < K; k++) {
          s += load<f32>(a0 + ak) * load<f32>(b0 + bk);
          ak += csA;
          bk += 4;
        }
        storeLane(C + <usize>i * ldc + (<usize>j << 2), s, accumulate);
      }
    }
    return;
  }
  const rsB: usize = <usize>N << 2;
  for (let i = 0; i < M; i++) {
    const a0 = A + <usize>i * rsA;
    const c0 = C + <usize>i * ldc;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        const a = load<f32>(a0 + ak);
        s0 += a * load<f32>(bp);
        s1 += a * load<f32>(bp, 4);
        s2 += a * load<f32>(bp, 8);
        s3 += a * load<f32>(bp, 12);
        bp += rsB;
        ak += csA;
      }
      const c = c0 + (<usize>j << 2);
      storeLane(c, s0, accumulate);
      storeLane(c + 4, s1, accumulate);
      storeLane(c + 8, s2, accumulate);
      storeLane(c + 12, s3, accumulate);
    }
    for (; j < N; j++) {
      let s: f32 = 0;
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        s += load<f32>(a0 + ak) * load<f32>(bp);
        bp += rsB;
        ak += csA;
      }
      storeLane(c0 + (<usize>j << 2), s, accumulate);
    }
  }
}
