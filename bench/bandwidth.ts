// The bandwidth yardstick of the inference benchmark (AssemblyScript,
// compiled by bench/inference.mjs with the library's flags plus --enable
// simd): reading a buffer the size of a network's weights with Wasm SIMD
// loads, as fast as this machine does it; a one-sample forward pass has to
// read every weight once, so bytes ÷ this rate bounds it from below.
//
// 512 bytes per iteration, loads XORed in pairs and then into four chains
// (XOR: one cycle): about 105 GB/s from L2 on the bench machine, where eight
// chains of single loads reach 70 (V8 issues all of an iteration's loads
// first: 32 of them into eight chains run out of registers, 8 leave the loop
// overhead in charge).

/** `reps` passes over [p, p + bytes), bytes a multiple of 512; the XOR of everything read, so nothing is optimised away. */
export function read_repeat(reps: i32, p: usize, bytes: usize): i32 {
  let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0);
  const end = p + bytes;
  for (let r = 0; r < reps; r++) {
    for (let q = p; q < end; q += 512) {
      for (let u: usize = 0; u < 512; u += 128) {
        const s = q + u;
        a0 = v128.xor(a0, v128.xor(v128.load(s), v128.load(s, 16)));
        a1 = v128.xor(a1, v128.xor(v128.load(s, 32), v128.load(s, 48)));
        a2 = v128.xor(a2, v128.xor(v128.load(s, 64), v128.load(s, 80)));
        a3 = v128.xor(a3, v128.xor(v128.load(s, 96), v128.load(s, 112)));
      }
    }
  }
  const s = v128.xor(v128.xor(a0, a1), v128.xor(a2, a3));
  return i32x4.extract_lane(s, 0) ^ i32x4.extract_lane(s, 1) ^ i32x4.extract_lane(s, 2) ^ i32x4.extract_lane(s, 3);
}
