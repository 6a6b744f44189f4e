import { describe, expect, it } from 'vitest';
import { PAGE_BYTES, type KernelExports } from '../../src/backend/abi.js';
import { JsMemory, createJsBackend } from '../../src/backend/js/index.js';

// The pure-JS backend's linear memory (WebAssembly.Memory's semantics) and
// its construction. Its kernels are tested with the others, on every backend,
// in test/kernels/.

describe('JsMemory', () => {
  it('grows like WebAssembly.Memory: previous size returned, contents kept, old buffer detached', () => {
    const mem = new JsMemory(1, 4);
    expect(mem.buffer.byteLength).toBe(PAGE_BYTES);
    const before = mem.buffer;
    const view = new Float32Array(before);
    view[0] = 1.5;
    view[PAGE_BYTES / 4 - 1] = -2.5;
    expect(mem.grow(2)).toBe(1);
    expect(mem.buffer.byteLength).toBe(3 * PAGE_BYTES);
    expect(mem.buffer).not.toBe(before);
    expect(before.byteLength).toBe(0);
    expect(view.length).toBe(0);
    const after = new Float32Array(mem.buffer);
    expect(after[0]).toBe(1.5);
    expect(after[PAGE_BYTES / 4 - 1]).toBe(-2.5);
    expect(after[PAGE_BYTES / 4]).toBe(0);
    expect(mem.f32.length).toBe((3 * PAGE_BYTES) / 4);
    expect(mem.grow(0)).toBe(3);
    expect(mem.grow(1)).toBe(3);
  });

  it('throws RangeError past the maximum and leaves the memory as it was', () => {
    const mem = new JsMemory(2, 3);
    const buf = mem.buffer;
    expect(() => mem.grow(2)).toThrow(RangeError);
    expect(() => mem.grow(2)).toThrow(/exceed the maximum of 3 pages/);
    expect(mem.buffer).toBe(buf);
    expect(mem.buffer.byteLength).toBe(2 * PAGE_BYTES);
    expect(mem.grow(1)).toBe(2);
  });

  it('rejects bad sizes with the argument named', () => {
    expect(() => new JsMemory(3, 2)).toThrow(RangeError);
    expect(() => new JsMemory(3, 2)).toThrow(/initialPages \(3\) exceeds maximumPages \(2\)/);
    expect(() => new JsMemory(1, 65537)).toThrow(/maximumPages must be at most 65536/);
    expect(() => new JsMemory(1, 2).grow(-1)).toThrow(TypeError);
    expect(() => new JsMemory(1, 2).grow(0.5)).toThrow(/pages must be a non-negative integer/);
  });
});

const KERNEL_NAMES: (keyof KernelExports)[] = [
  'heap_base', 'f32_gemm_scratch_bytes', 'f32_gemm', 'f32_gemm__scalar', 'f32_bias_add', 'f32_bias_grad', 'f32_act_forward',
  'f32_act_backward', 'f32_loss_grad', 'f32_sgd_update', 'f32_momentum_update', 'f32_adam_update', 'mlp_forward',
  'mlp_gradients', 'mlp_train_step', 'mlp_loss',
];

describe('createJsBackend', () => {
  it('exposes every kernel, an aligned heap base and its limits', () => {
    const b = createJsBackend();
    expect(b.kind).toBe('js');
    for (const name of KERNEL_NAMES) expect(typeof b.kernels[name], name).toBe('function');
    expect(b.kernels.heap_base() % 16).toBe(0);
    expect(b.kernels.heap_base()).toBeGreaterThanOrEqual(16);
    expect(b.memory.buffer.byteLength).toBe(PAGE_BYTES);
    expect(b.maxBytes).toBe(65536 * PAGE_BYTES);
    const small = createJsBackend({ initialPages: 2, maximumPages: 5 });
    expect(small.memory.buffer.byteLength).toBe(2 * PAGE_BYTES);
    expect(small.maxBytes).toBe(5 * PAGE_BYTES);
    expect(() => small.memory.grow(4)).toThrow(RangeError);
  });
});
