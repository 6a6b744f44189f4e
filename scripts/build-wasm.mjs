// Compiles assembly/ with asc (targets in asconfig.json) into build/: the SIMD
// build, the scalar fallback, an optional relaxed-SIMD build (GEMM with
// f32x4.relaxed_madd) that the library does not load by default, and the
// threads builds of the first two (init({ threads }): src/threads/). First
// regenerates assembly/abi.ts from src/backend/abi.ts, so the kernels are
// always compiled against the ABI the facade declares.
import asc from 'assemblyscript/asc';
import { generateAssemblyAbi } from './generate-abi.mjs';

if (await generateAssemblyAbi()) console.error('build-wasm: assembly/abi.ts regenerated from src/backend/abi.ts');

// the threads builds (shared memory, mlp_thread_run) have an export list of their own
const TARGETS = { simd: 'assembly/index.ts', scalar: 'assembly/index.ts', relaxed: 'assembly/index.ts', 'simd-threads': 'assembly/index-threads.ts', 'scalar-threads': 'assembly/index-threads.ts' };

for (const [target, entry] of Object.entries(TARGETS)) {
  const { error, stderr } = await asc.main([entry, '--config', 'asconfig.json', '--target', target]);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: the ${target} build failed: ${error.message}`);
    process.exit(1);
  }
}
