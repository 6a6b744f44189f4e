// The yardstick of the GEMM benchmark (AssemblyScript, compiled by bench/run.mjs
// with the library's flags plus --enable simd): a 4×8 f32x4 register-tile
// micro-kernel over L1-resident packed panels. A is packed k-major, 4 floats per
// k (one f32x4); B k-major, 8 floats per k (two f32x4). Each call loads the C
// tile, runs kc rank-1 updates and stores it back, which is what a micro-kernel
// inside a real GEMM does, so its throughput is the in-L1 ceiling for that tile.

// @ts-ignore: decorator
@inline
function f32_gemm_ukernel_4x8__simd(kc: i32, A: usize, B: usize, C: usize, ldc: usize): void {
  let x00 = v128.load(C), x01 = v128.load(C, 16);
  let x10 = v128.load(C + ldc), x11 = v128.load(C + ldc, 16);
  let x20 = v128.load(C + 2 * ldc), x21 = v128.load(C + 2 * ldc, 16);
  let x30 = v128.load(C + 3 * ldc), x31 = v128.load(C + 3 * ldc, 16);
  let a = A;
  let b = B;
  const end = A + (<usize>kc << 4);
  while (a < end) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let s = v128.load32_splat(a);
    x00 = f32x4.add(x00, f32x4.mul(s, b0)); x01 = f32x4.add(x01, f32x4.mul(s, b1));
    s = v128.load32_splat(a, 4);
    x10 = f32x4.add(x10, f32x4.mul(s, b0)); x11 = f32x4.add(x11, f32x4.mul(s, b1));
    s = v128.load32_splat(a, 8);
    x20 = f32x4.add(x20, f32x4.mul(s, b0)); x21 = f32x4.add(x21, f32x4.mul(s, b1));
    s = v128.load32_splat(a, 12);
    x30 = f32x4.add(x30, f32x4.mul(s, b0)); x31 = f32x4.add(x31, f32x4.mul(s, b1));
    a += 16;
    b += 32;
  }
  v128.store(C, x00); v128.store(C, x01, 16);
  v128.store(C + ldc, x10); v128.store(C + ldc, x11, 16);
  v128.store(C + 2 * ldc, x20); v128.store(C + 2 * ldc, x21, 16);
  v128.store(C + 3 * ldc, x30); v128.store(C + 3 * ldc, x31, 16);
}

/** `reps` calls of the micro-kernel on the same panels (one JS→Wasm call per sample). */
export function ukernel_4x8_repeat(reps: i32, kc: i32, A: usize, B: usize, C: usize): void {
  for (let r = 0; r < reps; r++) f32_gemm_ukernel_4x8__simd(kc, A, B, C, 32);
}
