import { beforeAll, describe, expect, it } from 'vitest';
import { heapsByBuild, KernelHeap } from '../support/kernel-heap.js';
import { values } from '../support/random-values.js';

// f32_sum_squares (assembly/f32-sum-squares.ts): the order of its sums is a
// contract (gradient clipping scales by the same factor on every build).

describe('sum of squares: every build', () => {
  let mems: Record<'simd' | 'scalar' | 'js', KernelHeap>;
  beforeAll(() => {
    mems = heapsByBuild();
  });

  it('f32_sum_squares: every length 0..70, the documented float64 order on all three builds, bit for bit', () => {
    for (let n = 0; n <= 70; n++) {
      const v = values(n, n + 500).map((e, i) => (i % 5 === 0 ? e * 1e18 : e));
      // lane sums over i ≡ q (mod 4), (s0 + s1) + (s2 + s3), then the tail in order
      const s = [0, 0, 0, 0];
      const n4 = n & ~3;
      for (let i = 0; i < n4; i++) s[i % 4] += v[i]! * v[i]!;
      let expected = (s[0]! + s[1]!) + (s[2]! + s[3]!);
      for (let i = n4; i < n; i++) expected += v[i]! * v[i]!;
      for (const b of ['simd', 'scalar', 'js'] as const) {
        const mem = mems[b];
        const P = mem.alloc(n + 1);
        mem.write(P, v);
        expect(mem.k.f32_sum_squares(n, P), `${b} n=${n}`).toBe(expected);
      }
    }
  });
});
