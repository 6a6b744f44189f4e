// Compiles assembly/ twice with asc (targets in asconfig.json): the SIMD build
// and the scalar fallback, into build/.
import asc from 'assemblyscript/asc';

for (const target of ['simd', 'scalar']) {
  const { error, stderr } = await asc.main(['assembly/index.ts', '--config', 'asconfig.json', '--target', target]);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: the ${target} build failed: ${error.message}`);
    process.exit(1);
  }
}
