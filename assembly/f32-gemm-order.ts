// The summation order of f32 GEMM: C[M×N] (=|+=) op(A)[M×K] · op(B)[K×N].
//
// Which order an output element is summed in depends only on (transA, transB,
// M, N, K) through f32_gemm_dot_route, never on the build, so the SIMD kernels
// and their scalar twin (f32-gemm-scalar.ts) agree bit for bit:
// - the k-ascending order (every shape but the dot route): the element starts
//   from C when accumulating, else from 0, and adds a(i,k)·b(k,j) for k = 0, 1,
//   …, K−1, one f32 rounding per step. Blocking over K (f32-gemm-packed.ts)
//   keeps it: the next K block starts from the partial sum stored in C.
// - the dot route (narrow outputs with A not transposed, f32-gemm-dot-2x4.ts):
//   four lane sums s_q = Σ a(i,k)·b(k,j) over k ≡ q (mod 4), k < K&~3, combined
//   as (s0 + s2) + (s1 + s3), then the last K mod 4 products in k order, then C
//   added when accumulating.

/** Narrow outputs: N not a multiple of the 8-wide tile, and small, so padding would waste lanes. */
// @ts-ignore: decorator
@inline
export function f32_gemm_narrow(N: i32): bool {
  return (N & 7) != 0 && N < 24;
}

/** The shapes summed in the dot order (see above). */
// @ts-ignore: decorator
@inline
export function f32_gemm_dot_route(transA: i32, N: i32): bool {
  return transA == 0 && f32_gemm_narrow(N);
}
