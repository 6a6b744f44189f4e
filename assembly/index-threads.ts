// The threads build's export list (simd-threads.wasm, scalar-threads.wasm:
// compiled with threads and a shared, imported memory): every kernel of
// index.ts, plus the entry of a thread into a job (ThreadKernelExports in
// src/backend/abi.ts). Nothing of it is in the single-thread builds.

export * from './index';
export { mlp_thread_run } from './mlp-thread-run';
