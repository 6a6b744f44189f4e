// Compiles assembly/ with asc (targets in asconfig.json) into build/: the SIMD
// build, the scalar fallback, and an optional relaxed-SIMD build (GEMM with
// f32x4.relaxed_madd) that the library does not load by default. First
// regenerates assembly/abi.ts from src/backend/abi.ts, so the kernels are
// always compiled against the ABI the facade declares.
import asc from 'assemblyscript/asc';
import { generateAssemblyAbi } from './generate-abi.mjs';

if (await generateAssemblyAbi()) console.error('build-wasm: assembly/abi.ts regenerated from src/backend/abi.ts');

for (const target of ['simd', 'scalar', 'relaxed']) {
  const { error, stderr } = await asc.main(['assembly/index.ts', '--config', 'asconfig.json', '--target', target]);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: the ${target} build failed: ${error.message}`);
    process.exit(1);
  }
}
